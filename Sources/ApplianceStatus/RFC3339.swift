import Foundation
import TextFormat

/// Times as Kubernetes writes them and as this project writes them back: RFC 3339 in UTC, read and
/// written by hand. A snapshot holds thousands of times (a Foundation date formatter per time
/// dominated the whole run), and Foundation's calendar and ISO 8601 styles load ICU's time zone
/// data, which was most of a megabyte of the status server's resident memory.
public enum RFC3339 {
    /// `2026-05-12T13:33:06.412309Z` or `...+02:00`; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116, b[13] == 58, b[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if b[index] == 46 {  // '.'
            var scale = 0.1
            index += 1
            let start = index
            while index < b.count, (48...57).contains(b[index]) {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offset = 0
        switch b[index] {
        case 90, 122:  // Z z
            guard index + 1 == b.count else { return nil }
        case 43, 45:  // + -
            guard index + 6 == b.count, b[index + 3] == 58, let oh = number(index + 1, 2), let om = number(index + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[index] == 43 ? 1 : -1)
        default:
            return nil
        }
        let seconds = Double(days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-05-12T13:33:06Z`: whole seconds (rounded down), as `JSONEncoder`'s `.iso8601` writes
    /// (for dates from 1583: before that Foundation's calendar is Julian, this one proleptic
    /// Gregorian, as RFC 3339 counts).
    public static func format(_ date: Date) -> String {
        let t = UTCTime(date)
        return "\(t.dateText)T\(t.timeText)Z"
    }

    /// How the project's JSON writes dates (the status API, `--format json`): `format`, which is
    /// what `.iso8601` writes, without the Foundation calendar that strategy loads ICU for.
    public static var encoding: JSONEncoder.DateEncodingStrategy {
        .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
    }

    /// A moment on the UTC clock, in whole seconds rounded down. Dates come from input and can be
    /// anything: a non-finite one is 1970, and years are clamped to 0000...9999 (what four digits say).
    public struct UTCTime: Equatable, Sendable {
        public var year, month, day, hour, minute, second: Int

        public init(_ date: Date) {
            // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
            let bounds = (low: -62_167_219_200.0, high: 253_402_300_799.0)
            let t = date.timeIntervalSince1970
            let clamped = t.isFinite ? min(max(t.rounded(.down), bounds.low), bounds.high) : 0
            let total = Int(clamped)
            let (days, secondOfDay) = (total.floorDivided(by: 86400), total.floorModulo(86400))
            (hour, minute, second) = (secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
            // The civil date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
            let z = days + 719468
            let era = z.floorDivided(by: 146097)
            let doe = z - era * 146097
            let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            day = doy - (153 * mp + 2) / 5 + 1
            month = mp < 10 ? mp + 3 : mp - 9
            year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        }

        /// `2026-05-12`.
        public var dateText: String { zip([year, month, day], [4, 2, 2]).map { Digits.padded($0, width: $1) }.joined(separator: "-") }

        /// `14:05:09`.
        public var timeText: String { [hour, minute, second].map { Digits.padded($0, width: 2) }.joined(separator: ":") }

        /// Whether both are on the same UTC day.
        public func isSameDay(as other: UTCTime) -> Bool { (year, month, day) == (other.year, other.month, other.day) }
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's days_from_civil); the inverse of `UTCTime`'s.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}

extension Int {
    fileprivate func floorDivided(by d: Int) -> Int { (self >= 0 ? self : self - (d - 1)) / d }
    fileprivate func floorModulo(_ d: Int) -> Int { self - floorDivided(by: d) * d }
}
