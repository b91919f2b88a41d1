import AsyncHTTPClient
import BoundedHTTP
import Foundation
import NIOCore
import NIOHTTP1
import RegistryCheck
import RegistryRules
import ReleaseModel

/// Copies one blob from a source repository to a target repository: skipped when the target has
/// it (HEAD), mounted when another target repository has it, else streamed from the source's GET
/// into the target's upload (POST, then one PUT with the digest), verified as it passes.
struct BlobCopier: Sendable {
    let http: HTTPClient
    /// The whole run's `--timeout`: a blob may take long, never longer than the run.
    let deadline: NIODeadline
    let retry: RetryPolicy
    let meter: TransferMeter

    func copy(
        _ blob: RegistryLock.Blob, from source: RegistrySide, to target: RegistrySide, mountFrom: String?
    ) async throws(MirrorFailure)
        -> BlobOutcome
    {
        let what = "blob \(blob.digest)"
        let head = await target.client.send(
            method: .HEAD, url: "\(target.root)/blobs/\(blob.digest)", accept: nil, registry: target.registry, scope: target.scope)
        if case .response(200, _, _, _) = head {
            meter.add(blob.size)
            return .skipped
        }
        if case .response(404, _, _, _) = head {} else { throw MirrorFailure(head, what: "\(what) at the target", client: target.client) }

        let location: String
        switch try await startUpload(blob, at: target, mountFrom: mountFrom) {
        case .mounted:
            meter.add(blob.size)
            return .mounted
        case .upload(let url): location = url
        }
        var first = true
        try await retrying { () async throws(MirrorFailure) in
            // A connection that broke midway: a new upload, from the first byte (the source is read
            // again; nothing of the broken one was committed).
            let url = first ? location : try await newUpload(blob, at: target)
            first = false
            try await stream(blob, from: source, to: target, location: url)
        }
        return .sent(bytes: blob.size)
    }

