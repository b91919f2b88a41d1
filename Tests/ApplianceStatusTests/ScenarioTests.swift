import ApplianceStatus
import Foundation
import KubernetesRead
import ReleaseModel
import TestSupport
import Testing

/// The lock a `check --write-lock` of the recorded cluster's images would give (sizes are what the
/// status reads from it).
let recordedLock = RegistryLock(
    release: nil, platform: "linux/amd64",
    images: [
        .init(
            ref: "ghcr.io/nine-minds/alga-psa-ee:94446747", digest: "sha256:" + String(repeating: "1", count: 64), mediaType: nil,
            compressedSize: 1_865_012_736, platforms: ["linux/amd64"])
    ])

func evaluate(_ scenario: String) throws -> (StatusDocument, ScenarioExpectation.Expected) {
    let snapshot = try SnapshotFolder.read(k8sFixtures.appendingPathComponent(scenario).path)
    let now = try #require(snapshot.probes?.observedAt)
    let sizes = LockSizes(recordedLock)
    let document = ApplianceStatusRules.status(snapshot, now: now, size: sizes.size(of:), model: .standard)
    return (document, try ScenarioExpectation.load(scenario).expected)
}

@Suite struct ScenarioTests {
    @Test(arguments: scenarios)
    func tiersAndRollup(scenario: String) throws {
        let (document, expected) = try evaluate(scenario)
        let tiers = expected.tiers
        #expect(document.tiers.platform.ready == tiers.platform, "platform: \(document.tiers.platform.reason)")
        #expect(document.tiers.core.ready == tiers.core, "core: \(document.tiers.core.reason)")
        #expect(document.tiers.bootstrap.ready == tiers.bootstrap, "bootstrap: \(document.tiers.bootstrap.reason)")
        #expect(document.tiers.login.ready == tiers.login, "login: \(document.tiers.login.reason)")
        #expect(document.tiers.background.ready == tiers.background, "background: \(document.tiers.background.reason)")
        #expect(
            document.rollup.state.rawValue == expected.rollup,
            "\(document.rollup) blockers: \(document.topBlockers.map { "\($0.kind) \($0.component)" })")
    }

    @Test(arguments: scenarios)
    func topBlocker(scenario: String) throws {
        let (document, expected) = try evaluate(scenario)
        guard let top = expected.topBlocker else {
            #expect(document.topBlockers.isEmpty, "\(document.topBlockers)")
            return
        }
        let first = try #require(document.topBlockers.first)
        #expect(first.kind.rawValue == top.kind)
        #expect(first.component == top.component)
        #expect(first.loginBlocking == top.loginBlocking)
        #expect(first.nextAction == top.nextAction)
        if let image = top.image { #expect(first.image == image) }
        if let evidence = top.evidence, !evidence.contains("*") { #expect(first.evidence == evidence) }
    }

    @Test(arguments: scenarios)
    func activeOperations(scenario: String) throws {
        let (document, expected) = try evaluate(scenario)
        let operations = expected.activeOperations
        #expect(document.activeOperations.count == operations.count, "\(document.activeOperations)")
        for (actual, wanted) in zip(document.activeOperations, operations) {
            #expect(actual.operation == wanted.operation)
            #expect(actual.image == wanted.image)
            #expect(Set(actual.pods) == Set(wanted.pods))
            #expect(actual.startedAt == RFC3339.parse(wanted.startedAt))
            #expect(actual.elapsedSeconds == wanted.elapsedSeconds)
            #expect(actual.progressAvailable == wanted.progressAvailable)
            #expect(actual.estimatedSizeBytes == wanted.estimatedSizeBytes)
        }
    }
}
