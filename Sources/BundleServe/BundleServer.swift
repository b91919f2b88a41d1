import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RegistryRules
import ReleaseModel

/// `serve-bundle`: a bundle as a read-only OCI Distribution endpoint, repositories with the host
/// dropped (as `mirror` maps them), so a node's mirror config, `check --mirror` and skopeo pull
/// from it: `/v2/`, manifests by tag and by digest, blobs with `Range`, HEAD everywhere, tags
/// lists, the registry's error codes. Nothing is written; connections are bounded.
public enum BundleServer {
    public static let defaultMaxConnections = 64

    public static func router(catalog: BundleCatalog, files: BlobFiles = BlobFiles()) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/v2", method: method) { _, _ in base() }
            router.on("/v2/**", method: method) { request, context in
                try await answer(request, context: context, catalog: catalog, files: files, head: method == .head)
            }
        }
        for method in [HTTPRequest.Method.put, .post, .patch, .delete] {
            router.on("/v2/**", method: method) { _, _ in
                error(.methodNotAllowed, .unsupported, "this registry serves a bundle read-only")
            }
        }
        return router
    }

    public static func application(
        catalog: BundleCatalog, host: String, port: Int, maxConnections: Int = defaultMaxConnections, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let idle = IdleConnections()
        var http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [idle.handler()], idleTimeout: .seconds(60))
        http1.httpDecoder = .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)
        return Application(
            router: router(catalog: catalog), server: .http1(configuration: http1),
            configuration: .init(
                address: .hostname(host, port: port), serverName: nil,
                availableConnectionsDelegate: BundleConnectionLimit(maxConnections: maxConnections, idle: idle)),
            onServerRunning: onServerRunning, logger: logger)
    }

    static func base() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", distributionVersion: "registry/2.0"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    static let distributionVersion = HTTPField.Name("Docker-Distribution-API-Version")!
    static let contentDigest = HTTPField.Name("Docker-Content-Digest")!

    static func answer(_ request: Request, context: BasicRequestContext, catalog: BundleCatalog, files: BlobFiles, head: Bool) async throws -> Response {
        switch RegistryPath(request.uri.path) {
        case .base: return base()
        case .unknown: return error(.notFound, .unsupported, "not a Distribution API path")
        case .invalidName: return error(.badRequest, .nameInvalid, "invalid repository name")
        case .invalidDigest: return error(.badRequest, .digestInvalid, "invalid digest or tag")
        case .tags(let repository):
            guard catalog.index.knows(repository: repository) else { return error(.notFound, .nameUnknown, "repository name not known to registry") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let body = try encoder.encode(TagsAnswer(name: repository, tags: catalog.index.tags(of: repository)))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .manifest(let repository, let reference):
            guard catalog.index.knows(repository: repository) else { return error(.notFound, .nameUnknown, "repository name not known to registry") }
            let digest = ImageReference.isDigest(reference) ? reference : catalog.index.entry(repository: repository, reference: reference)?.digest
            guard let digest, let manifest = catalog.manifest(digest) else { return error(.notFound, .manifestUnknown, "manifest unknown") }
            var headers: HTTPFields = [.contentType: manifest.mediaType, contentDigest: digest, .contentLength: String(manifest.bytes.count)]
            headers[.eTag] = "\"\(digest)\""
            return Response(status: .ok, headers: headers, body: head ? .init() : .init(byteBuffer: ByteBuffer(bytes: manifest.bytes)))
        case .blob(let repository, let digest):
            guard catalog.index.knows(repository: repository) else { return error(.notFound, .nameUnknown, "repository name not known to registry") }
            guard let path = catalog.blobPath(digest) else { return error(.notFound, .blobUnknown, "blob unknown to registry") }
            let file: BlobFiles.Open
            do { file = try files.open(path) } catch { return Self.error(.notFound, .blobUnknown, "blob unknown to registry") }
            guard let size = Int(exactly: file.size) else { return error(.notFound, .blobUnknown, "blob unknown to registry") }
            var headers: HTTPFields = [.contentType: "application/octet-stream", contentDigest: digest, .acceptRanges: "bytes"]
            let range = ByteRange(header: request.headers[.range], size: size)
            // A part, or no body at all, cannot be checked as it goes: the file is checked first.
            if case .unsatisfiable = range {
            } else if head || size == 0 || range != .whole {
                do throws(BlobFiles.Refusal) { try await files.ensureVerified(digest, file) } catch {
                    try? file.handle.close()
                    context.logger.error("blob \(digest) at \(path) does not hash to its name; not served")
                    return Self.error(.internalServerError, .blobUnknown, "the bundle's file for this blob does not hash to its digest")
                }
            }
            switch range {
            case .whole:
                headers[.contentLength] = String(size)
                if head || size == 0 {
                    try? file.handle.close()
                    return Response(status: .ok, headers: headers, body: .init())
                }
                return Response(status: .ok, headers: headers, body: files.body(digest, file, range: nil))
            case .part(let part):
                headers[.contentLength] = String(part.count)
                headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(size)"
                if head {
                    try? file.handle.close()
                    return Response(status: .partialContent, headers: headers, body: .init())
                }
                return Response(status: .partialContent, headers: headers, body: files.body(digest, file, range: part))
            case .unsatisfiable:
                try? file.handle.close()
                var response = error(.rangeNotSatisfiable, .blobUnknown, "range not satisfiable")
                response.headers[.contentRange] = "bytes */\(size)"
                return response
            }
        }
    }

    /// The tags list's answer.
    struct TagsAnswer: Encodable {
        var name: String
        var tags: [String]
    }

    /// `{"errors":[{"code","message"}]}`, as Distribution answers.
    static func error(_ status: HTTPResponse.Status, _ code: RegistryErrorCode, _ message: String) -> Response {
        let body = #"{"errors":[{"code":"\#(code.rawValue)","message":"\#(message)","detail":null}]}"#
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
