import AsyncHTTPClient
import NIOCore
import RegistryCheck
import RegistryRules
import ReleaseModel

extension SourceOptions {
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
