/// A release version: SemVer 2.0 extended to two-part versions (`1.0`, `1.0-rc5`), because that is
/// what the appliance's releases are named. Precedence follows SemVer §11, so a prerelease sorts
/// before its release (`1.0-rc5` < `1.0-rc5.1` < `1.0` < `1.0.1`); the original's `sort -V` got this
/// backwards.
public struct ReleaseVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    let major: Int
    let minor: Int
    public let patch: Int?
    let prerelease: [String]
    public let build: String?
    /// The text as written, so `1.0` is never shown as `1.0.0`.
    public let text: String

    public init?(_ text: String) {
        var rest = Substring(text)
        var build: String?
        if let plus = rest.firstIndex(of: "+") {
            build = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard let b = build, !b.isEmpty, b.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(Self.isIdentifier) else {
                return nil
            }
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            let pre = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
            let parts = pre.split(separator: ".", omittingEmptySubsequences: false)
            guard !pre.isEmpty, parts.allSatisfy(Self.isIdentifier) else { return nil }
            // SemVer forbids leading zeros in numeric identifiers.
            guard parts.allSatisfy({ !($0.count > 1 && $0.first == "0" && $0.allSatisfy(\.isASCIIDigit)) }) else { return nil }
            prerelease = parts.map(String.init)
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 2 || numbers.count == 3,
            numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) && !($0.count > 1 && $0.first == "0") }),
            let major = Int(numbers[0]), let minor = Int(numbers[1])
        else { return nil }
        self.major = major
        self.minor = minor
        self.patch = numbers.count == 3 ? Int(numbers[2]) : nil
        if numbers.count == 3 && self.patch == nil { return nil }
        self.prerelease = prerelease
        self.build = build
        self.text = text
    }

    private static func isIdentifier(_ s: Substring) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    public var description: String { text }

    public static func < (a: ReleaseVersion, b: ReleaseVersion) -> Bool {
        let core = { (v: ReleaseVersion) in [v.major, v.minor, v.patch ?? 0] }
        if core(a) != core(b) { return core(a).lexicographicallyPrecedes(core(b)) }
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, false): return false
        case (false, true): return true
        case (false, false):
            for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
                switch (Int(x), Int(y)) {
                case let (nx?, ny?): return nx < ny
                case (.some, nil): return true  // numeric identifiers sort before alphanumeric ones
                case (nil, .some): return false
                case (nil, nil): return x < y  // ASCII order, as SemVer specifies
                }
            }
            if a.prerelease.count != b.prerelease.count { return a.prerelease.count < b.prerelease.count }
        case (true, true):
            break
        }
        // Equal precedence (1.0 and 1.0.0, or builds): order by text so sorting is total and stable.
        return a.text < b.text
    }

    public static func == (a: ReleaseVersion, b: ReleaseVersion) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let v = ReleaseVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a release version: \(text)"))
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
