import Foundation
import NIOCore
import RegistryCheck
import RegistryRules
import ReleaseModel

/// An OCI image layout on disk, written as a copy's target: every blob and manifest is written to
/// a temporary file beside its place, verified, then renamed there, so a file at a blob's name is
/// always that blob; one already there is kept when it still hashes to its name (a resumed run).
struct BundleStore: Sendable {
    let root: URL

    func url(_ digest: String) -> URL? { ImageLayout.blobPath(digest).map { root.appendingPathComponent($0) } }

    /// Makes the folders and `oci-layout`.
    func prepare() throws(MirrorFailure) {
        do {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
            let layout = root.appendingPathComponent(ImageLayout.layoutFile)
            if !FileManager.default.fileExists(atPath: layout.path) { try AtomicFile.write(Data(ImageLayout.layoutText.utf8), to: layout.path) }
        } catch {
            throw MirrorFailure(outcome: .refused, detail: "cannot write the bundle at \(root.path): \(error)")
        }
    }

    /// Whether the file at `digest`'s name is a regular file of `size` bytes that hash to it.
    func has(_ digest: String, size: Int) -> Bool {
        guard let url = url(digest), RegularFile.regularSize(url.path) == Int64(size) else { return false }
        return (try? Self.hash(url))?.digest == digest
    }

    /// SHA-256 and size of a regular file (never a link, FIFO or device), read a mebibyte at a time.
    static func hash(_ url: URL) throws(RegularFile.Refusal) -> (digest: String, size: Int64) {
        let opened = try RegularFile.open(url.path, followLinks: false)
        defer { try? opened.handle.close() }
        do { return try ContentDigest.of(file: opened.handle) } catch { throw .unreadable(error.localizedDescription) }
    }

    /// A manifest's exact bytes at its digest's name.
    func write(_ manifest: ManifestBytes) throws(MirrorFailure) {
        guard let url = url(manifest.digest) else { throw MirrorFailure(outcome: .refused, detail: "\(manifest.digest) is not a sha256 digest") }
        if has(manifest.digest, size: manifest.bytes.count) { return }
        do { try AtomicFile.write(manifest.bytes, to: url.path) } catch {
            throw MirrorFailure(outcome: .refused, detail: "cannot write \(url.path): \(error.reason)")
        }
    }

    /// Streams `body` into the blob's file through `VerifyingBody`: the file appears under its
    /// name only when every byte is there and hashes to it.
    func write<Body: AsyncSequence & Sendable>(_ blob: RegistryLock.Blob, body: Body, meter: TransferMeter) async throws where Body.Element == ByteBuffer {
        guard let url = url(blob.digest) else { throw MirrorFailure(outcome: .refused, detail: "\(blob.digest) is not a sha256 digest") }
        let partial = url.deletingLastPathComponent().appendingPathComponent(Self.partialName(for: url.lastPathComponent))
        guard FileManager.default.createFile(atPath: partial.path, contents: nil), let handle = try? FileHandle(forWritingTo: partial) else {
            throw MirrorFailure(outcome: .refused, detail: "cannot write \(partial.path)")
        }
        do {
            for try await chunk in VerifyingBody(base: body, digest: blob.digest, size: blob.size, meter: meter) {
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            try handle.close()
            guard rename(partial.path, url.path) == 0 else { throw MirrorFailure(outcome: .refused, detail: "cannot rename into \(url.path)") }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// The temporary name a blob is written under until it hashes to its name (hidden, unique per
    /// write), and whether a name in `blobs/sha256` is one: a leftover of an interrupted run.
    static func partialName(for name: String) -> String { ".\(name).\(UUID().uuidString).partial" }
    static func isPartial(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".partial") }

    /// `index.json`, written whole.
    func writeIndex(_ index: ImageLayout.Index) throws(MirrorFailure) {
        do { try AtomicFile.write(try index.encoded(), to: root.appendingPathComponent(ImageLayout.indexFile).path) } catch {
            throw MirrorFailure(outcome: .refused, detail: "cannot write \(ImageLayout.indexFile): \(error)")
        }
    }
}
