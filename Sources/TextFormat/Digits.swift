/// Numbers written with a fixed number of digits: the hex of digests, tokens and session MACs,
/// zero-padded fields (times, tar headers, JSON `\u` escapes). No `String(format:)`: it goes through
/// Foundation's formatter, which the status server keeps out of its resident memory.
public enum Digits {
    /// `value` in `radix` (lowercase), with leading zeros to `width` digits. `value` must not be negative.
    public static func padded(_ value: some BinaryInteger, radix: Int = 10, width: Int) -> String {
        let digits = String(value, radix: radix)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Two lowercase hex digits per byte, as `openssl rand -hex` and `sha256sum` write them.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(alphabet[Int(byte >> 4)])
            out.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Made once: `hex` runs for every session cookie the status server checks.
    private static let alphabet = Array("0123456789abcdef".utf8)
}
