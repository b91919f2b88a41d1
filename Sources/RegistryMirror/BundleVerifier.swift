import Foundation
import RegistryRules
import ReleaseModel

/// Checks a bundle on disk: `oci-layout` says the layout version, every file under
/// `blobs/sha256` hashes to its name, and every entry of `index.json` resolves: its manifest,
/// an index's manifests, and their configs and layers are there with the sizes they are named with.
public enum BundleVerifier {
    /// Manifests larger than this are not read (no registry stores one; a hostile bundle might).
    static let maximumManifest = 4 << 20

    public static func verify(_ root: URL) -> BundleVerification {
        var result = BundleVerification()
        let layout = root.appendingPathComponent(ImageLayout.layoutFile)
        if let data = try? RegularFile.read(layout.path, followLinks: false, maxBytes: 4096),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let version = object["imageLayoutVersion"] as? String
        {
            if !version.hasPrefix("1.") { result.problems.append("\(layout.path): imageLayoutVersion \(version), not 1.x") }
        } else {
            result.problems.append("\(layout.path): missing or not {\"imageLayoutVersion\": \"1.0.0\"}: not an OCI image layout")
        }
        // Every blob, re-hashed.
        let blobs = root.appendingPathComponent("blobs/sha256")
        var sizes: [String: Int] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: blobs.path)) ?? []).sorted()
        for name in names {
            if name.hasPrefix(".") {
                result.leftovers += 1
                continue
            }
            let digest = "sha256:" + name
            let url = blobs.appendingPathComponent(name)
            guard ImageLayout.blobPath(digest) != nil else {
                result.problems.append("\(url.path): not a sha256 digest's name")
                continue
            }
            // Only what serve-bundle serves passes: a regular file, never a link, a directory, a FIFO or a device.
            let hashed: (digest: String, size: Int64)
            do { hashed = try BundleStore.hash(url) } catch {
                result.problems.append("\(url.path): \(error); a bundle's blobs are regular files")
                continue
            }
            guard hashed.digest == digest else {
                result.problems.append("\(url.path): its bytes do not hash to its name")
                continue
            }
            let size = Int(clamping: hashed.size)
            sizes[digest] = size
            result.blobs += 1
            let (sum, overflow) = result.bytes.addingReportingOverflow(size)
            result.bytes = overflow ? Int.max : sum
        }
        // Every reference, followed.
        let indexURL = root.appendingPathComponent(ImageLayout.indexFile)
        guard let data = try? RegularFile.read(indexURL.path, followLinks: false, maxBytes: maximumManifest),
            let index = try? JSONDecoder().decode(ImageLayout.Index.self, from: data)
        else {
            result.problems.append("\(indexURL.path): missing, not a regular file of at most 4 MiB, or not an image index: the bundle names no image")
            return result
        }
        for entry in index.manifests {
            let name = entry.annotations?[ImageLayout.refName] ?? entry.digest
            if entry.ref == nil { result.problems.append("\(indexURL.path): \(entry.digest) has no \(ImageLayout.refName) with an image reference") }
            let before = result.problems.count
            resolve(entry.digest, size: entry.size, of: name, depth: 0, root: root, sizes: sizes, problems: &result.problems)
            if result.problems.count == before && entry.ref != nil { result.images += 1 }
        }
        return result
    }

    private static func resolve(_ digest: String, size: Int, of name: String, depth: Int, root: URL, sizes: [String: Int], problems: inout [String]) {
        guard let known = sizes[digest] else {
            problems.append("\(name): \(digest) is not in the bundle (or not whole)")
            return
        }
        guard known == size else {
            problems.append("\(name): \(digest) has \(known) bytes, named with \(size)")
            return
        }
        guard depth < 2 else { return }
        // A blob reached from an index entry is a manifest (depth 0) or an index's child (depth 1).
        guard let path = ImageLayout.blobPath(digest), known <= maximumManifest,
            let bytes = try? RegularFile.read(root.appendingPathComponent(path).path, followLinks: false, maxBytes: maximumManifest),
            let document = try? OCIDocument.decode(bytes)
        else {
            problems.append("\(name): \(digest) is not a manifest this tool can read")
            return
        }
        if document.isIndex {
            guard depth == 0 else {
                problems.append("\(name): \(digest) is an index inside an index")
                return
            }
            for child in document.manifests ?? [] {
                resolve(child.digest, size: Int(clamping: child.size), of: name, depth: 1, root: root, sizes: sizes, problems: &problems)
            }
        } else {
            for blob in [document.config].compactMap({ $0 }) + (document.layers ?? []) {
                guard let size = sizes[blob.digest] else {
                    problems.append("\(name): \(blob.digest) (of \(digest)) is not in the bundle")
                    continue
                }
                if Int64(size) != blob.size { problems.append("\(name): \(blob.digest) has \(size) bytes, \(digest) says \(blob.size)") }
            }
        }
    }
}
