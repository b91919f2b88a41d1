import ArgumentParser
import Foundation
import JSONDocument
import RegistryMirror
import RegistryRules
import ReleaseModel
import TextFormat

struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write every image of a release as an OCI image layout (a folder or a tar), for sites without the internet.",
        discussion: """
            The same images as mirror (with --repo, the install plan's set), read as check reads them (--mirror, credentials), written as an OCI image layout: oci-layout, index.json whose entries name each image by its full source reference (org.opencontainers.image.ref.name, e.g. ghcr.io/nine-minds/alga-psa-ee:a2cbb430), and blobs/sha256/<hex>. Every blob is streamed to a temporary file and renamed to its name only when it hashes to it; a run again keeps every blob already there that still does (resumable), and index.json is written last, only when every image is complete. An index is kept whole unless --platform. --out FILE.tar writes the folder FILE.tar.d and then the tar (the folder is kept for a resumed run until the tar is written, then what the runs wrote in it is removed; a FILE.tar.d this tool did not make is refused, never used or removed).

            bundle --verify DIR re-hashes every blob and follows every reference of index.json (its manifests, an index's manifests, their configs and layers, with their sizes).

            skopeo reads it as it is: skopeo copy oci:DIR:ghcr.io/nine-minds/alga-psa-ee:a2cbb430 docker://...; alga-release mirror --from-bundle DIR --to REGISTRY pushes all of it, and alga-release serve-bundle DIR serves it as a registry.

            Example: alga-release bundle 1.0-rc5 --out alga-1.0-rc5.tar

            Exit 0 written (or verified whole); 1 an image missing, denied or corrupt at the source, or a bundle that does not verify; 2 unusable input; 3 a registry could not be asked; 64 on usage errors.
            """)

    @Argument(help: "A version under --releases-dir, channel:NAME, or a path to a release.json or its folder (not with --verify).")
    var release: String?

    @Option(help: "The bundle: a folder, or FILE.tar.")
    var out: String?

    @Option(help: "Verify the bundle in this folder instead of writing one.")
    var verify: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var options: ReleaseOptions
    @OptionGroup var plan: PlanOptions
    @OptionGroup(title: "Source registry options") var registry: RegistryOptions

    func validate() throws {
        if verify != nil {
            if release != nil || out != nil { throw ValidationError("--verify DIR takes no RELEASE and no --out") }
        } else if release == nil || out == nil {
            throw ValidationError("give RELEASE and --out DIR|FILE.tar, or --verify DIR")
        }
    }

    func run() async throws {
        if let verify { return try verifyBundle(verify) }
        guard let release, let out else { return }
        let (report, images) = try await InputErrorDocument.reporting(json: format == .json) { try await plan.images(release, options: options) }
        let refs = images.map(\.ref)
        // A bundle is served with the host dropped, as mirror maps it: two registries' same path would be one.
        if let collision = MirrorPaths.collision(refs, at: RegistryEndpoint(baseURL: "", isMirror: true)) {
            throw InputError(file: report.location.file, reason: collision.description)
        }
        let tar = out.hasSuffix(".tar") ? URL(fileURLWithPath: out) : nil
        let root: URL
        do { root = try tar.map(BundleRun.workFolder(for:)) ?? URL(fileURLWithPath: out) } catch {
            throw InputError(file: out, reason: "\(error)")
        }
        var progress: (@Sendable (CopyProgress) -> Void)?
        if isatty(STDERR_FILENO) == 1 { progress = { Console.progress(MirrorCommand.progressLine($0)) } }
        let written = await BundleRun.bundle(refs, into: root, options: try registry.copySource(), progress: progress)
        if progress != nil { Console.progress(nil) }
        let result = MirrorReport(release: report.release, bundle: tar?.path ?? root.path, platform: registry.platform, images: written)
        if let tar, result.verdict == .pass {
            do { try BundleRun.archive(root, to: tar) } catch { throw InputError(file: tar.path, reason: "cannot write the tar: \(error)") }
            BundleRun.removeWork(root)
        }
        try MirrorCommand.finish(result, format: format)
    }

    private func verifyBundle(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: path, reason: "no such folder: --verify takes a bundle's folder (for FILE.tar, extract it first: tar -xf FILE.tar -C DIR)")
        }
        let result = BundleVerifier.verify(URL(fileURLWithPath: path))
        switch format {
        case .json:
            try Console.json(VerificationDocument(result))
        case .text:
            var lines = result.problems.map { "FAIL \($0)" }
            lines.append(
                "\(result.problems.isEmpty ? "ok" : "broken"): \(result.images) image\(result.images == 1 ? "" : "s"), \(result.blobs) blobs (\(ByteSize.text(result.bytes))) re-hashed\(result.leftovers > 0 ? "; \(result.leftovers) leftover temporary file\(result.leftovers == 1 ? "" : "s") of an interrupted run ignored" : "")"
            )
            Console.output(lines.joined(separator: "\n"))
        }
        if !result.problems.isEmpty { throw ExitCode(ExitStatus.failed) }
    }

    struct VerificationDocument: Encodable {
        var ok: Bool
        var images: Int
        var blobs: Int
        var bytes: Int
        var leftovers: Int
        var problems: [String]

        init(_ v: BundleVerification) {
            ok = v.problems.isEmpty
            images = v.images
            blobs = v.blobs
            bytes = v.bytes
            leftovers = v.leftovers
            problems = v.problems
        }
    }
}
