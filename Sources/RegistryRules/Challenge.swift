/// One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): a scheme and its parameters.
public struct Challenge: Sendable, Equatable {
    public var scheme: String
    /// Parameter names are case-insensitive, so they are stored lowercased.
    public var parameters: [String: String]

    public init(scheme: String, parameters: [String: String]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    public var isBearer: Bool { scheme.lowercased() == "bearer" }
    public var isBasic: Bool { scheme.lowercased() == "basic" }

    /// Parses every challenge in a header value. Values may be quoted strings containing commas and
    /// escaped quotes (`scope="repository:a:pull,push"`), and one header may carry several challenges
    /// (`Bearer realm="x", Basic realm="y"`). Returns nil for a header that cannot be read, so that a
    /// malformed challenge is reported as such instead of guessed at.
    public static func parse(_ header: String) -> [Challenge]? {
        var scanner = Scanner(Array(header.unicodeScalars))
        var challenges: [Challenge] = []
        scanner.skip(while: { $0 == " " || $0 == "," || $0 == "\t" })
        while !scanner.atEnd {
            guard let scheme = scanner.token(), !scheme.isEmpty else { return nil }
            var challenge = Challenge(scheme: scheme, parameters: [:])
            scanner.skipSpaces()
            // Parameters follow until the next "token SP" that starts a new challenge.
            while !scanner.atEnd {
                let mark = scanner.position
                guard let name = scanner.token(), !name.isEmpty else { return nil }
                scanner.skipSpaces()
                guard scanner.peek == "=" else {
                    // `name` is the next challenge's scheme (or a token68 we do not use).
                    scanner.position = mark
                    break
                }
                scanner.advance()
                scanner.skipSpaces()
                let value: String
                if scanner.peek == "\"" {
                    guard let quoted = scanner.quotedString() else { return nil }
                    value = quoted
                } else {
                    guard let plain = scanner.token() else { return nil }
                    // token68 values may end in '=' padding.
                    value = plain + scanner.take(while: { $0 == "=" })
                }
                challenge.parameters[name.lowercased()] = value
                scanner.skipSpaces()
                if scanner.peek == "," {
                    scanner.advance()
                    scanner.skipSpaces()
                } else if !scanner.atEnd {
                    // Anything but ',' or the end after a value means the header is not what it claims.
                    return nil
                }
            }
            challenges.append(challenge)
            scanner.skip(while: { $0 == " " || $0 == "," || $0 == "\t" })
        }
        return challenges.isEmpty ? nil : challenges
    }
}

private struct Scanner {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { position >= scalars.count }
    var peek: Unicode.Scalar? { atEnd ? nil : scalars[position] }
    mutating func advance() { position += 1 }

    mutating func skip(while predicate: (Unicode.Scalar) -> Bool) {
        while let c = peek, predicate(c) { advance() }
    }

    mutating func skipSpaces() { skip(while: { $0 == " " || $0 == "\t" }) }

    mutating func take(while predicate: (Unicode.Scalar) -> Bool) -> String {
        var s = String.UnicodeScalarView()
        while let c = peek, predicate(c) {
            s.append(c)
            advance()
        }
        return String(s)
    }

    /// RFC 9110 token characters.
    mutating func token() -> String? {
        let t = take(while: { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "!#$%&'*+-.^_`|~/:".unicodeScalars.contains(c))
        })
        return t.isEmpty ? nil : t
    }

    mutating func quotedString() -> String? {
        advance()  // opening quote
        var s = String.UnicodeScalarView()
        while let c = peek {
            advance()
            switch c {
            case "\"": return String(s)
            case "\\":
                guard let escaped = peek else { return nil }
                s.append(escaped)
                advance()
            default: s.append(c)
            }
        }
        return nil  // unterminated
    }
}
