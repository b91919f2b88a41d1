import ArchiveRead
import ArgumentParser
import Foundation
import InstallPlan
import JSONDocument
import ManifestRender
import RegistryCheck
import RegistryRules
import ReleaseModel
import TextFormat

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changes from release A to release B: manifest fields, images, the download, and with --repo the objects the appliance gets.",
        discussion: """
            Fields: every value of the release manifest that differs, is added or removed, by JSON pointer. Images: added, removed and retagged by key; with --from-lock and --to-lock (check --write-lock of each release), or with --check (the registries asked now, with check's registry options), their digests and sizes, and the download: the compressed size of the blobs (config and layers) of B's images that none of A's has, each counted once (an image of a lock written before layers were recorded counts whole). With --repo (and --flux-path, --helm, --kubectl as for plan), both install plans are made and compared object by object: added, removed, and changed with the fields that changed.

            Example: alga-release diff 1.0-rc5 1.0-rc5.1

            Exit 0 when A and B are the same; 1 when they differ (as diff(1)); 2 on unusable input; 64 on usage errors.
            """)

    @Argument(help: "The release upgraded from.")
    var a: String

    @Argument(help: "The release upgraded to.")
    var b: String

    @Option(name: .customLong("from-lock"), help: "The registry lock of A (check --write-lock).")
    var fromLock: String?

    @Option(name: .customLong("to-lock"), help: "The registry lock of B.")
    var toLock: String?

    @Flag(help: "Ask the registries for both releases' digests and blobs instead of reading locks (with the registry options below).")
    var check = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var options: ReleaseOptions
    @OptionGroup var plan: PlanOptions

    /// For `--check`: as `check` asks registries.
    @OptionGroup(title: "Registry options (with --check)") var registry: RegistryOptions

    func validate() throws {
        if (fromLock == nil) != (toLock == nil) { throw ValidationError("--from-lock and --to-lock go together") }
        if check && fromLock != nil { throw ValidationError("--check asks the registries; give it or the locks, not both") }
    }

    /// A file of two registry releases' config bundles that differs.
    struct BundleFile: Encodable, Equatable {
        enum Change: String, Encodable { case added, removed, changed }
        var path: String
        var change: Change
        /// For a changed file: a unified diff of its text.
        var diff: String?
    }

    struct Document: Encodable {
        var diff: ReleaseDiff
        var objects: [PlanDiff.Object]?
        var bundle: [BundleFile]?
        /// Two registry releases: the manifest digests compared.
        var manifests: [String]?

        enum CodingKeys: String, CodingKey { case from, to, manifests, fields, images, download, bundle, objects }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(diff.from, forKey: .from)
            try c.encode(diff.to, forKey: .to)
            try c.encode(diff.fields, forKey: .fields)
            try c.encode(diff.images, forKey: .images)
            try c.encodeIfPresent(diff.download, forKey: .download)
            try c.encodeIfPresent(manifests, forKey: .manifests)
            try c.encodeIfPresent(bundle, forKey: .bundle)
            try c.encodeIfPresent(objects, forKey: .objects)
        }
    }

    func run() async throws {
        let registryReleases = RegistryReleaseReference.isRegistryRelease(a) || RegistryReleaseReference.isRegistryRelease(b)
        let document = try await InputErrorDocument.reporting(json: format == .json) { () async throws -> Document in
            if registryReleases { return try await registryDiff() }
            let (left, leftImages, model) = try options.images(a)
            let (right, rightImages, _) = try options.images(b)
            guard let leftDocument = left.document else { throw InputError(file: left.location.file, reason: "cannot be read as a release manifest") }
            guard let rightDocument = right.document else { throw InputError(file: right.location.file, reason: "cannot be read as a release manifest") }
            // validate() makes them go together.
            var locks: (RegistryLock, RegistryLock)?
            if let fromLock, let toLock { locks = (try RegistryLock.read(fromLock), try RegistryLock.read(toLock)) }
            if check {
                // What the locks would say now: each release's present images (one lock each, so
                // an image of B is not taken for one of A's).
                let lockA = RegistryLock(report: try await registry.gate(leftImages, release: left.release, policy: .gate))
                locks = (lockA, RegistryLock(report: try await registry.gate(rightImages, release: right.release, policy: .gate)))
            }
            let (images, download) = ReleaseDiff.images(leftImages, rightImages, locks: locks)
            let diff = ReleaseDiff(
                from: left.release, to: right.release, fields: ReleaseDiff.fields(leftDocument, rightDocument), images: images, download: download)
            var objects: [PlanDiff.Object]?
            if let planner = try plan.planner(model: model) {
                let planA = try await plan.plan(planner, left, images: leftImages)
                let planB = try await plan.plan(planner, right, images: rightImages)
                objects = PlanDiff.objects(planA, planB)
            }
            return Document(diff: diff, objects: objects)
        }
        switch format {
        case .json: try Console.json(document)
        case .text: Console.output(Self.text(document))
        }
        if !document.diff.isEmpty || !(document.objects ?? []).isEmpty { throw ExitCode(ExitStatus.failed) }
    }

    /// A value's change in one line; a multi-line value (a values file in a ConfigMap) by its first
    /// differing line.
    static func change(_ from: String?, _ to: String?) -> String {
        guard let from, let to, from.contains("\n") || to.contains("\n") else { return "\(from ?? "(none)") -> \(to ?? "(none)")" }
        let (a, b) = (from.split(separator: "\n", omittingEmptySubsequences: false), to.split(separator: "\n", omittingEmptySubsequences: false))
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let lineA = first < a.count ? String(a[first]) : "(end)"
        let lineB = first < b.count ? String(b[first]) : "(end)"
        return
            "\(a.count) -> \(b.count) lines, from line \(first + 1): \(lineA.trimmingCharacters(in: .whitespaces)) -> \(lineB.trimmingCharacters(in: .whitespaces))"
    }

    static func text(_ d: Document) -> String {
        var lines = ["\(d.diff.from) -> \(d.diff.to)"]
        for field in d.diff.fields { lines.append("  \(field.pointer): \(field.from ?? "(none)") -> \(field.to ?? "(none)")") }
        for image in d.diff.images {
            let size = image.compressedSize.map { ", \(ByteSize.text($0))" } ?? ""
            lines.append("  image \(image.key) \(image.change.rawValue): \(image.from ?? "(none)") -> \(image.to ?? "(none)")\(size)")
        }
        if let download = d.diff.download {
            lines.append("  download: \(ByteSize.text(download)) (layers of \(d.diff.to) that \(d.diff.from)'s lock does not have)")
        }
        for file in d.bundle ?? [] {
            lines.append("  bundle \(file.change.rawValue) \(file.path)")
            if let diff = file.diff { lines += diff.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 } }
        }
        for object in d.objects ?? [] {
            lines.append("  \(object.change.rawValue) \(object.object)")
            for field in object.fields { lines.append("    \(field.path): " + Self.change(field.from, field.to)) }
        }
        if lines.count == 1 { lines.append("  no difference") }
        return lines.joined(separator: "\n")
    }

    /// Two registry releases: their documents by pointer (tags, charts, profileValues), their
    /// images, the files of their config bundles (a unified diff of each changed one), and with
    /// --check or the locks the download. Both are read once, by digest from then on.
    func registryDiff() async throws -> Document {
        guard RegistryReleaseReference.isRegistryRelease(a), RegistryReleaseReference.isRegistryRelease(b) else {
            throw InputError(
                file: RegistryReleaseReference.isRegistryRelease(a) ? b : a,
                reason: "diff compares two registry releases (oci://...) or two git releases, not one of each")
        }
        let left = try await RegistryReleaseInput.load(a, registry: registry)
        let right = try await RegistryReleaseInput.load(b, registry: registry)
        let (leftImages, rightImages) = (try RegistryReleaseInput.images(left), try RegistryReleaseInput.images(right))
        guard let leftDocument = left.report.document, let rightDocument = right.report.document,
            let leftRelease = left.report.registryDocument, let rightRelease = right.report.registryDocument
        else { throw InputError(file: a, reason: "the release documents cannot be read") }
        var locks: (RegistryLock, RegistryLock)?
        if let fromLock, let toLock { locks = (try RegistryLock.read(fromLock), try RegistryLock.read(toLock)) }
        if check {
            locks = (
                RegistryLock(report: try await registry.gate(leftImages, release: left.report.release, policy: .gate)),
                RegistryLock(report: try await registry.gate(rightImages, release: right.report.release, policy: .gate))
            )
        }
        let (images, download) = ReleaseDiff.images(leftImages, rightImages, locks: locks)
        let diff = ReleaseDiff(
            from: left.report.release, to: right.report.release, fields: ReleaseDiff.fields(leftDocument, rightDocument), images: images, download: download)
        let (before, after) = try await RegistryReleaseSession.using(try registry.source()) { session in
            (try await Self.bundleFiles(leftRelease, session: session), try await Self.bundleFiles(rightRelease, session: session))
        }
        var files: [BundleFile] = []
        for path in Set(before.keys).union(after.keys).sorted() {
            switch (before[path], after[path]) {
            case (nil, _?): files.append(BundleFile(path: path, change: .added))
            case (_?, nil): files.append(BundleFile(path: path, change: .removed))
            case (let old?, let new?) where old != new:
                let text = UnifiedDiff.diff(
                    old: String(decoding: old, as: UTF8.self), new: String(decoding: new, as: UTF8.self), oldName: "a/\(path)", newName: "b/\(path)")
                files.append(BundleFile(path: path, change: .changed, diff: text))
            default: break
            }
        }
        return Document(diff: diff, objects: nil, bundle: files, manifests: [left.read.manifestDigest, right.read.manifestDigest])
    }

    /// A release's config bundle, pulled by its pinned digest, as its files (path → bytes).
    static func bundleFiles(_ release: RegistryReleaseDocument, session: RegistryReleaseSession) async throws(InputError) -> [String: Data] {
        let name = "\(release.config.repository)@\(release.config.digest)"
        switch await session.bundle(of: release) {
        case .failure(let failure): throw InputError(file: name, reason: "the config bundle cannot be used: \(failure.description)")
        case .success(let bytes):
            do throws(TarArchive.Refusal) {
                let entries = try TarArchive.entries(try TarArchive.gunzip(bytes))
                return Dictionary(entries.filter { !$0.isDirectory }.map { ($0.name, $0.bytes) }, uniquingKeysWith: { first, _ in first })
            } catch { throw InputError(file: name, reason: "the config bundle's layer \(error)") }
        }
    }
}
