import ApplianceStatus
import Foundation
import KubernetesRead
import NIOCore
import RegistryLab
import ReleaseModel
import TestSupport
import Testing

/// An API server and snapshot folders that misbehave on purpose (hardening issue #10): each case
/// crashed, hung or grew without bound before the fix.
@Suite(.enabled(if: SystemTool.available(.openssl), "needs openssl for the test PKI")) struct HostileAPITests {
    static let emptyList = Array(#"{"kind":"List","items":[]}"#.utf8)

    /// A Kubernetes API stand-in over HTTPS whose every answer the test decides.
    static func api(_ handler: @escaping LoopbackHTTPServer.Handler) async throws -> (LoopbackHTTPServer, LiveCluster, TestPKI) {
        let pki = try TestPKI()
        let server = try await LoopbackHTTPServer(tls: try pki.serverTLS(requireClientCertificate: false), handler: handler)
        let cluster = try LiveCluster(kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, clientCertificate: false)), model: .standard)
        return (server, cluster, pki)
    }

    // #10.5: the 38-byte file that made the list decoder recurse until the stack overflowed.
    @Test(arguments: [
        #"{"kind":"List","items":[{"kind":""}]}"#,
        #"{"kind":"List","items":[{"kind":"List","items":[{"kind":"List","items":[]}]}]}"#,
        #"{"kind":"ListList","items":[{}]}"#,
    ])
    func listsThatNameListsDoNotRecurse(document: String) throws {
        let folder = try ScratchFolder.folder("hostile-list")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(document.utf8).write(to: folder.appendingPathComponent("a.json"))
        let snapshot = try SnapshotFolder.read(folder.path)
        #expect(snapshot.pods.isEmpty && snapshot.nodes.isEmpty)
    }

    @Test func aMixedListStillSortsItsItemsByKind() throws {
        let folder = try ScratchFolder.folder("mixed-list")
        defer { try? FileManager.default.removeItem(at: folder) }
        let document =
            #"{"kind":"List","items":[{"kind":"Pod","metadata":{"name":"p","namespace":"msp"}},{"kind":"Node","metadata":{"name":"n"}},{"kind":"ConfigMap","metadata":{"name":"c"}}]}"#
        try Data(document.utf8).write(to: folder.appendingPathComponent("a.json"))
        let snapshot = try SnapshotFolder.read(folder.path)
        #expect(snapshot.pods.map(\.metadata.name) == ["p"])
        #expect(snapshot.nodes.map(\.metadata.name) == ["n"])
    }

    @Test func theLiveReaderDoesNotRecurseEither() async throws {
        let (server, cluster, pki) = try await Self.api { request in
            request.path == "/api/v1/nodes"
                ? .respond(status: 200, body: Array(#"{"kind":"List","items":[{"kind":""}]}"#.utf8)) : .respond(status: 200, body: Self.emptyList)
        }
        defer { pki.remove() }
        let snapshot = try await cluster.read()
        await cluster.shutdown()
        await server.stop()
        #expect(snapshot.nodes.isEmpty)
    }

    // #10.6: an API that always says there is more.
    @Test func endlessContinueEnds() async throws {
        let counter = Counter()
        let (server, cluster, pki) = try await Self.api { request in
            guard request.path == "/api/v1/events" else { return .respond(status: 200, body: Self.emptyList) }
            return .respond(status: 200, body: Array(#"{"kind":"EventList","metadata":{"continue":"more-\#(counter.next())"},"items":[]}"#.utf8))
        }
        defer { pki.remove() }
        await #expect(throws: ClusterUnreachable.self) { try await cluster.read() }
        await cluster.shutdown()
        await server.stop()
        #expect(server.requests.filter { $0.path == "/api/v1/events" }.count <= ObservationLimits().maxPages)
    }

    @Test func aRepeatedContinueTokenIsCaughtAtOnce() async throws {
        let (server, cluster, pki) = try await Self.api { request in
            guard request.path == "/api/v1/events" else { return .respond(status: 200, body: Self.emptyList) }
            return .respond(status: 200, body: Array(#"{"kind":"EventList","metadata":{"continue":"same"},"items":[]}"#.utf8))
        }
        defer { pki.remove() }
        do {
            _ = try await cluster.read()
            Issue.record("an endless list was read to its end")
        } catch {
            #expect(error.reason.contains("same continue token twice"), "\(error)")
        }
        await cluster.shutdown()
        await server.stop()
        #expect(server.requests.filter { $0.path == "/api/v1/events" }.count == 2)
    }

    // #10.4: the live reader's deadline covers the body.
    @Test func aDrippingAPICannotStretchTheDeadline() async throws {
        let (server, cluster, pki) = try await Self.api { request in
            request.path == "/api/v1/nodes"
                ? .drip(status: 200, body: Self.emptyList + Array(repeating: 32, count: 300))
                : .respond(status: 200, body: Self.emptyList)
        }
        defer { pki.remove() }
        let source = StatusSource.live(cluster, loginURL: "http://127.0.0.1:1/")
        let start = ContinuousClock.now
        await #expect(throws: ClusterUnreachable.self) { try await source.collect(timeout: 3) }
        let elapsed = ContinuousClock.now - start
        await source.shutdown()
        await server.stop()
        #expect(elapsed < .seconds(11), "ran \(elapsed) against a 3 s timeout")
    }

    /// A directory, a JSON file and an oversized file given as --kubeconfig get what is wrong, not a
    /// Swift decoding dump.
    @Test func kubeconfigsThatAreNotOneSayWhy() throws {
        let folder = try ScratchFolder.folder("kubeconfig")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("config.json")
        try Data(#"{"apiVersion":"v1"}"#.utf8).write(to: json)
        let big = folder.appendingPathComponent("big")
        try Data(repeating: 32, count: Kubeconfig.maxBytes + 1).write(to: big)
        for (path, words) in [
            (folder.path, "is a directory"), (json.path, ".clusters: missing"), (big.path, "at most 1 MiB"), (folder.path + "/none", "no such kubeconfig"),
        ] {
            do {
                _ = try Kubeconfig.read(path)
                Issue.record("\(path) was read as a kubeconfig")
            } catch {
                #expect(error.file == path && error.reason.contains(words), "\(error)")
                #expect(!error.reason.contains("DecodingError"), "\(error)")
            }
        }
    }

    // #10.12: a snapshot too large to hold is refused unread, with the bound in the message.
    @Test func oversizedSnapshotFilesAreRefused() throws {
        let folder = try ScratchFolder.folder("big-snapshot")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.emptyList + Array(repeating: 32, count: 3000)).write(to: folder.appendingPathComponent("a.json"))
        try Data(Self.emptyList + Array(repeating: 32, count: 3000)).write(to: folder.appendingPathComponent("b.json"))
        do {
            _ = try SnapshotFolder.read(folder.path, limits: ObservationLimits(maxBodyBytes: 1 << 20, maxTotalBytes: 4000))
            Issue.record("a snapshot over its total limit was read")
        } catch {
            #expect(error.reason.contains("in all"), "\(error)")
        }
        do {
            _ = try SnapshotFolder.read(folder.path, limits: ObservationLimits(maxBodyBytes: 2000))
            Issue.record("a file over its limit was read")
        } catch {
            #expect(error.file.hasSuffix("a.json") && error.reason.contains("at most"), "\(error)")
        }
        #expect(throws: Never.self) { try SnapshotFolder.read(folder.path) }
    }
}
