import ArgumentParser
import BundleServe
import Foundation
import JSONDocument
import RegistryMirror
import RegistryRules
import ReleaseModel
import TextFormat

struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Copy every image of a release to another registry, for air-gapped and slow sites.",
        discussion: """
            The images are the release's (the model's), with --repo also every image and OCI chart the install plan finds pulled. Each goes to TARGET with the source's path and the host dropped: ghcr.io/nine-minds/x:t is HOST[/PREFIX]/nine-minds/x:t. Manifests are copied byte for byte (digests stay the same), blobs are streamed from the source into the target's upload and verified against their digests as they pass (never held whole in memory); a blob the target has is not sent again, one it has in another repository is mounted. Manifests are pushed by digest, children first; the tags last, and only when every image got that far (a failed image leaves the whole release untagged at the target; run it again and only what is missing is sent).

            An index is copied whole by default, every platform, so the tag's digest at the target is the source's and a reference pinned by digest keeps working. --platform P copies only P's image out of each index: the target's tag then names that image (reported as targetDigest), and a reference pinned to an index digest still gets the whole index.

            The source is read as check reads it (its credentials and --mirror SOURCE=URL for a stand-in); the target has its own credentials: --to-username with --to-password-stdin, ALGA_TARGET_PASSWORD (with ALGA_TARGET_USERNAME), or the Docker config's auths for its host. After the report comes the Talos machine config patch that points the node's pulls of each source registry at the target (--node-url when the node reaches it by another address).

            Example: alga-release mirror 1.0-rc5 --to 192.0.2.10:5000 --node-url http://192.0.2.10:5000

            Exit 0 every image copied and tagged; 1 an image the source said is missing or denied, bytes that do not match their digest, or a target that refused a push (nothing tagged); 2 unusable input; 3 a registry could not be asked (nothing tagged); 64 on usage errors.
            """)

    @Argument(help: "A version under --releases-dir, channel:NAME, or a path to a release.json or its folder (not with --from-bundle).")
    var release: String?

    @Option(name: .customLong("from-bundle"), help: "Push a bundle (bundle --out DIR) instead of reading registries: every image its index.json names.")
    var fromBundle: String?

    @OptionGroup var target: TargetOptions

    @Flag(name: .customLong("all-platforms"), help: "Copy every platform of each index (the default; excludes --platform).")
    var allPlatforms = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var options: ReleaseOptions

    /// `--repo`: also copy every image and chart the install plan finds pulled.
    @OptionGroup var plan: PlanOptions

    /// How the source is read: stand-ins, credentials, limits (`--timeout` is the whole copy's).
    @OptionGroup(title: "Source registry options") var registry: RegistryOptions

    func validate() throws {
        if (release == nil) == (fromBundle == nil) { throw ValidationError("give a RELEASE or --from-bundle DIR") }
        if allPlatforms && registry.platform != nil { throw ValidationError("--all-platforms and --platform exclude each other") }
        if registry.passwordStdin && target.passwordStdin { throw ValidationError("--password-stdin and --to-password-stdin cannot both read standard input") }
        _ = try target.endpoint(insecure: registry.insecure)
        _ = try target.nodeEndpoint(insecure: registry.insecure)
    }

    func run() async throws {
        let endpoint = try target.endpoint(insecure: registry.insecure)
        var source = try registry.copySource()
        let name: String?
        let refs: [ImageReference]
        var server: RunningBundleServer?
        if let fromBundle {
            // The bundle served on loopback for the length of the run, read as any registry is.
            let catalog: BundleCatalog
            do { catalog = try BundleCatalog(root: URL(fileURLWithPath: fromBundle)) } catch { throw InputError(file: fromBundle, reason: error.description) }
            // Every entry names an image by its full reference, or the bundle is not one this tool
            // wrote; and a bundle of nothing mirrors nothing, which is never a pass.
            let unusable = catalog.index.manifests.filter { $0.ref == nil }
            guard unusable.isEmpty else {
                let names = unusable.prefix(5).map { entry in entry.annotations?[ImageLayout.refName].map { "\"\($0)\"" } ?? "\(entry.digest) (no name)" }
                throw InputError(
                    file: fromBundle,
                    reason:
                        "index.json has \(unusable.count) entr\(unusable.count == 1 ? "y" : "ies") without an image reference in \(ImageLayout.refName) (\(names.joined(separator: ", "))\(unusable.count > 5 ? ", ..." : "")): nothing says where \(unusable.count == 1 ? "it goes" : "they go"); write the bundle with alga-release bundle"
                )
            }
            refs = catalog.index.manifests.compactMap(\.ref)
            guard !refs.isEmpty else { throw InputError(file: fromBundle, reason: "index.json names no image: there is nothing to mirror") }
            let running: RunningBundleServer
            do { running = try await RunningBundleServer.start(catalog: catalog) } catch { throw InputError(file: fromBundle, reason: "\(error)") }
            server = running
            source.mirrors = MirrorMap()
            source.credentials = CredentialStore()
            for registry in Set(refs.map(\.registry)) {
                do { try source.mirrors.add("\(registry)=\(running.baseURL)", insecure: false) } catch {
                    throw InputError(file: fromBundle, reason: "its index names \(registry), which cannot be served: \(error.reason)")
                }
            }
            name = nil
        } else {
            let (report, images) = try await InputErrorDocument.reporting(json: format == .json) { try await plan.images(release ?? "", options: options) }
            refs = images.map(\.ref)
            name = report.release
            if let collision = MirrorPaths.collision(refs, at: endpoint) { throw InputError(file: report.location.file, reason: collision.description) }
        }
        let runOptions = RegistryMirrorRun.Options(
            source: source, target: endpoint, targetCredentials: try target.credentials(host: endpoint.host, dockerConfigPath: registry.dockerConfigPath))
        var progress: (@Sendable (CopyProgress) -> Void)?
        if isatty(STDERR_FILENO) == 1 { progress = { Console.progress(Self.progressLine($0)) } }
        let mirrored = await RegistryMirrorRun.mirror(refs, options: runOptions, progress: progress)
        if progress != nil { Console.progress(nil) }
        await server?.stop()
        try Self.finish(
            MirrorReport(
                release: name, target: endpoint, platform: registry.platform, images: mirrored,
                nodeEndpoint: try target.nodeEndpoint(insecure: registry.insecure)), format: format)
    }

    /// Prints a mirror's or a bundle's report and exits by its verdict.
    static func finish(_ result: MirrorReport, format: OutputFormat) throws {
        switch format {
        case .text: Console.output(MirrorFormatter.text(result))
        case .json: Console.output(try MirrorFormatter.json(result))
        }
        switch result.verdict {
        case .pass, .warn: return
        case .fail: throw ExitCode(ExitStatus.failed)
        case .indeterminate: throw ExitCode(ExitStatus.indeterminate)
        }
    }

    /// `mirrored 3/12 images, 45.2 MB of 120 MB, 5.1 MB/s, about 15 s left`.
    static func progressLine(_ p: CopyProgress) -> String {
        let rate = p.seconds > 0 ? Double(p.bytesDone) / p.seconds : 0
        var line = "mirrored \(p.imagesDone)/\(p.imagesTotal) images, \(ByteSize.text(p.bytesDone)) of \(ByteSize.text(p.bytesTotal))"
        if rate > 0 {
            line += ", \(ByteSize.text(Int(min(rate, Double(Int.max / 2)))))/s"
            let left = Double(max(0, p.bytesTotal - p.bytesDone)) / rate
            if left.isFinite && left < 1e7 { line += ", about \(Int(left.rounded())) s left" }
        }
        return line
    }
}
