import ApplianceStatus
import Foundation
import JSONDocument
import KubernetesRead
import ReleaseModel
import TestSupport
import Testing

func rawCount(_ scenario: String, _ file: String) throws -> Int {
    let data = try Data(contentsOf: k8sFixtures.appendingPathComponent("\(scenario)/\(file)"))
    return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [Any])?.count ?? -1
}

@Suite struct SnapshotFolderTests {
    /// Fails on no product bug, on purpose: the parameterized scenario tests take their cases from
    /// the fixture folder, and a lost or renamed folder would make them run zero cases and pass.
    @Test func theFourRecordedScenariosAreThere() {
        #expect(scenarios == ["core-image-pulling", "db-subpath", "healthy-full", "login-ready-background-failed"])
    }

    /// A support-bundle folder: kubectl lists and `kubectl get --raw /readyz > readyz.txt`, no probes.json.
    @Test func readyzTextStandsInForProbes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: k8sFixtures.appendingPathComponent("healthy-full/nodes.json"), to: folder.appendingPathComponent("nodes.json"))
        try Data("[-]etcd failed: reason withheld\nreadyz check failed\n".utf8).write(to: folder.appendingPathComponent("readyz.txt"))
        let snapshot = try SnapshotFolder.read(folder.path)
        #expect(snapshot.probes?.readyz == "[-]etcd failed: reason withheld\nreadyz check failed")
        #expect(ApplianceStatusRules.status(snapshot, now: Date(), model: .standard).topBlockers.first?.kind == .kubernetesUnavailable)
    }

    @Test(arguments: scenarios)
    func everyListIsDecodedWhole(scenario: String) throws {
        let snapshot = try SnapshotFolder.read(k8sFixtures.appendingPathComponent(scenario).path)
        #expect(snapshot.nodes.count == (try rawCount(scenario, "nodes.json")))
        #expect(snapshot.pods.count == (try rawCount(scenario, "pods-msp.json")))
        #expect(snapshot.events.count == (try rawCount(scenario, "events.json")))
        #expect(snapshot.deployments.count == (try rawCount(scenario, "deployments-msp.json")))
        #expect(snapshot.statefulSets.count == (try rawCount(scenario, "statefulsets-msp.json")))
        #expect(snapshot.jobs.count == (try rawCount(scenario, "jobs-msp.json")))
        #expect(snapshot.persistentVolumeClaims.count == (try rawCount(scenario, "pvcs-msp.json")))
        #expect(snapshot.kustomizations.count == (try rawCount(scenario, "kustomizations.json")))
        #expect(snapshot.helmReleases.count == (try rawCount(scenario, "helmreleases.json")))
        #expect(snapshot.gitRepositories.count == (try rawCount(scenario, "gitrepositories.json")))
        #expect(snapshot.ociRepositories.isEmpty)
    }

    /// Every event has a time (whatever its shape), within the API server's 1 h event TTL of the observation.
    @Test(arguments: scenarios)
    func eventTimesAndTheClockComeThrough(scenario: String) throws {
        let snapshot = try SnapshotFolder.read(k8sFixtures.appendingPathComponent(scenario).path)
        let observedAt = try #require(snapshot.probes?.observedAt)
        let recorded = RFC3339.parse(try ScenarioExpectation.load(scenario).observedAt)
        #expect(observedAt == recorded)
        for event in snapshot.events {
            let time = try #require(event.time, "\(event.metadata.name) has no time")
            #expect(time <= observedAt && observedAt.timeIntervalSince(time) <= 3600, "\(event.metadata.name)")
            #expect(!event.message.isEmpty)
        }
        let allReady = snapshot.nodes.allSatisfy { $0.isReady }
        #expect(allReady)
    }

    @Test func eventsOfTheEventsK8sIoShape() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        try scratch.write("events.json", Data(contentsOf: k8sFixtures.appendingPathComponent("_variants/events-k8s-io-v1-eventlist.json")))
        let events = try SnapshotFolder.read(scratch.root.path).events
        #expect(!events.isEmpty)
        let scheduled = try #require(events.first { $0.reason == "Scheduled" })
        #expect(scheduled.involvedObject.kind == "Pod")
        #expect(scheduled.message.hasPrefix("Successfully assigned msp/"))
        #expect(scheduled.time == RFC3339.parse("2026-05-12T13:33:06.412309Z"))
        #expect(events.allSatisfy { $0.time != nil && $0.involvedObject.name != nil })
    }

    @Test func aMixedListIsSplitByItemKind() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        try scratch.write(
            "get-all.json",
            Data(
                #"{"kind":"List","apiVersion":"v1","items":[{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"msp","managedFields":[{"x":1}]},"status":{"phase":"Running"}},{"kind":"Node","apiVersion":"v1","metadata":{"name":"n"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}]}"#
                    .utf8))
        let snapshot = try SnapshotFolder.read(scratch.root.path)
        #expect(snapshot.pods.map(\.metadata.name) == ["p"])
        #expect(snapshot.nodes.first?.isReady == true)
    }

    @Test func unreadableInputNamesTheFile() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        try scratch.write("pods.json", Data(#"{"kind":"PodList","items":[{"metadata":{"name":"p","creationTimestamp":"yesterday"}}]}"#.utf8))
        #expect(throws: InputError.self) { try SnapshotFolder.read(scratch.root.path) }
        do { _ = try SnapshotFolder.read(scratch.root.path) } catch {
            #expect(error.file.hasSuffix("pods.json"))
            #expect(error.reason.contains("creationTimestamp"))
        }
        try scratch.write("pods.json", Data("{\"kind\": ".utf8))
        #expect(throws: InputError.self) { try SnapshotFolder.read(scratch.root.path) }
        let empty = try ScratchReleases()
        defer { empty.remove() }
        #expect(throws: InputError.self) { try SnapshotFolder.read(empty.root.path) }  // only schema.json and appliance.json: no List
        #expect(throws: InputError.self) { try SnapshotFolder.read("/nonexistent/snapshot") }
    }

    @Test func previousLogsAreRead() throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        try scratch.write("nodes.json", Data(#"{"kind":"NodeList","items":[]}"#.utf8))
        try scratch.write("logs/msp/temporal-abc/temporal.previous.log", Data("sql schema version compatibility check failed\n".utf8))
        let snapshot = try SnapshotFolder.read(scratch.root.path)
        #expect(snapshot.previousLogs["msp/temporal-abc/temporal"]?.contains("schema version") == true)
    }
}

@Suite struct TimeParsingTests {
    /// The hand parser agrees with Foundation's ISO 8601 formatter.
    @Test(arguments: [
        "2026-05-12T13:17:30Z", "2026-05-12T13:33:06.412309Z", "2024-02-29T23:59:59.5+02:00", "1999-12-31T00:00:00-05:30", "2026-01-01t00:00:00z",
    ])
    func agreesWithFoundation(text: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        let expected = try #require(formatter.date(from: text.uppercased()))
        let parsed = try #require(RFC3339.parse(text))
        #expect(abs(parsed.timeIntervalSince(expected)) < 0.001)
    }

    @Test(arguments: ["", "2026-05-12", "2026-13-12T00:00:00Z", "2026-05-12T13:17:30", "2026-05-12T13:17:30.Z", "yesterday", "2026-05-12T13:17:30Zx"])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
