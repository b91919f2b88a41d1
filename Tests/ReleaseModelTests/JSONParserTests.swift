import JSONDocument
import Testing

@Suite struct JSONParserTests {
    @Test func recordsLineAndColumnOfEveryValue() throws {
        let text = "{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": null}\n}"
        let root = try JSONParser.parse(Array(text.utf8)).root
        #expect(root.node(at: JSONPointer(["a", "1"]))?.location == SourceLocation(line: 2, column: 12))
        #expect(root.node(at: JSONPointer(["b", "c"]))?.location == SourceLocation(line: 3, column: 14))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try JSONParser.parse(Array("{\"é\": \"ü\", \"k\": 1}".utf8)).root
        #expect(root["k"]?.location == SourceLocation(line: 1, column: 17))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let root = try JSONParser.parse(Array(#"["a\"b\\c\/d\n\u00e9\ud83d\ude00"]"#.utf8)).root
        #expect(root.node(at: JSONPointer(["0"]))?.stringValue == "a\"b\\c/d\né😀")
    }

    @Test(arguments: [
        ("{\"a\": [1, 2", JSONParseError.Kind.truncated, ["a"]),
        ("-", .truncated, []),
        ("{\"a\": {\"b\": \"x", .truncated, ["a", "b"]),
        ("", .empty, []),
        ("   \n ", .empty, []),
        ("{\"a\": 01}", .invalidNumber, ["a"]),
        ("{\"a\": tru}", .unexpectedCharacter, ["a"]),
        ("{\"a\": 1} x", .trailingContent, []),
        ("{'a': 1}", .unexpectedCharacter, []),
        ("[\"\\x\"]", .invalidString, ["0"]),
        ("[\"\\ud800\"]", .invalidString, ["0"]),
        ("[\"a\tb\"]", .invalidString, ["0"]),
    ])
    func rejectsMalformedInputWithItsPath(text: String, kind: JSONParseError.Kind, path: [String]) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
        do {
            _ = try JSONParser.parse(Array(text.utf8))
        } catch {
            #expect(error.kind == kind)
            #expect(error.pointer == JSONPointer(path))
        }
    }

    @Test func rejectsNonUTF8WithItsLine() {
        var bytes = Array("{\n\"a\": \"".utf8)
        bytes += [0xE9, 0x22, 0x7D]
        do {
            _ = try JSONParser.parse(bytes)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .notUTF8)
            #expect(error.location.line == 2)
        }
    }

    @Test func refusesHostileNestingInsteadOfCrashing() {
        let text = String(repeating: "[", count: 100_000)
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .tooDeep)
        }
    }

    @Test func reportsDuplicateKeys() throws {
        let parsed = try JSONParser.parse(Array("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}".utf8))
        #expect(parsed.duplicateKeys.map(\.pointer) == [JSONPointer(["b", "c"])])
    }

    @Test func pointerEscaping() {
        #expect(JSONPointer(["a/b", "c~d"]).description == "/a~1b/c~0d")
        #expect(JSONPointer.root.displayName == "(document root)")
    }
}
