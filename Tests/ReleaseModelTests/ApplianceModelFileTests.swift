import ApplianceModel
import Foundation
import JSONDocument
import TestSupport
import Testing

@testable import ReleaseModel

/// One way to get the model file wrong, and the finding it must give: where (pointer, and so the
/// line) and what it says.
struct BrokenModel: Sendable, CustomStringConvertible {
    var name: String
    var change: @Sendable (inout [String: Any]) -> Void
    var rule: String
    var pointer: String
    var says: String
    var severity: Diagnostic.Severity = .error
    var description: String { name }

    static let all: [BrokenModel] = [
        BrokenModel(
            name: "a background component that blocks login", change: { edit(&$0, "components", 6) { $0["blocksLogin"] = true } }, rule: "model.entry",
            pointer: "/components/6/blocksLogin", says: "never blocks login"),
        BrokenModel(
            name: "a core component login does not wait for", change: { edit(&$0, "components", 3) { $0["blocksLogin"] = false } }, rule: "model.entry",
            pointer: "/components/3/blocksLogin", says: "login waits for every core component"),
        BrokenModel(
            name: "an image of no known component", change: { edit(&$0, "images", 0) { $0["usedBy"] = [["component": "apliance-status"]] } },
            rule: "model.entry", pointer: "/images/0/usedBy/0/component", says: "no component is named \"apliance-status\""),
        BrokenModel(
            name: "two components of one name", change: { edit(&$0, "components", 4) { $0["name"] = "db" } }, rule: "model.entry",
            pointer: "/components/4/name", says: "is already declared at /components/3"),
        BrokenModel(
            name: "two components of one workload", change: { edit(&$0, "components", 4) { $0["workload"] = ["kind": "StatefulSet", "name": "db"] } },
            rule: "model.entry", pointer: "/components/4/workload", says: "a pod can belong to one component only"),
        BrokenModel(
            name: "value paths for a manifest",
            change: {
                edit(&$0, "images", 0) {
                    $0["usedBy"] = [["component": "appliance-status", "values": [["repository": "image.repository", "tag": "image.tag"]]]]
                }
            }, rule: "model.entry", pointer: "/images/0/usedBy/0/values", says: "installed by no HelmRelease"),
        BrokenModel(
            name: "a bootstrap no component runs", change: { $0["bootstrap"] = ["helmRelease": "alga", "job": "alga-bootstrap"] }, rule: "model.entry",
            pointer: "/bootstrap/helmRelease", says: "no component is installed by the HelmRelease \"alga\""),
        BrokenModel(
            name: "one Kustomization for two tiers",
            change: { $0["tierKustomizations"] = ["platform": "alga-platform", "core": "alga-core", "background": "alga-core"] }, rule: "model.entry",
            pointer: "/tierKustomizations", says: "each tier needs a Kustomization of its own"),
        BrokenModel(
            name: "a bootstrap component with pod requirements", change: { edit(&$0, "components", 1) { $0["podRequires"] = ["enableServiceLinks": false] } },
            rule: "model.entry", pointer: "/components/1/podRequires", says: "nothing can check podRequires"),
        BrokenModel(
            name: "a tag and a tagFrom", change: { edit(&$0, "images", 2) { $0["tag"] = "1.0" } }, rule: "model.entry", pointer: "/images/2/tag",
            says: "not both"),
        BrokenModel(
            name: "an unknown tier", change: { edit(&$0, "components", 6) { $0["tier"] = "later" } }, rule: "schema.enum", pointer: "/components/6/tier",
            says: "\"later\""),
        BrokenModel(
            name: "a namespace that is not a Kubernetes name",
            change: { $0["namespaces"] = ["app": "MSP", "helmReleases": "alga-system", "flux": "flux-system"] }, rule: "schema.pattern",
            pointer: "/namespaces/app", says: "MSP"),
        BrokenModel(
            name: "no namespaces", change: { $0["namespaces"] = nil }, rule: "schema.required", pointer: "/namespaces",
            says: "the required member \"namespaces\""),
        BrokenModel(
            name: "no status token Secret", change: { $0["providedByBootstrap"] = nil }, rule: "model.entry", pointer: "/providedByBootstrap",
            says: "purpose statusToken"),
        BrokenModel(
            name: "two objects for one purpose", change: { edit(&$0, "providedByBootstrap", 4) { $0["purpose"] = "statusToken" } }, rule: "model.entry",
            pointer: "/providedByBootstrap/4/purpose", says: "is already the statusToken"),
        BrokenModel(
            name: "a component no image lists", change: { edit(&$0, "images", 0) { $0["usedBy"] = [["component": "alga-core"]] } }, rule: "model.entry",
            pointer: "/components/0", says: "no image lists appliance-status", severity: .warning),
    ]
}

