import AsyncHTTPClient
import Logging
import NIOCore
import RegistryRules
import ReleaseModel

/// How a run reads registries: `check`'s gate, and the sources of `mirror` and `bundle`.
public struct SourceOptions: Sendable {
    public var credentials: CredentialStore
    /// `--mirror`: read a source registry from a stand-in.
    public var mirrors: MirrorMap
    /// The platform the gate asks every image for (nil: linux/amd64); the one platform a copy
    /// takes out of each index (nil: all).
    public var platform: Platform?
    public var retry: RetryPolicy
    /// The whole run's `--timeout`, in seconds (already within `RunLimits`).
    public var timeout: Double
    public var concurrency: Int
    public var insecure: Bool

    public init(
        credentials: CredentialStore = CredentialStore(), mirrors: MirrorMap = MirrorMap(), platform: Platform? = nil, retry: RetryPolicy = RetryPolicy(),
        timeout: Double, concurrency: Int, insecure: Bool = false
    ) {
        self.credentials = credentials
        self.mirrors = mirrors
        self.platform = platform
        self.retry = retry
        self.timeout = timeout
        self.concurrency = concurrency
        self.insecure = insecure
    }

    /// A registry client of the run (these credentials unless others are given).
    package func client(http: HTTPClient, deadline: NIODeadline, credentials other: CredentialStore? = nil) -> RegistryClient {
        var logger = Logger(label: "alga-release.registry")
        logger.logLevel = .warning
        return RegistryClient(http: http, credentials: other ?? credentials, retry: retry, deadline: deadline, logger: logger, insecure: insecure)
    }
}
