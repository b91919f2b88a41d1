import BoundedHTTP
import Logging
import RegistryRules
import ReleaseModel

/// The one door the CLI goes through to check images: it makes the HTTP client, the registry
/// client and the checker, runs the checks within the run's deadline and shuts the client down,
/// so no caller handles NIO, AsyncHTTPClient or a logger.
public enum RegistryGate {
    /// What one check run may do.
    public struct Options: Sendable {
        public var credentials: CredentialStore
        public var mirrors: MirrorMap
        public var platform: Platform
        public var retry: RetryPolicy
        /// The whole run's `--timeout`, in seconds (already within `RunLimits`).
        public var timeout: Double
        /// Checks in flight at once.
        public var concurrency: Int
        /// `--insecure`: token realms, like mirrors, may be plain http off loopback.
        public var insecure: Bool

        public init(
            credentials: CredentialStore = CredentialStore(), mirrors: MirrorMap = MirrorMap(), platform: Platform = .linuxAMD64,
            retry: RetryPolicy = RetryPolicy(), timeout: Double, concurrency: Int, insecure: Bool = false
        ) {
            self.credentials = credentials
            self.mirrors = mirrors
            self.platform = platform
            self.retry = retry
            self.timeout = timeout
            self.concurrency = concurrency
            self.insecure = insecure
        }
    }

    /// Checks `images` (identical references once), results in the order of `images`.
    public static func check(
        _ images: [ResolvedImage], options: Options, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async -> [CheckedImage] {
        let http = RegistryClient.makeHTTPClient(concurrency: options.concurrency)
        var logger = Logger(label: "alga-release.check")
        logger.logLevel = .warning
        let client = RegistryClient(
            http: http, credentials: options.credentials, retry: options.retry, deadline: .after(seconds: options.timeout), logger: logger,
            insecure: options.insecure)
        let checker = ImageChecker(client: client, mirrors: options.mirrors, platform: options.platform)
        let checked = await checker.checkAll(images, concurrency: options.concurrency, progress: progress)
        // Every request has finished (each is bounded by the deadline); a failed shutdown leaves
        // nothing to report.
        try? await http.shutdown()
        return checked
    }
}
