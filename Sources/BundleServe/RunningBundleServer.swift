import Hummingbird
import Logging
import NIOCore

/// A bundle server run inside another command (`mirror --from-bundle`): on 127.0.0.1 at a port
/// the system chose, until `stop()`.
public final class RunningBundleServer: Sendable {
    public let baseURL: String
    private let task: Task<Void, any Error>

    init(baseURL: String, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.task = task
    }

    public static func start(catalog: BundleCatalog) async throws -> RunningBundleServer {
        // What it serves is the run's own; the run reports every failure, and the server's stop
        // (cancelled once the run is done) is not one.
        var logger = Logger(label: "alga-release.bundle-server")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let app = BundleServer.application(catalog: catalog, host: "127.0.0.1", port: 0, logger: logger) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let task = Task { try await app.run() }
        var port = 0
        for await bound in ports { port = bound }
        guard port > 0 else {
            task.cancel()
            throw BundleCatalog.Unusable(description: "the bundle's server did not start on 127.0.0.1")
        }
        return RunningBundleServer(baseURL: "http://127.0.0.1:\(port)", task: task)
    }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

extension BundleServer {
    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight.
    public static func serve(catalog: BundleCatalog, host: String, port: Int, maxConnections: Int) async throws {
        var logger = Logger(label: "alga-release.serve-bundle")
        logger.logLevel = .notice
        let said = logger
        try await application(catalog: catalog, host: host, port: port, maxConnections: maxConnections, logger: logger) { channel in
            said.notice("serving \(catalog.root.path) at http://\(channel.localAddress?.ipAddress ?? host):\(channel.localAddress?.port ?? port)")
        }.runService()
    }
}
