import Foundation

/// The `format` checks, strict as RFC 3339 §5.6 and RFC 3986 §3 define them.
public enum Formats {
    public static func isDateTime(_ s: String) -> Bool {
        let pattern = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/
        guard let m = s.wholeMatch(of: pattern),
            let year = Int(m.1), let month = Int(m.2), let day = Int(m.3),
            let hour = Int(m.4), let minute = Int(m.5), let second = Int(m.6)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day), hour < 24, minute < 60, second <= 60 else {
            return false
        }
        if let offsetHour = m.10.flatMap({ Int($0) }), let offsetMinute = m.11.flatMap({ Int($0) }) {
            return offsetHour < 24 && offsetMinute < 60
        }
        return true
    }

    public static func isURI(_ s: String) -> Bool {
        guard s.wholeMatch(of: /[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*/) != nil else { return false }
        // Only characters RFC 3986 allows, and every '%' starts a valid percent-encoding.
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
        guard s.allSatisfy({ allowed.contains($0) }) else { return false }
        var iterator = s.makeIterator()
        while let c = iterator.next() {
            if c == "%" {
                guard let h1 = iterator.next(), let h2 = iterator.next(), h1.isHexDigit, h2.isHexDigit else { return false }
            }
        }
        if let start = s.range(of: "://") {
            // "https://" followed by no host is not a URI of anything.
            let authority = s[start.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return !authority.isEmpty
        }
        return true
    }
}