@Suite struct ApplianceModelFileTests {
    /// appliance-status runs with the model embedded at build time: it must be the committed file,
    /// byte for byte (scripts/embed-model writes it), and so must its schema.
    @Test(arguments: [
        ("appliance.json", EmbeddedModel.model), ("appliance.schema.json", EmbeddedModel.schema), ("appliance-k3s.json", EmbeddedModel.k3sModel),
        ("registry-release.schema.json", EmbeddedModel.registryReleaseSchema),
    ])
    func theEmbeddedCopyIsTheFile(name: String, embedded: String) throws {
        let file = try String(contentsOfFile: (releasesDirectory as NSString).appendingPathComponent(name), encoding: .utf8)
        #expect(embedded + "\n" == file, "releases/\(name) changed: run scripts/embed-model")
    }

    /// The registry-era model loads without an error (its components whose images only the plan
    /// finds are warnings: no image of the model names them).
    @Test func theK3sModelLoads() throws {
        let (declaration, diagnostics) = ApplianceDeclaration.k3s
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.formatted))")
        let model = try #require(declaration?.model)
        #expect(model.named("alga-core")?.tier == .login && model.named("control-plane")?.tier == .platform)
        #expect(declaration?.inventory.entries.map(\.key) == ["controlPlane", "algaCore", "workflowWorker", "emailService", "temporalWorker"])
    }

    @Test func theCommittedModelLoadsCleanly() throws {
        let path = (releasesDirectory as NSString).appendingPathComponent(ApplianceDeclaration.fileName)
        let (declaration, diagnostics) = ApplianceDeclaration.load(try JSONFile.read(path), file: path)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
        let model = try #require(declaration?.model)
        #expect(model == ApplianceModel.standard)
        // What the PRD says login needs: the web app is the login tier; background never blocks.
        #expect(model.named("alga-core")?.tier == .login)
        #expect(model.components(in: .background).allSatisfy { !$0.blocksLogin })
        #expect(model.components.filter { $0.tier == .core || $0.tier == .login }.allSatisfy { $0.blocksLogin })
        #expect(model.provided.contains { $0.kind == "Secret" && $0.name == "appliance-status-auth" && $0.createdBy.contains("alga-release status-token") })
        // The status follows every component but the platform's.
        #expect(!model.statusComponents.contains { $0.tier == .platform } && model.statusComponents.count == model.components.count - 2)
    }

    /// An image's tier and login-blocking are its components': the earliest tier, blocking when any blocks.
    @Test func imagesTakeTheirTierFromTheirComponents() throws {
        let inventory = ApplianceDeclaration.embedded.inventory
        let busybox = try #require(inventory.entries.first { $0.key == "busybox" })
        #expect(busybox.components == ["db", "local-path-provisioner"] && busybox.tier == .platform && busybox.loginBlocking && !busybox.preFlux)
        let provisioner = try #require(inventory.entries.first { $0.key == "localPathProvisioner" })
        #expect(provisioner.preFlux)
        let algaCore = try #require(inventory.entries.first { $0.key == "algaCore" })
        #expect(algaCore.uses.first?.values.map(\.tag) == ["setup.image.tag", "server.image.tag"])
    }

    /// Every way of getting the model wrong gets the same file:line: /pointer: message as a release does.
    @Test(arguments: BrokenModel.all)
    func aBrokenModelIsReportedWhereItIsBroken(_ broken: BrokenModel) throws {
        let text = try modelText(broken.change)
        let parsed = try JSONParser.parse(Array(text.utf8))
        let (declaration, diagnostics) = ApplianceDeclaration.load(parsed, file: "appliance.json")
        let finding = try #require(diagnostics.first { $0.rule == broken.rule && $0.pointer?.description == broken.pointer }, "\(diagnostics.map(\.formatted))")
        #expect(finding.severity == broken.severity)
        #expect(finding.formatted.contains(broken.says), "\(finding.formatted)")
        let pointer = JSONPointer(broken.pointer.split(separator: "/").map(String.init))
        let node = parsed.root.node(at: pointer) ?? parsed.root
        #expect(finding.location == node.location || broken.rule == "schema.required", "\(finding.formatted)")
        #expect((declaration == nil) == (broken.severity == .error))
    }

    @Test func aDuplicatedKeyIsAnError() throws {
        let text = try modelText { _ in }.replacingOccurrences(of: "\"app\" : \"msp\",", with: "\"app\" : \"msp\", \"app\" : \"alga\",")
        let (declaration, diagnostics) = ApplianceDeclaration.load(try JSONParser.parse(Array(text.utf8)), file: "appliance.json")
        #expect(declaration == nil && diagnostics.contains { $0.rule == "json.duplicate-key" && $0.pointer?.description == "/namespaces/app" })
    }

    /// `status --model` and `appliance-status --model` read a file at start: a broken one is unusable
    /// input with the first finding's place, never a crash.
    @Test func readingABrokenModelSaysWhere() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let path = try scratch.write("broken.json", Data(try modelText { edit(&$0, "components", 6) { $0["blocksLogin"] = true } }.utf8))
        #expect {
            _ = try ApplianceDeclaration.read(path)
        } throws: { error in
            let text = (error as? InputError)?.description ?? ""
            return text.hasPrefix("\(path):") && text.contains("/components/6/blocksLogin") && text.contains("never blocks login")
        }
    }
}
