import ApplianceModel
import ApplianceStatus
import ArgumentParser
import BoundedHTTP
import Foundation
import Hummingbird
import JSONDocument
import KubernetesRead
import Logging
import NIOCore
import ReleaseModel
import ServiceLifecycle
import StatusAccess
import StatusOptions
import StatusServer

@main
struct ApplianceStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appliance-status",
        abstract: "The appliance's status page and API on http://<node-ip>:8080, behind the status token.",
        discussion: """
            Routes: GET /healthz (no token, no cluster data); GET /api/status (the canonical status document), /api/overview, /api/diagnostics; GET / and /diagnostics (HTML pages that refresh themselves); GET/POST /login, POST /logout.

            Every route but /healthz and the sign-in form needs the token from --token-file: `Authorization: Bearer TOKEN` for the API, or the session cookie the sign-in form (or a one-time ?token= link, which redirects to the same address without it) sets. Repeated wrong tokens from one address get 429 with Retry-After. The token file is read again when it changes (a rotated Secret); the token never appears in the log.

            One collection runs at a time, at most every --refresh seconds and only when a request asks; requests are answered from the last result, with its age in the Age header and on the page. SIGTERM and SIGINT stop the server gracefully.

            --token-file holds the status token: 48 hex characters on one line, the Secret appliance-status-auth mounted as a file on the appliance. `alga-release status-token --site-dir DIR` makes one (and prints the Secret).

            Example: appliance-status --port 8080 --token-file token --snapshot Tests/Fixtures/k8s/core-image-pulling

            EXIT CODES:
              0   stopped by SIGTERM or SIGINT
              1   the server stopped with an error
              2   the input could not be used (snapshot folder, kubeconfig, lock) or the port is already in use
              64  usage error
            """,
        version: "0.1.0")

    @Option(help: "The address to listen on.")
    var bind = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one; the log says which).")
    var port = 8080

    @Option(name: .customLong("token-file"), help: "The file that holds the status token (the mounted appliance-status-auth Secret).")
    var tokenFile: String

    @OptionGroup var sourceOptions: StatusSourceOptions

    @Option(help: "Seconds between collections, at most (and the page's refresh period).")
    var refresh = 5

    @Option(name: .customLong("site-id"), help: "The site's name in the status document.")
    var siteId = "appliance-single-node"

    @Option(name: .customLong("max-connections"), help: "Open connections at most; more wait in the listen backlog (1 to 65536).")
    var maxConnections = StatusApplication.Configuration.defaultMaxConnections

    @Option(
        name: .customLong("collection-timeout"),
        help: "Seconds one collection may take, bodies included; then it counts as failed and the last good result is served.")
    var collectionTimeout: Double = 30

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard (1...3600).contains(refresh) else { throw ValidationError("--refresh must be 1 to 3600 seconds") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (1...65536).contains(maxConnections) else { throw ValidationError("--max-connections must be 1 to 65536") }
        if let problem = RunLimits.seconds(collectionTimeout, name: "--collection-timeout") { throw ValidationError(problem) }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The lock and the status source; failures are unusable input (exit 2).
    func inputs() throws(InputError) -> (LockSizes, StatusSource, ApplianceModel) {
        let sizes = try sourceOptions.sizes()
        // Read once now so a wrong path fails at start, not as a page that says "unreachable".
        if let snapshot = sourceOptions.snapshot { _ = try SnapshotFolder.read(snapshot) }
        let appliance = try sourceOptions.appliance()
        return (sizes, try sourceOptions.source(model: appliance), appliance)
    }

    func run() async throws {
        ProcessTimeZone.fixedUnlessSet()
        var logger = Logger(label: "appliance-status") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let log = logger

        let sizes: LockSizes
        let source: StatusSource
        let appliance: ApplianceModel
        do {
            (sizes, source, appliance) = try inputs()
        } catch {
            log.critical("cannot start: \(error)")
            throw ExitCode(ExitStatus.unusableInput)
        }

        let token = TokenFile(path: tokenFile) { change in
            switch change {
            case .success: log.notice("status token loaded", metadata: ["file": .string(tokenFile)])
            case .failure(let error): log.error("no usable status token: every request but /healthz gets 401", metadata: ["reason": .string(error.description)])
            }
        }
        _ = token.current()
        let siteId = siteId
        let cache = StatusCache(
            sourceKind: source.kind, refresh: TimeInterval(refresh), model: appliance,
            collect: { [collectionTimeout] in try await source.collect(timeout: collectionTimeout) },
            render: { snapshot, now in ApplianceStatusRules.status(snapshot, now: now, siteId: siteId, size: sizes.size(of:), model: appliance) },
            onCollection: { c in
                if let error = c.error {
                    log.warning("collection \(c.number) failed after \(c.milliseconds) ms", metadata: ["error": .string(error)])
                } else {
                    log.info("collection \(c.number) took \(c.milliseconds) ms")
                }
            })
        let app = StatusApplication.application(
            configuration: .init(host: bind, port: port, refresh: refresh, maxConnections: maxConnections), cache: cache,
            access: AccessControl(token: token, throttle: FailureThrottle(), tokenSecret: appliance.provided(.statusToken)?.qualifiedName ?? "status token"),
            logger: log,
            onServerRunning: { channel in
                log.notice(
                    "listening on http://\(bind):\(channel.localAddress?.port ?? port)",
                    metadata: ["source": .string(source.kind), "refresh": .stringConvertible(refresh)])
            })
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await source.shutdown()
            // A port that cannot be bound is the command line's address: unusable input (2), with
            // the same one-line reason; anything else that stops the server is a failure (1).
            if (error as? IOError)?.errnoCode == EADDRINUSE {
                log.critical("cannot listen on \(bind):\(port): the address is already in use (another appliance-status, or pick another --port)")
                throw ExitCode(ExitStatus.unusableInput)
            }
            log.critical("the server stopped: \(error)")
            throw ExitCode(ExitStatus.failed)
        }
        await source.shutdown()
        log.notice("stopped")
    }
}
