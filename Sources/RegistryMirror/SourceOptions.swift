import AsyncHTTPClient
import Logging
import NIOCore
import RegistryCheck
import RegistryRules
import ReleaseModel

/// How a copy reads its source registries (`mirror`, `bundle`): as `check` reads them.
public struct SourceOptions: Sendable {
    public var credentials: CredentialStore
    /// `--mirror`: read a source registry from a stand-in.
    public var mirrors: MirrorMap
    /// The one platform to copy out of each index; nil for all.
    public var platform: Platform?
    public var retry: RetryPolicy
    /// The whole run's `--timeout`, in seconds.
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

    /// A registry client of the run (the source's credentials unless others are given).
    func client(http: HTTPClient, deadline: NIODeadline, credentials other: CredentialStore? = nil) -> RegistryClient {
        var logger = Logger(label: "alga-release.copy")
        logger.logLevel = .warning
        return RegistryClient(http: http, credentials: other ?? credentials, retry: retry, deadline: deadline, logger: logger, insecure: insecure)
    }

    /// Where `ref` is read: its registry, or the stand-in `--mirror` names for it.
    func side(for ref: ImageReference, client: RegistryClient) -> RegistrySide {
        RegistrySide(client: client, endpoint: mirrors.endpoint(for: ref.registry), repository: ref.repository, registry: ref.registry, push: false)
    }

    /// A copy run's frame, shared by mirror and bundle: the references once each, in order; one
    /// HTTP client and the run's deadline; progress every half second; the client shut down after.
    func session(
        _ refs: [ImageReference], progress: (@Sendable (CopyProgress) -> Void)?,
        _ body: ([ImageReference], HTTPClient, NIODeadline, TransferMeter) async -> [MirroredImage]
    ) async -> [MirroredImage] {
        var unique: [ImageReference] = []
        for ref in refs where !unique.contains(ref) { unique.append(ref) }
        let http = RegistryClient.makeHTTPClient(concurrency: concurrency)
        let meter = TransferMeter()
        let ticker = progress.map { [count = unique.count] in meter.ticker(images: count, report: $0) }
        let results = await body(unique, http, NIODeadline.after(seconds: timeout), meter)
        ticker?.cancel()
        try? await http.shutdown()
        return results
    }
}
