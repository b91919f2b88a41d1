import BoundedHTTP
import Logging
import RegistryRules
import ReleaseModel

/// The one door the CLI goes through to check images: it makes the HTTP client, the registry
/// client and the checker, runs the checks within the run's deadline and shuts the client down,
/// so no caller handles NIO, AsyncHTTPClient or a logger.
public enum RegistryGate {
    /// Checks `images` (identical references once), results in the order of `images`.
    public static func check(
        _ images: [ResolvedImage], options: SourceOptions, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async -> [CheckedImage] {
        let http = RegistryClient.makeHTTPClient(concurrency: options.concurrency)
        let client = options.client(http: http, deadline: .after(seconds: options.timeout))
        let checker = ImageChecker(client: client, mirrors: options.mirrors, platform: options.platform ?? .linuxAMD64)
        let checked = await checker.checkAll(images, concurrency: options.concurrency, progress: progress)
        // Every request has finished (each is bounded by the deadline); a failed shutdown leaves
        // nothing to report.
        try? await http.shutdown()
        return checked
    }
}
