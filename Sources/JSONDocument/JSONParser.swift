/// A strict RFC 8259 parser that records the line and column of every value.
/// Foundation's parsers give neither positions nor the path to a syntax error, and both are what
/// turns "invalid JSON" into a message a release engineer can act on.
public struct JSONParser {
    /// Nesting beyond this is refused instead of risking the stack on hostile input.
    static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var path: [String] = []
    private var duplicates: [DuplicateKey] = []
    private var duplicateCount = 0

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> ParsedJSON {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    // The last column computed, so that a long minified line is scanned once, not once per value.
    private var columnCache = (index: 0, column: 1)

    private mutating func currentLocation() -> SourceLocation {
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        var (i, column) = columnCache.index >= lineStart && columnCache.index <= index ? columnCache : (lineStart, 1)
        while i < index && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        columnCache = (i, column)
        return SourceLocation(line: line, column: column)
    }

    private mutating func fail(_ kind: JSONParseError.Kind, _ message: String) -> JSONParseError {
        JSONParseError(kind: kind, message: message, location: currentLocation(), pointer: JSONPointer(path))
    }

    private mutating func parseDocument() throws(JSONParseError) -> ParsedJSON {
        try checkUTF8()
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // A BOM is tolerated, as most editors write one.
        index = start
        lineStart = start
        skipWhitespace()
        if index >= bytes.count {
            throw fail(.empty, "the file is empty; a JSON document was expected")
        }
        let root = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count {
            throw fail(.trailingContent, "unexpected \(describeByte(bytes[index])) after the end of the JSON document")
        }
        return ParsedJSON(root: root, duplicateKeys: duplicates, duplicateKeyCount: duplicateCount)
    }

    private mutating func checkUTF8() throws(JSONParseError) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var currentLine = 1
        var currentLineStart = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += scalar.value < 0x80 ? 1 : scalar.value < 0x800 ? 2 : scalar.value < 0x10000 ? 3 : 4
                if scalar == "\n" {
                    currentLine += 1
                    currentLineStart = offset
                }
            case .emptyInput:
                break loop
            case .error:
                index = offset
                line = currentLine
                lineStart = currentLineStart
                throw fail(.notUTF8, "the file is not valid UTF-8 (byte offset \(offset)); JSON must be UTF-8 encoded")
            }
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private func describeByte(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONNode {
        guard depth <= Self.maximumDepth else {
            throw fail(.tooDeep, "nesting deeper than \(Self.maximumDepth) levels")
        }
        guard index < bytes.count else {
            throw fail(.truncated, "the document ends where a value was expected (truncated file?)")
        }
        let start = currentLocation()
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth, start: start)
        case UInt8(ascii: "["): return try parseArray(depth: depth, start: start)
        case UInt8(ascii: "\""): return JSONNode(.string(try parseString()), at: start)
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return JSONNode(.bool(true), at: start)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return JSONNode(.bool(false), at: start)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return JSONNode(.null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber(start: start)
        default:
            throw fail(.unexpectedCharacter, "unexpected \(describeByte(bytes[index])) where a value was expected")
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let expected = Array(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        for byte in expected {
            guard index < bytes.count else {
                throw fail(.truncated, "the document ends inside the literal '\(word)'")
            }
            guard bytes[index] == byte else {
                throw fail(.unexpectedCharacter, "unexpected \(describeByte(bytes[index])); expected the literal '\(word)'")
            }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int, start: SourceLocation) throws(JSONParseError) -> JSONNode {
        index += 1
        var members: [JSONMember] = []
        var seen = Set<String>()
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return JSONNode(.object(members), at: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else {
                throw fail(.truncated, "the document ends inside an object; expected a key or '}' (truncated file?)")
            }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw fail(.unexpectedCharacter, "unexpected \(describeByte(bytes[index])) where an object key in double quotes was expected")
            }
            let keyLocation = currentLocation()
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else {
                throw fail(.truncated, "the document ends after the key \"\(key)\"; expected ':' (truncated file?)")
            }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw fail(.unexpectedCharacter, "unexpected \(describeByte(bytes[index])) after the key \"\(key)\"; expected ':'")
            }
            index += 1
            skipWhitespace()
            path.append(key)
            let node = try parseValue(depth: depth + 1)
            if !seen.insert(key).inserted {
                duplicateCount += 1
                // Counted always, kept up to the report's limit: 700k duplicates must not cost 700k pointers.
                if duplicates.count < DiagnosticLimit.default.perRule {
                    duplicates.append(DuplicateKey(pointer: JSONPointer(path), location: keyLocation))
                }
            }
            path.removeLast()
            members.append(JSONMember(key: key, keyLocation: keyLocation, node: node))
            skipWhitespace()
            guard index < bytes.count else {
                throw fail(.truncated, "the document ends inside an object; expected ',' or '}' (truncated file?)")
            }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return JSONNode(.object(members), at: start)
            default:
                throw fail(.unexpectedCharacter, "unexpected \(describeByte(bytes[index])) in an object; expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int, start: SourceLocation) throws(JSONParseError) -> JSONNode {
        index += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return JSONNode(.array(items), at: start)
        }
        while true {
            skipWhitespace()
            path.append(String(items.count))
            let item = try parseValue(depth: depth + 1)
            path.removeLast()
            items.append(item)
            skipWhitespace()
            guard index < bytes.count else {
                throw fail(.truncated, "the document ends inside an array; expected ',' or ']' (truncated file?)")
            }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return JSONNode(.array(items), at: start)
            default:
                throw fail(.unexpectedCharacter, "unexpected \(describeByte(bytes[index])) in an array; expected ',' or ']'")
            }
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ parser: JSONParser, upTo end: Int, into view: inout String.UnicodeScalarView) {
            if end > runStart {
                view.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard index < bytes.count else {
                throw fail(.truncated, "the document ends inside a string (missing closing '\"'; truncated file?)")
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                flush(self, upTo: index, into: &scalars)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, upTo: index, into: &scalars)
                index += 1
                guard index < bytes.count else {
                    throw fail(.truncated, "the document ends inside an escape sequence")
                }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let first = try parseHex4()
                    if (0xD800...0xDBFF).contains(first) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail(.invalidString, "a high surrogate \\u\(String(first, radix: 16)) is not followed by a low surrogate")
                        }
                        index += 2
                        let second = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(second) else {
                            throw fail(.invalidString, "invalid low surrogate \\u\(String(second, radix: 16))")
                        }
                        let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        scalars.append(Unicode.Scalar(value)!)
                    } else if (0xDC00...0xDFFF).contains(first) {
                        throw fail(.invalidString, "a lone low surrogate \\u\(String(first, radix: 16))")
                    } else {
                        scalars.append(Unicode.Scalar(first)!)
                    }
                default:
                    index -= 1
                    throw fail(.invalidString, "invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
                }
                runStart = index
            case 0x00..<0x20:
                throw fail(.invalidString, "a control character (0x\(String(byte, radix: 16))) inside a string must be escaped")
            default:
                index += 1
            }
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail(.truncated, "the document ends inside a \\u escape") }
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail(.invalidString, "invalid hexadecimal digit in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber(start: SourceLocation) throws(JSONParseError) -> JSONNode {
        let begin = index
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index]) {
                parser.index += 1
            }
            return parser.index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail(.truncated, "the document ends inside a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw fail(.invalidNumber, "a number must have digits after '-'")
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits(&self) == 0 { throw fail(.invalidNumber, "a number must have digits after '.'") }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            if digits(&self) == 0 { throw fail(.invalidNumber, "a number must have digits in its exponent") }
        }
        if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            throw fail(.invalidNumber, "a number may not have leading zeros")
        }
        let literal = String(decoding: bytes[begin..<index], as: UTF8.self)
        return JSONNode(.number(Double(literal) ?? .nan, literal: literal), at: start)
    }
}
