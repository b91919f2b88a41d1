/// What a Kubernetes object name may be: a DNS-1123 subdomain (lower-case letters, digits, `-` and
/// `.`, starting and ending alphanumeric, at most 253 bytes). Names read from a cluster or a
/// snapshot are untrusted; one that is not of this form goes into no command and no request path.
public enum ObjectName {
    public static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard (1...253).contains(utf8.count), let first = utf8.first, let last = utf8.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
