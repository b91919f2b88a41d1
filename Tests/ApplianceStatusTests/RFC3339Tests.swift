import ApplianceStatus
import Foundation
import TestSupport
import Testing

/// Times written by hand agree with Foundation's: what `.iso8601` writes, what a UTC calendar
/// says, and what `RFC3339.parse` reads back; input dates that are out of range do not trap.
@Suite struct RFC3339Tests {
    static func iso8601(_ date: Date) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONDecoder().decode(String.self, from: encoder.encode(date))
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Whole seconds from 1583 (the Gregorian calendar's first full year, where Foundation's
    /// calendar and the proleptic one agree) to 9999, and some with fractions.
    static let dates: [Date] = {
        var generator = SplitMix(seed: 3339)
        let (low, high) = (-12_212_553_600.0, 253_402_300_799.0)
        var dates = (0..<2_000).map { _ in Date(timeIntervalSince1970: Double.random(in: low...high, using: &generator).rounded(.down)) }
        dates += (0..<200).map { _ in Date(timeIntervalSince1970: Double.random(in: 0...2_000_000_000, using: &generator)) }
        dates += [0, -1, 86_399, 86_400, 951_782_400, 4_107_542_399, 1_800_000_000.999_999].map(Date.init(timeIntervalSince1970:))
        return dates
    }()

    @Test func formatWritesWhatISO8601Writes() throws {
        for date in Self.dates { #expect(RFC3339.format(date) == (try Self.iso8601(date)), "\(date.timeIntervalSince1970)") }
    }

    @Test func utcTimeIsTheCalendarsUTCTime() {
        for date in Self.dates {
            let c = Self.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let t = RFC3339.UTCTime(date)
            #expect(
                [t.year, t.month, t.day, t.hour, t.minute, t.second] == [c.year, c.month, c.day, c.hour, c.minute, c.second], "\(date.timeIntervalSince1970)")
        }
    }

    /// Hours run 00-23 and minutes 00-59 (RFC 3339 §5.6): the end of a day is the next day's 00:00.
    @Test func theClockHasNoHour24() {
        #expect(RFC3339.parse("2026-12-08T24:00:00Z") == nil)
        #expect(RFC3339.parse("2026-12-08T23:60:00Z") == nil)
        #expect(RFC3339.parse("2026-12-08T23:59:59Z") != nil)
    }

    @Test func parseReadsBackWhatFormatWrote() {
        for date in Self.dates {
            #expect(RFC3339.parse(RFC3339.format(date)) == Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        }
    }

    @Test func datesOutOfRangeAreClampedNotTrapped() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: .infinity)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1e300)) == "9999-12-31T23:59:59Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1e300)) == "0000-01-01T00:00:00Z")
        // Proleptic Gregorian, as RFC 3339 counts; Foundation's calendar (and so `.iso8601`)
        // switches to the Julian calendar before 1582 and says 0001-01-01.
        #expect(RFC3339.format(.distantPast) == "0000-12-30T00:00:00Z")
    }
}
