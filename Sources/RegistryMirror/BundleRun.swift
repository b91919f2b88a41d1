import AsyncHTTPClient
import Foundation
import NIOCore
import RegistryCheck
import RegistryRules
import ReleaseModel

/// The one door the CLI goes through to write a bundle (`alga-release bundle`): the same passes as
/// a mirror, into an OCI image layout. Manifests read and verified first; every blob once, kept
/// when already there and still its digest, else streamed to its file and verified; manifests by
/// digest; `index.json` last, naming every image, and only when every image is complete.
public enum BundleRun {
    public static func bundle(
        _ refs: [ImageReference], into root: URL, options: SourceOptions, progress: (@Sendable (CopyProgress) -> Void)? = nil
    ) async -> [MirroredImage] {
        let store = BundleStore(root: root)
        do throws(MirrorFailure) { try store.prepare() } catch {
            return refs.map { MirroredImage(ref: $0, target: target($0, root), outcome: error.outcome, detail: error.detail) }
        }
        return await options.session(refs, progress: progress) { unique, http, deadline, meter in
            await run(
                unique, store: store, options: options, client: options.client(http: http, deadline: deadline), http: http, deadline: deadline, meter: meter)
        }
    }

    /// How a bundle's image is named in reports: the layout and the reference, as skopeo's `oci:` transport takes it.
    static func target(_ ref: ImageReference, _ root: URL) -> String { "oci:\(root.path):\(ref)" }

    static func run(
        _ refs: [ImageReference], store: BundleStore, options: SourceOptions, client: RegistryClient, http: HTTPClient, deadline: NIODeadline,
        meter: TransferMeter
    ) async -> [MirroredImage] {
        let manifests = ManifestCopier(platform: options.platform)
        var tallies = await BoundedConcurrency.map(refs, limit: options.concurrency) { ref -> RegistryMirrorRun.Tally in
            do throws(MirrorFailure) { return .init(plan: try await manifests.plan(ref, source: options.side(for: ref, client: client))) } catch {
                return .init(failure: error)
            }
        }
        let plans = tallies.map(\.plan)
        var planned: [String: Int] = [:]
        for plan in plans { for blob in plan?.blobs ?? [] { planned[blob.digest] = blob.size } }
        meter.plan(
            bytes: RegistryLock.Blob.total(planned.map { RegistryLock.Blob(digest: $0.key, size: $0.value) }), blobsPerImage: plans.map { $0?.blobs.count ?? 0 }
        )

        let ledger = BlobLedger()
        let copier = BlobCopier(http: http, deadline: deadline, retry: options.retry, meter: meter)
        let jobs: [(image: Int, blob: RegistryLock.Blob)] = plans.enumerated().flatMap { index, plan in (plan?.blobs ?? []).map { (index, $0) } }
        let outcomes = await BoundedConcurrency.map(jobs, limit: options.concurrency) {
            (job: (image: Int, blob: RegistryLock.Blob)) -> Result<BlobOutcome, MirrorFailure> in
            let source = plans[job.image]!.source
            defer { meter.blobDone(image: job.image) }
            do throws(MirrorFailure) {
                // One layout, one "repository": a blob two images share is written once.
                return .success(
                    try await ledger.copy(digest: job.blob.digest, into: "bundle") { _ throws(MirrorFailure) in
                        if store.has(job.blob.digest, size: job.blob.size) {
                            meter.add(job.blob.size)
                            return .skipped
                        }
                        try await copier.retrying { () async throws(MirrorFailure) in
                            do {
                                try await BlobCopier.within(deadline) {
                                    let response = try await copier.open(job.blob, from: source)
                                    try await store.write(job.blob, body: response.body, meter: meter)
                                }
                            } catch { throw copier.failure(error, blob: job.blob, source: source) }
                        }
                        return .sent(bytes: job.blob.size)
                    })
            } catch { return .failure(error) }
        }
        RegistryMirrorRun.count(outcomes, of: jobs, into: &tallies)

        for index in tallies.indices where tallies[index].failure == nil {
            guard let plan = tallies[index].plan else { continue }
            do throws(MirrorFailure) { for manifest in plan.manifests { try store.write(manifest) } } catch { tallies[index].failure = error }
        }
        let failed = tallies.filter { $0.failure != nil }.count
        var indexed = false
        if failed == 0 {
            let entries = tallies.compactMap { tally -> ImageLayout.Entry? in
                guard let plan = tally.plan, let named = plan.tagged ?? plan.manifests.last else { return nil }
                return ImageLayout.Entry(mediaType: named.mediaType, digest: named.digest, size: named.bytes.count, ref: plan.ref.description)
            }
            do throws(MirrorFailure) {
                try store.writeIndex(ImageLayout.Index(manifests: entries))
                indexed = true
            } catch {
                for index in tallies.indices { tallies[index].failure = error }
            }
        }
        return refs.indices.map { index in
            RegistryMirrorRun.report(
                refs[index], tally: tallies[index], done: indexed, failed: failed, target: target(refs[index], store.root),
                waiting: "in the bundle, not in its index.json")
        }
    }
}

