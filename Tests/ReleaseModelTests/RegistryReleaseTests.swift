import Foundation
import JSONDocument
import Testing

@testable import ReleaseModel

/// Registry release references and the rules of the release document, as tables.
@Suite struct RegistryReleaseReferenceTests {
    @Test(
        arguments: [
            ("oci://ghcr.io/nine-minds/alga-appliance-release:stable", "ghcr.io", "nine-minds/alga-appliance-release", "stable", nil),
            ("oci://127.0.0.1:5000/nine-minds/alga-appliance-release:1.0.3", "127.0.0.1:5000", "nine-minds/alga-appliance-release", "1.0.3", nil),
            (
                "oci://localhost/x/alga-appliance-release@sha256:" + String(repeating: "a", count: 64), "localhost", "x/alga-appliance-release", nil,
                "sha256:" + String(repeating: "a", count: 64)
            ),
        ] as [(String, String, String, String?, String?)])
    func parses(text: String, registry: String, repository: String, tag: String?, digest: String?) throws {
        let ref = try RegistryReleaseReference(parsing: text)
        #expect(ref.image.registry == registry && ref.image.repository == repository && ref.image.tag == tag && ref.image.digest == digest)
        #expect(ref.description == text)
    }

    @Test(arguments: [
        ("ghcr.io/nine-minds/alga-appliance-release:stable", RegistryReleaseReference.ParseError.notOCI),
        ("oci://alga-appliance-release:stable", .noHost("oci://alga-appliance-release:stable")),
        ("oci://ghcr.io/nine-minds/alga-appliance-release", .noReference("oci://ghcr.io/nine-minds/alga-appliance-release")),
    ])
    func refuses(text: String, error: RegistryReleaseReference.ParseError) {
        #expect(throws: error) { try RegistryReleaseReference(parsing: text) }
    }

    @Test func siblingsShareTheNamespace() throws {
        let ref = try RegistryReleaseReference(parsing: "oci://ghcr.io/nine-minds/alga-appliance-release:stable")
        #expect(ref.sibling("alga-appliance-control-plane").description == "ghcr.io/nine-minds/alga-appliance-control-plane")
        #expect(ref.sibling("charts/sebastian").description == "ghcr.io/nine-minds/charts/sebastian")
        #expect(try RegistryReleaseReference(parsing: "oci://ghcr.io/nine-minds", requireReference: false).image.repository == "nine-minds")
    }

    @Test(arguments: [("stable", RegistryReleaseRules.ReadBy.channel("stable")), ("1.0.3", .version("1.0.3")), ("1.0-rc5", .version("1.0-rc5"))])
    func aTagIsReadAsAVersionOrAChannel(tag: String, readBy: RegistryReleaseRules.ReadBy) {
        #expect(RegistryReleaseRules.readBy(ImageReference(registry: "ghcr.io", repository: "x", tag: tag)) == readBy)
        #expect(
            RegistryReleaseRules.readBy(ImageReference(registry: "ghcr.io", repository: "x", tag: tag, digest: "sha256:" + String(repeating: "a", count: 64)))
                == .digest)
    }
}

@Suite struct RegistryReleaseRulesTests {
    static func document(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> Data {
        var values: [String: String] = [:]
        for name in RegistryReleaseDocument.profileNames { values["\(name).single-node.yaml"] = "replicaCount: 1\n" }
        var document: [String: Any] = [
            "schema": "alga.appliance.release/v1", "version": "1.0.3", "channel": "stable", "valuesProfile": "single-node",
            "images": ["algaCore": "a2cbb430", "workflowWorker": "a2cbb430", "emailService": "61e4a00e", "temporalWorker": "a2cbb430"],
            "controlPlane": "cp-0.3.1",
            "config": ["repository": "ghcr.io/nine-minds/alga-appliance-config", "tag": "1.0.3", "digest": "sha256:" + String(repeating: "b", count: 64)],
            "charts": ["sebastian": "0.0.1"], "profileValues": values,
            "supportAgent": "ghcr.io/nine-minds/alga-appliance-support-agent@sha256:" + String(repeating: "c", count: 64),
        ]
        change(&document)
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }

    static func rules(_ data: Data, readBy: RegistryReleaseRules.ReadBy = .channel("stable")) -> [String] {
        RegistryReleaseRules.validate(data, name: "oci://x@sha256:0#config", readBy: readBy, yamlProblem: { $0.contains("{{") ? "not YAML" : nil })
            .diagnostics.filter { $0.severity == .error }.map { "\($0.rule) \($0.pointer?.description ?? "")" }
    }

    @Test func aGoodDocumentHasNoError() throws {
        #expect(Self.rules(try Self.document()) == [])
        let report = RegistryReleaseRules.validate(try Self.document(), name: "n", readBy: .version("1.0.3"), yamlProblem: { _ in nil })
        #expect(report.images?.map(\.ref.description).contains("ghcr.io/nine-minds/alga-psa-ee:a2cbb430") == true)
        #expect(report.images?.count == 6)
    }

    /// (what, the member, its new JSON value (null removes it), the finding that follows).
    @Test(arguments: [
        ("the wrong schema", "schema", #""alga.appliance.release/v2""#, "schema.const /schema"),
        ("no controlPlane", "controlPlane", "null", "schema.required "),
        (
            "a tag no registry holds", "images", #"{"algaCore": "a b", "workflowWorker": "x", "emailService": "x", "temporalWorker": "x"}"#,
            "schema.pattern /images/algaCore"
        ),
        ("a config digest that is none", "config", #"{"repository": "ghcr.io/x/y", "digest": "sha256:zz"}"#, "schema.pattern /config/digest"),
        ("a support agent by tag", "supportAgent", #""ghcr.io/nine-minds/alga-appliance-support-agent:latest""#, "schema.pattern /supportAgent"),
        (
            "config.tag another version", "config", #"{"repository": "ghcr.io/x/y", "tag": "1.0.2", "digest": "sha256:\#(String(repeating: "b", count: 64))"}"#,
            "registry.config-tag /config/tag"
        ),
        ("a profile file missing", "profileValues", #"{"alga-core.single-node.yaml": "a: 1"}"#, "registry.profile-values /profileValues"),
        (
            "three receipt keys", "supportReceiptKeys",
            #"{"a": "-----BEGIN PUBLIC KEY-----", "b": "-----BEGIN PUBLIC KEY-----", "c": "-----BEGIN PUBLIC KEY-----"}"#,
            "registry.receipt-keys /supportReceiptKeys"
        ),
        ("a receipt key id with a space", "supportReceiptKeys", #"{"a b": "-----BEGIN PUBLIC KEY-----"}"#, "registry.receipt-keys /supportReceiptKeys/a b"),
        ("another channel", "channel", #""nightly""#, "registry.channel-tag /channel"),
    ])
    func findings(what: String, member: String, value: String, expected: String) throws {
        let replacement = try JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed])
        let found = Self.rules(try Self.document { $0[member] = replacement is NSNull ? nil : replacement })
        #expect(found.contains { $0.hasPrefix(expected) }, "\(what): \(found)")
    }

    @Test func theVersionTagMustBeTheVersion() throws {
        #expect(Self.rules(try Self.document(), readBy: .version("1.0.4")).contains("registry.version-tag /version"))
        #expect(Self.rules(try Self.document(), readBy: .digest) == [])
        var values: [String: String] = [:]
        for name in RegistryReleaseDocument.profileNames { values["\(name).single-node.yaml"] = "{{ broken" }
        #expect(Self.rules(try Self.document { $0["profileValues"] = values }).filter { $0.hasPrefix("registry.profile-values") }.count == 6)
    }
}
