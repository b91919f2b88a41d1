import Foundation
import NIOCore
import NIOFoundationCompat
import RegistryCheck
import RegistryRules
import ReleaseModel

/// Reads an image's manifests from the source (verified against their digests) into an
/// `ImagePlan`, and pushes them to the target byte for byte.
struct ManifestCopier: Sendable {
    /// The one platform to copy out of an index, or nil for all of them.
    let platform: Platform?
    /// At most this many manifests in one index: a bound on what a hostile index makes us fetch.
    static let maximumChildren = 64

    func plan(_ ref: ImageReference, source: RegistrySide) async throws(MirrorFailure) -> ImagePlan {
        let top = try await fetch(ref.digest ?? ref.tag ?? "latest", pinned: ref.digest, from: source)
        let document = try decode(top)
        var plan = ImagePlan(
            ref: ref, source: source, digest: top.digest, manifests: [], tagged: nil, blobs: [], platforms: [])
        if MediaType.isIndex(top.mediaType) || document.isIndex {
            let entries = document.manifests ?? []
            guard entries.count <= Self.maximumChildren else {
                throw MirrorFailure(
                    outcome: .refused, detail: "the index lists \(entries.count) manifests, more than the \(Self.maximumChildren) this tool copies")
            }
            // One platform is copied only for a tag: a reference pinned to the index must find the
            // index itself at the target, and an index is stored only with all its manifests.
            if let platform, ref.digest == nil {
                let offered = document.offeredPlatforms
                guard let chosen = offered.first(where: { platform.matches($0.platform) }) else {
                    throw MirrorFailure(
                        outcome: .platformMissing,
                        detail: "the index has no \(platform) image; it offers \(offered.map(\.platform.description).joined(separator: ", "))")
                }
                let child = try await fetch(chosen.descriptor.digest, pinned: chosen.descriptor.digest, from: source)
                plan.blobs = try blobs(of: child)
                plan.manifests = [child]
                plan.tagged = child
                plan.platforms = [chosen.platform.description]
            } else {
                var seen = Set<String>()
                for entry in entries {
                    let child = try await fetch(entry.digest, pinned: entry.digest, from: source)
                    for blob in try blobs(of: child) where seen.insert(blob.digest).inserted { plan.blobs.append(blob) }
                    plan.manifests.append(child)
                }
                plan.manifests.append(top)
                plan.tagged = top
                plan.platforms = document.offeredPlatforms.map(\.platform.description)
            }
        } else {
            plan.blobs = try blobs(of: top)
            plan.manifests = [top]
            plan.tagged = top
        }
        if ref.tag == nil { plan.tagged = nil }
        return plan
    }

    /// Pushes the plan's manifests by digest, children first.
    func push(_ plan: ImagePlan, to target: RegistrySide) async throws(MirrorFailure) {
        for manifest in plan.manifests { try await put(manifest, as: manifest.digest, at: target) }
    }

    /// Points the tag at what the plan says; last of all, so a tag names only what is complete.
    func tag(_ plan: ImagePlan, at target: RegistrySide) async throws(MirrorFailure) {
        guard let tagged = plan.tagged, let tag = plan.ref.tag else { return }
        try await put(tagged, as: tag, at: target)
    }

    private func put(_ manifest: ManifestBytes, as reference: String, at target: RegistrySide) async throws(MirrorFailure) {
        let answer = await target.client.send(
            method: .PUT, url: "\(target.root)/manifests/\(reference)", accept: nil, registry: target.registry, scope: target.scope,
            body: ByteBuffer(data: manifest.bytes), contentType: manifest.mediaType)
        guard case .response(201, let headers, _, _) = answer else {
            throw MirrorFailure(answer, what: "pushing the manifest \(manifest.digest) as \(reference)", client: target.client)
        }
        if let stored = headers.first(name: "Docker-Content-Digest"), stored != manifest.digest {
            throw MirrorFailure(outcome: .refused, detail: "the target stored the manifest \(manifest.digest) as \(stored)")
        }
    }

    private func fetch(_ reference: String, pinned: String?, from source: RegistrySide) async throws(MirrorFailure) -> ManifestBytes {
        let answer = await source.client.send(
            method: .GET, url: "\(source.root)/manifests/\(reference)", accept: MediaType.accept, registry: source.registry, scope: source.scope)
        guard case .response(200, let headers, let body?, _) = answer else {
            throw MirrorFailure(answer, what: "the manifest \(reference) at the source", client: source.client)
        }
        let bytes = Data(buffer: body)
        let computed = ContentDigest.of(bytes)
        if let pinned, pinned != computed {
            throw MirrorFailure(outcome: .corrupt, detail: "asked for the manifest \(pinned), the source served bytes that hash to \(computed)")
        }
        if let said = headers.first(name: "Docker-Content-Digest"), said != computed {
            throw MirrorFailure(outcome: .corrupt, detail: "the manifest's bytes hash to \(computed), not to the source's Docker-Content-Digest \(said)")
        }
        let type = headers.first(name: "Content-Type").map(ImageChecker.bareMediaType) ?? ""
        let declared = (try? OCIDocument.decode(bytes))?.mediaType
        return ManifestBytes(digest: computed, bytes: bytes, mediaType: declared ?? type)
    }

    private func decode(_ manifest: ManifestBytes) throws(MirrorFailure) -> OCIDocument {
        guard manifest.mediaType != MediaType.dockerSchema1Signed else {
            throw MirrorFailure(
                outcome: .refused, detail: "\(manifest.digest) is a Docker schema 1 manifest, which registries no longer take; rebuild the image")
        }
        do { return try OCIDocument.decode(manifest.bytes) } catch {
            throw MirrorFailure(outcome: .refused, detail: "the manifest \(manifest.digest) cannot be read: \(error)")
        }
    }

    private func blobs(of manifest: ManifestBytes) throws(MirrorFailure) -> [RegistryLock.Blob] {
        let document = try decode(manifest)
        guard !(MediaType.isIndex(manifest.mediaType) || document.isIndex) else {
            throw MirrorFailure(outcome: .refused, detail: "\(manifest.digest) is an index inside an index, which this tool does not copy")
        }
        do { return try document.blobs() } catch {
            throw MirrorFailure(outcome: .refused, detail: "the manifest \(manifest.digest) cannot be used: \(error)")
        }
    }
}