extension BundleRun {
    /// The mark of a working folder this tool made for `--out FILE.tar`: only a folder with it is
    /// resumed, and only what the run writes is removed from it.
    public static let workMark = ".alga-release-bundle"

    /// Why `--out FILE.tar` cannot work in `FILE.tar.d`.
    public struct WorkFolderRefusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The folder `FILE.tar.d` that `--out FILE.tar` works in: made (with its mark) when absent,
    /// resumed when it has the mark; a folder of someone else's there is refused, never used or removed.
    public static func workFolder(for tar: URL) throws(WorkFolderRefusal) -> URL {
        let root = URL(fileURLWithPath: tar.path + ".d")
        let mark = root.appendingPathComponent(workMark)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, RegularFile.regularSize(mark.path) != nil else {
                throw WorkFolderRefusal(
                    description:
                        "\(root.path) exists and is not a folder an earlier bundle run made (it has no \(workMark)); the tar is written through that folder, so move it away or name another --out"
                )
            }
            return root
        }
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: false)
            try AtomicFile.write(Data("made by alga-release bundle for \(tar.lastPathComponent); removed when the tar is written\n".utf8), to: mark.path)
        } catch {
            throw WorkFolderRefusal(description: "cannot make \(root.path): \(error)")
        }
        return root
    }

    /// What of a bundle's folder goes in its tar, in order: `oci-layout`, `index.json`, and every
    /// blob: regular files named by a sha256 digest only (a leftover, a link or another file is not a blob).
    static func members(_ root: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("blobs/sha256").path)) ?? []
        let blobs = names.sorted().compactMap { name -> String? in
            guard let path = ImageLayout.blobPath("sha256:" + name), RegularFile.regularSize(root.appendingPathComponent(path).path) != nil else { return nil }
            return path
        }
        return [ImageLayout.layoutFile, ImageLayout.indexFile] + blobs
    }

    /// The bundle's folder as one tar file (`--out FILE.tar`): `oci-layout`, `index.json` and every
    /// blob, no leftovers of an interrupted run.
    public static func archive(_ root: URL, to tar: URL) throws {
        try TarWriter.write(members(root), from: root, to: tar)
    }

    /// Removes a working folder once its tar is written: the files a bundle run writes (its
    /// members, leftovers of interrupted runs, the mark) and then the folders if nothing else is
    /// in them. Nothing the run did not make is removed.
    public static func removeWork(_ root: URL) {
        let fm = FileManager.default
        let blobs = root.appendingPathComponent("blobs/sha256")
        for member in members(root) { try? fm.removeItem(at: root.appendingPathComponent(member)) }
        for name in (try? fm.contentsOfDirectory(atPath: blobs.path)) ?? [] where BundleStore.isPartial(name) {
            if RegularFile.regularSize(blobs.appendingPathComponent(name).path) != nil { try? fm.removeItem(at: blobs.appendingPathComponent(name)) }
        }
        try? fm.removeItem(at: root.appendingPathComponent(workMark))
        for folder in [blobs, root.appendingPathComponent("blobs"), root] { rmdir(folder.path) }
    }
}
