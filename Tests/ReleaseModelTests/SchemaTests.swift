import Foundation
import JSONDocument
import Testing

@Suite struct SchemaTests {
    static func schema() throws -> JSONSchema {
        let data = try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("schema.json"))
        return try JSONSchema(try JSONParser.parse(Array(data)).root)
    }

    @Test(arguments: ["1.0-rc5", "1.0-rc5.1"])
    func realManifestsAreSchemaValid(version: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("\(version)/release.json"))
        #expect(try Self.schema().validate(try JSONParser.parse(Array(data)).root).isEmpty)
    }

    /// Every malformed fixture that is JSON gets all its violations, each with the pointer named in cases.json.
    @Test(arguments: MalformedCase.all.filter { $0.exitCode == 1 && $0.file != "duplicate-key.json" })
    func schemaViolationsCarryPointers(_ fixture: MalformedCase) throws {
        let data = try fixture.bytes
        let violations = try Self.schema().validate(try JSONParser.parse(Array(data)).root)
        let text = violations.map { "\($0.pointer.displayName) \($0.message)" }.joined(separator: "\n")
        for pointer in fixture.mentions where pointer.hasPrefix("/") || pointer.hasPrefix("(") {
            #expect(violations.contains { $0.pointer.displayName == pointer }, "\(pointer) not reported in:\n\(text)")
        }
    }

    @Test func reportsAllViolationsNotTheFirst() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: malformedDirectory).appendingPathComponent("unknown-fields.json"))
        let violations = try Self.schema().validate(try JSONParser.parse(Array(data)).root)
        #expect(violations.count == 7)
        #expect(violations.allSatisfy { $0.keyword == "additionalProperties" })
    }

    @Test func refusesSchemasWithKeywordsItCannotEnforce() throws {
        let schema = try JSONParser.parse(Array(#"{"type": "object", "oneOf": [{}]}"#.utf8)).root
        #expect(throws: UnsupportedSchemaError.self) { try JSONSchema(schema) }
    }

    @Test(arguments: [
        ("2026-03-25T00:00:00Z", true), ("2026-03-25T00:00:00.123+02:00", true), ("2024-02-29T23:59:60z", true),
        ("2026-02-29T00:00:00Z", false), ("2026-03-25", false), ("2026-03-25T24:00:00Z", false),
        ("2026-13-01T00:00:00Z", false), ("2026-03-25 00:00:00Z", false), ("2026-03-25T00:00:00", false),
    ])
    func dateTimeFormat(text: String, valid: Bool) {
        #expect(Formats.isDateTime(text) == valid)
    }

    @Test(arguments: [
        ("https://factory.talos.dev/image/abc/v1.12.0/metal-amd64.iso", true), ("urn:isbn:0451450523", true),
        ("http://127.0.0.1:5000/v2/", true), ("factory.talos.dev/x.iso", false), ("https://a b", false),
        ("https://x/%zz", false), ("", false), ("https://", false),
    ])
    func uriFormat(text: String, valid: Bool) {
        #expect(Formats.isURI(text) == valid)
    }
}
