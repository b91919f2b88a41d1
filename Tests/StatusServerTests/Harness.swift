import ApplianceStatus
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KubernetesRead
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import StatusAccess
import StatusServer
import TestSupport

let testToken = "5f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d"

/// Log lines kept in memory, so a test can read everything the server said.
final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }
    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }

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

/// How a test reaches the status server.
enum Transport {
    /// The real server on a free loopback port, over sockets (connection limits, slow clients,
    /// graceful shutdown, the binary's tests).
    case live
    /// The same router and middleware in process, through HummingbirdTesting's router framework:
    /// no socket, no port, the rule tests (auth, pages) run at function-call speed.
    case router
}

/// The status server, in process: on a free loopback port, or its router without a socket.
final class RunningServer: Sendable {
    let baseURL: String
    let logs: LogCapture
    let cache: StatusCache
    let collections: Counter
    private let client: (any TestClientProtocol)?
    private let group: ServiceGroup?
    private let stopRouter: AsyncStream<Void>.Continuation?
    private let task: Task<Void, any Error>

    static func start(
        tokenFile: String, refresh: Int = 5, throttle: FailureThrottle.Policy = .init(), maxConnections: Int = 256,
        sourceKind: String = "snapshot", transport: Transport = .live, size: @escaping @Sendable (String) -> Int? = { _ in nil },
        collect: @escaping StatusCache.Collect
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
        let access = AccessControl(token: TokenFile(path: tokenFile), throttle: FailureThrottle(policy: throttle))
        switch transport {
        case .router:
            let router = StatusApplication.router(cache: cache, access: access, refresh: refresh, logger: logger)
            let app = Application(router: router, logger: logger)
            // HummingbirdTesting hands out its client inside a closure; the closure stays open
            // (waiting on `stop`) for as long as the test uses the server.
            let (clients, clientContinuation) = AsyncStream.makeStream(of: (any TestClientProtocol).self)
            let (stop, stopContinuation) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                try await app.test(.router) { client in
                    clientContinuation.yield(client)
                    clientContinuation.finish()
                    for await _ in stop {}
                }
            }
            var client: (any TestClientProtocol)?
            for await c in clients { client = c }
            return RunningServer(
                baseURL: "", logs: logs, cache: cache, collections: counter, client: client, group: nil, stopRouter: stopContinuation, task: task)
        case .live:
            let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = StatusApplication.application(
                configuration: .init(host: "127.0.0.1", port: 0, refresh: refresh, idleTimeout: .seconds(30), maxConnections: maxConnections),
                cache: cache, access: access, logger: logger,
                onServerRunning: { channel in
                    portContinuation.yield(channel.localAddress?.port ?? 0)
                    portContinuation.finish()
                })
            let group = ServiceGroup(services: [app], logger: logger)
            let task = Task { try await group.run() }
            var port = 0
            for await p in portStream { port = p }
            return RunningServer(
                baseURL: "http://127.0.0.1:\(port)", logs: logs, cache: cache, collections: counter, client: nil, group: group, stopRouter: nil,
                task: task)
        }
    }

    static func snapshot(
        _ scenario: String, tokenFile: String, transport: Transport = .live, refresh: Int = 5, throttle: FailureThrottle.Policy = .init(),
        maxConnections: Int = 256
    ) async throws -> RunningServer {
        let source = StatusSource.snapshot(directory: k8sFixtures.appendingPathComponent(scenario).path)
        return try await start(tokenFile: tokenFile, refresh: refresh, throttle: throttle, maxConnections: maxConnections, transport: transport) {
            try await source.collect()
        }
    }

    private init(
        baseURL: String, logs: LogCapture, cache: StatusCache, collections: Counter, client: (any TestClientProtocol)?, group: ServiceGroup?,
        stopRouter: AsyncStream<Void>.Continuation?, task: Task<Void, any Error>
    ) {
        self.baseURL = baseURL
        self.logs = logs
        self.cache = cache
        self.collections = collections
        self.client = client
        self.group = group
        self.stopRouter = stopRouter
        self.task = task
    }

    /// One exchange with the server, whichever the transport; redirects are not followed.
    func send(_ method: NIOHTTP1.HTTPMethod = .GET, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        guard let client else { return try await HTTP.send(method, baseURL + path, headers: headers, body: body) }
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        let response = try await client.execute(
            uri: path, method: HTTPRequest.Method(rawValue: method.rawValue) ?? .get, headers: fields, body: body.map { ByteBuffer(string: $0) })
        var replyHeaders = HTTPHeaders()
        for field in response.headers { replyHeaders.add(name: field.name.rawName, value: field.value) }
        return Reply(status: Int(response.status.code), headers: replyHeaders, body: String(buffer: response.body))
    }

    func stop() async {
        await group?.triggerGracefulShutdown()
        stopRouter?.finish()
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
