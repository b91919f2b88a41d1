import Foundation
import JSONDocument
import Testing

@testable import ReleaseModel

@Suite struct ValidationTests {
    @Test func rc5WarnsAboutTagLengthsAndIsValid() throws {
        let report = try ReleaseValidator.validate("1.0-rc5", releasesDirectory: releasesDirectory)
        #expect(report.errors.isEmpty)
        let tagWarnings = report.warnings.filter { $0.rule == "lint.tag-length" }
        #expect(Set(tagWarnings.compactMap(\.pointer?.description)) == ["/app/images/workflowWorker", "/app/images/temporalWorker"])
        #expect(tagWarnings.allSatisfy { $0.message.contains("a2cbb430") && $0.location != nil })
        #expect(report.passes(strict: false))
        #expect(!report.passes(strict: true))
    }

    @Test func rc51HasCopiedFields() throws {
        let report = try ReleaseValidator.validate(
            "releases/1.0-rc5.1".replacingOccurrences(of: "releases", with: releasesDirectory), releasesDirectory: "/nonexistent")
        let copied = report.warnings.filter { $0.rule == "lint.copied-field" }
        #expect(Set(copied.compactMap(\.pointer?.description)) == ["/app/version", "/os/iso/localPath"])
        #expect(copied.first { $0.pointer?.description == "/app/version" }?.message.contains("names another release") == true)
        #expect(!report.passes(strict: true))
    }

    @Test func inventoryCoversTheLoginCriticalImage() throws {
        let report = try ReleaseValidator.validate("1.0-rc5", releasesDirectory: releasesDirectory)
        let images = try #require(report.images)
        let ee = try #require(images.first { $0.ref.repository == "nine-minds/alga-psa-ee" })
        #expect(ee.ref.description == "ghcr.io/nine-minds/alga-psa-ee:a2cbb430")
        // The web app is the login tier: login needs it, not only what it stands on.
        #expect(ee.loginBlocking == true && ee.tier == .login && ee.components == ["alga-core"])
        let repositories = Set(images.map(\.ref.repository))
        for required in [
            "ankane/pgvector", "library/redis", "edoburu/pgbouncer", "temporalio/auto-setup", "temporalio/ui", "library/busybox",
            "nine-minds/appliance-status", "nine-minds/workflow-worker", "nine-minds/email-service", "nine-minds/temporal-worker",
        ] {
            #expect(repositories.contains(required), "\(required) missing from the inventory")
        }
        #expect(images.first { $0.key == "applianceStatus" }?.tier == .platform)
        #expect(images.filter { $0.tier == .background }.allSatisfy { $0.loginBlocking == false })
        #expect(images.first { $0.key == "workflowWorker" }?.ref.description == "ghcr.io/nine-minds/workflow-worker:a2cbb43")
    }

    @Test func unpinnedInventoryImagesAreWarnings() throws {
        let real = try ReleaseValidator.validate("1.0-rc5", releasesDirectory: releasesDirectory)
        #expect(!real.warnings.contains { $0.rule == "lint.mutable-tag" })
        #expect(real.warnings.contains { $0.rule == "lint.no-digest" && $0.message.hasPrefix("docker.io/temporalio/ui:2.30.0") })

        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        try scratch.write("1.0-rc5/release.json", try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("1.0-rc5/release.json")))
        let inventory = try String(contentsOf: scratch.root.appendingPathComponent("appliance.json"), encoding: .utf8)
            .replacingOccurrences(of: #""tag": "7.4","#, with: #""tag": "latest","#)
            .replacingOccurrences(of: #""tag": "1.36","#, with: "")
        try scratch.write("appliance.json", Data(inventory.utf8))
        let report = try ReleaseValidator.validate("1.0-rc5", releasesDirectory: scratch.root.path)
        let mutable = report.warnings.filter { $0.rule == "lint.mutable-tag" }
        #expect(
            Set(mutable.compactMap { $0.message.split(separator: " ").first.map(String.init) })
                == ["docker.io/library/redis:latest", "docker.io/library/busybox"])
    }

    @Test func channelsResolveAndDanglingChannelsAreErrors() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let rc5 = try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("1.0-rc5/release.json"))
        try scratch.write("1.0-rc5/release.json", rc5)
        try Data(#"{"channel": "stable", "releaseVersion": "1.0-rc5"}"#.utf8).write(to: scratch.root.appendingPathComponent("channels/stable.json"))
        try Data(#"{"channel": "nightly", "releaseVersion": "9.9"}"#.utf8).write(to: scratch.root.appendingPathComponent("channels/nightly.json"))
        let report = try ReleaseValidator.validate("channel:stable", releasesDirectory: scratch.root.path)
        #expect(report.location.channel?.name == "stable")
        #expect(report.errors.contains { $0.rule == "lint.channel-target" && $0.message.contains("9.9") })
        #expect(throws: InputError.self) { try ReleaseValidator.validate("channel:nightly", releasesDirectory: scratch.root.path) }
        #expect(throws: InputError.self) { try ReleaseValidator.validate("channel:beta", releasesDirectory: scratch.root.path) }
    }

    @Test func releasesAreListedByPrecedence() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        for version in ["1.0.1", "1.0", "1.0-rc5.1", "1.0-rc5", "notes"] { try scratch.write("\(version)/release.json", Data("{}".utf8)) }
        #expect(ReleaseStore(directory: scratch.root.path).releases() == ["1.0-rc5", "1.0-rc5.1", "1.0", "1.0.1", "notes"])
    }

    @Test func folderNameMismatchWarns() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let rc5 = try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("1.0-rc5/release.json"))
        try scratch.write("1.0-rc6/release.json", rc5)
        let report = try ReleaseValidator.validate("1.0-rc6", releasesDirectory: scratch.root.path)
        #expect(report.warnings.contains { $0.rule == "lint.folder-name" && $0.pointer == JSONPointer(["releaseVersion"]) })
    }

    @Test(arguments: MalformedCase.all)
    func malformedManifests(_ fixture: MalformedCase) throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let bytes = try fixture.bytes
        let file = try scratch.write("1.0-rc5/release.json", bytes)
        let outcome: Result<ValidationReport, InputError>
        do {
            outcome = .success(try ReleaseValidator.validate("1.0-rc5", releasesDirectory: scratch.root.path))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let report):
            #expect(fixture.exitCode == 1, "expected an input error, got a report")
            #expect(!report.errors.isEmpty)
            #expect(report.images == nil)
            let text = report.errors.map(\.formatted).joined(separator: "\n")
            for mention in fixture.mentions { #expect(text.contains(mention), "\(mention) not in:\n\(text)") }
            // Every error is the manifest's, except a release key the inventory needs, which is
            // reported where the inventory names it.
            #expect(report.errors.allSatisfy { $0.file == file || ($0.rule == "inventory.missing-key" && $0.file == report.inventory?.file) })
        case .failure(let error):
            #expect(fixture.exitCode == 2, "unexpected input error \(error)")
            #expect(error.file == file)
            for mention in fixture.mentions { #expect(error.description.contains(mention), "\(mention) not in: \(error)") }
        }
    }
}
