import ApplianceStatus
import AsyncHTTPClient
import Foundation
import Hummingbird
import KubernetesRead
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import StatusAccess
import StatusServer
import TestSupport

let testToken = "5f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d"

/// Log lines kept in memory, so a test can read everything the server said.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }

    func logger() -> Logger {
        var logger = Logger(label: "appliance-status-test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(event.message) \(all.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        }
    }
}

/// A token file in a scratch folder, replaced the way a Secret volume does it: a new file renamed over.
struct ScratchToken {
    let directory: URL
    var path: String { directory.appendingPathComponent("token").path }

    init(_ token: String? = testToken) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("status-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let token { try rotate(to: token) }
    }

    func rotate(to token: String) throws {
        let staging = directory.appendingPathComponent(".token-\(UUID().uuidString)")
        try Data((token + "\n").utf8).write(to: staging)
        guard rename(staging.path, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// The status server, in process, on a free loopback port.
final class RunningServer: Sendable {
    let baseURL: String
    let logs: LogCapture
    let cache: StatusCache
    let collections: Counter
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static func start(
        tokenFile: String, refresh: Int = 5, throttle: FailureThrottle.Policy = .init(), maxConnections: Int = 256,
        sourceKind: String = "snapshot", size: @escaping @Sendable (String) -> Int? = { _ in nil }, collect: @escaping StatusCache.Collect
    ) async throws -> RunningServer {
        let logs = LogCapture()
        let logger = logs.logger()
        let counter = Counter()
        let cache = StatusCache(
            sourceKind: sourceKind, refresh: TimeInterval(refresh), model: .standard,
            collect: {
                _ = counter.next()
                return try await collect()
            },
            render: { snapshot, now in ApplianceStatusRules.status(snapshot, now: now, size: size, model: .standard) })
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = StatusApplication.application(
            configuration: .init(host: "127.0.0.1", port: 0, refresh: refresh, idleTimeout: .seconds(30), maxConnections: maxConnections), cache: cache,
            access: AccessControl(token: TokenFile(path: tokenFile), throttle: FailureThrottle(policy: throttle)), logger: logger,
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            })
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var port = 0
        for await p in portStream { port = p }
        return RunningServer(baseURL: "http://127.0.0.1:\(port)", logs: logs, cache: cache, collections: counter, group: group, task: task)
    }

    static func snapshot(
        _ scenario: String, tokenFile: String, refresh: Int = 5, throttle: FailureThrottle.Policy = .init(), maxConnections: Int = 256
    ) async throws -> RunningServer {
        let source = StatusSource.snapshot(directory: k8sFixtures.appendingPathComponent(scenario).path)
        return try await start(tokenFile: tokenFile, refresh: refresh, throttle: throttle, maxConnections: maxConnections) { try await source.collect() }
    }

    private init(baseURL: String, logs: LogCapture, cache: StatusCache, collections: Counter, group: ServiceGroup, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.logs = logs
        self.cache = cache
        self.collections = collections
        self.group = group
        self.task = task
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// One HTTP exchange, redirects not followed.
struct Reply {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    func header(_ name: String) -> String? { headers.first(name: name) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
}

enum HTTP {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    static func send(_ method: HTTPMethod = .GET, _ url: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    static func bearer(_ token: String = testToken) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }
}

extension Reply {
    /// The `name=value` part of Set-Cookie, ready for a Cookie header.
    var sessionCookie: String? {
        header("Set-Cookie")?.split(separator: ";").first.map(String.init)
    }
}