    /// Runs `body` again after a failure that may pass (`unreachable`: a reset, a 5xx), within the
    /// attempts and the run's deadline; bytes that were wrong are never asked for twice.
    func retrying(_ body: () async throws(MirrorFailure) -> Void) async throws(MirrorFailure) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch  where error.outcome == .unreachable && attempt < retry.maxAttempts && NIODeadline.now() < deadline {
                try? await Task.sleep(for: .seconds(retry.backoff(attempt: attempt)))
            }
        }
    }

    private func newUpload(_ blob: RegistryLock.Blob, at target: RegistrySide) async throws(MirrorFailure) -> String {
        guard case .upload(let url) = try await startUpload(blob, at: target, mountFrom: nil) else {
            throw MirrorFailure(outcome: .refused, detail: "blob \(blob.digest): the target mounted an upload it was not asked to mount")
        }
        return url
    }

    private enum Start {
        case mounted
        case upload(String)
    }

    private func startUpload(_ blob: RegistryLock.Blob, at target: RegistrySide, mountFrom: String?) async throws(MirrorFailure) -> Start {
        let query = mountFrom.map { "?mount=\(blob.digest)&from=\($0)" } ?? ""
        let post = await target.client.send(
            method: .POST, url: "\(target.root)/blobs/uploads/\(query)", accept: nil, registry: target.registry, scope: target.scope)
        switch post {
        case .response(201, _, _, _) where mountFrom != nil: return .mounted
        case .response(202, let headers, _, _):
            guard let location = headers.first(name: "Location"), let url = Self.resolve(location, against: target.root) else {
                throw MirrorFailure(outcome: .refused, detail: "blob \(blob.digest): the target started an upload without a usable Location")
            }
            return .upload(url)
        default: throw MirrorFailure(post, what: "starting the upload of blob \(blob.digest)", client: target.client)
        }
    }

    /// A Location is absolute or relative to the registry's root; only the registry's own origin is
    /// followed, so the target's credentials go nowhere else.
    static func resolve(_ location: String, against root: String) -> String? {
        guard let base = URL(string: root), let url = URL(string: location, relativeTo: base)?.absoluteURL else { return nil }
        guard url.scheme == base.scheme, url.host == base.host, url.port == base.port else { return nil }
        return url.absoluteString
    }

    private func stream(_ blob: RegistryLock.Blob, from source: RegistrySide, to target: RegistrySide, location: String) async throws(MirrorFailure) {
        let what = "blob \(blob.digest)"
        do {
            try await Self.within(deadline) {
                let response = try await open(blob, from: source)
                var put = HTTPClientRequest(url: location + (location.contains("?") ? "&" : "?") + "digest=\(blob.digest)")
                put.method = .PUT
                put.headers.add(name: "Content-Type", value: "application/octet-stream")
                if let authorization = await target.client.authorization(registry: target.registry, scope: target.scope) {
                    put.headers.add(name: "Authorization", value: authorization)
                }
                put.body = .stream(VerifyingBody(base: response.body, digest: blob.digest, size: blob.size, meter: meter), length: .known(Int64(blob.size)))
                let answer = try await http.execute(put, deadline: deadline)
                let body = try await answer.body.collect(upTo: 1 << 16)
                guard answer.status == .created else {
                    throw MirrorFailure(
                        .response(status: Int(answer.status.code), headers: answer.headers, body: body, auth: "target"), what: "uploading \(what)",
                        client: target.client)
                }
                if let stored = answer.headers.first(name: "Docker-Content-Digest"), stored != blob.digest {
                    throw MirrorFailure(outcome: .corrupt, detail: "\(what): the target stored it as \(stored)")
                }
            }
        } catch {
            throw failure(error, blob: blob, source: source)
        }
    }

    /// The source's answer to the blob's GET, its body not yet read; a 401 (a token that ran out,
    /// or a scope not yet asked for) goes through the challenge flow once. Call within `within`.
    func open(_ blob: RegistryLock.Blob, from source: RegistrySide) async throws -> HTTPClientResponse {
        let url = "\(source.root)/blobs/\(blob.digest)"
        var response = try await get(url, from: source)
        if response.status == .unauthorized {
            _ = await source.client.send(method: .HEAD, url: url, accept: nil, registry: source.registry, scope: source.scope)
            response = try await get(url, from: source)
        }
        guard response.status == .ok else {
            let body = try? await response.body.collect(upTo: 1 << 16)
            throw MirrorFailure(
                .response(status: Int(response.status.code), headers: response.headers, body: body, auth: "source"), what: "blob \(blob.digest) at the source",
                client: source.client)
        }
        return response
    }

    /// A transfer's error in the run's terms: the bytes' own problem is corruption.
    func failure(_ error: any Error, blob: RegistryLock.Blob, source: RegistrySide) -> MirrorFailure {
        let what = "blob \(blob.digest)"
        switch error {
        case let failure as MirrorFailure: return failure
        case let problem as BlobProblem: return MirrorFailure(outcome: .corrupt, detail: "\(what): \(problem); refused, nothing of it was stored")
        case is DeadlinePassed: return MirrorFailure(outcome: .unreachable, detail: "\(what): the run's --timeout ended the transfer")
        default: return MirrorFailure(outcome: .unreachable, detail: "\(what): \(source.client.describe(error))")
        }
    }

    private func get(_ url: String, from source: RegistrySide) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        if let authorization = await source.client.authorization(registry: source.registry, scope: source.scope) {
            request.headers.add(name: "Authorization", value: authorization)
        }
        return try await http.execute(request, deadline: deadline)
    }

    struct DeadlinePassed: Error {}

    /// Runs `operation`, cancelled when `deadline` passes: the async API's own deadline ends at the
    /// response head, and a body (the source's, streamed into the upload) must end by then too.
    static func within<T: Sendable>(_ deadline: NIODeadline, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                let nanoseconds = max(0, (deadline - NIODeadline.now()).nanoseconds)
                try await Task.sleep(for: .nanoseconds(nanoseconds))
                throw DeadlinePassed()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw DeadlinePassed() }
            return value
        }
    }
}
