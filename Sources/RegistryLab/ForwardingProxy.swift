import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A registry seen through a fault of the test's choosing: every request goes on to `upstream` as
/// it came, and its answer comes back, except where `fault` says otherwise for a request path.
public final class ForwardingProxy: Sendable {
    public enum Fault: Sendable {
        /// Forward as it is.
        case none
        /// The answer's body with its last byte changed (a storage that rotted, a cache that lies).
        case corrupt
        /// Never answer (a transfer that is stuck until the client gives up or is killed).
        case hang
        /// Answer with this status and a Distribution error (a registry that refuses one request).
        case refuse(Int)
        /// Answer with this status and a Distribution error of this code (`MANIFEST_UNKNOWN`).
        case error(Int, code: String)
        /// Forward to this request URI instead (a registry that ignores part of what was asked).
        case rewrite(String)
        /// Forward, and answer with this Location instead of the upstream's (an upload sent elsewhere).
        case relocate(String)
        /// Forward, and add bytes to the answer's body, its headers as they were (JSON still, but
        /// not the bytes the Docker-Content-Digest header names).
        case pad
    }

    public let server: LoopbackHTTPServer
    public var baseURL: String { server.baseURL }

    public convenience init(upstream: String, http: HTTPClient, fault: @escaping @Sendable (_ path: String) -> Fault) async throws {
        try await self.init(upstream: upstream, http: http) { _, path in fault(path) }
    }

    /// A fault chosen by the request's method and path.
    public init(upstream: String, http: HTTPClient, fault: @escaping @Sendable (_ method: String, _ path: String) -> Fault) async throws {
        server = try await LoopbackHTTPServer { request in
            let fault = fault(request.method, request.path)
            if case .hang = fault { return .hang }
            switch fault {
            case .refuse(let status): return Self.error(status, code: "DENIED")
            case .error(let status, let code): return Self.error(status, code: code)
            default: break
            }
            var uri = request.uri
            if case .rewrite(let other) = fault { uri = other }
            var forwarded = HTTPClientRequest(url: upstream + uri)
            forwarded.method = HTTPMethod(rawValue: request.method)
            for (name, value) in request.headers where !["host", "content-length", "connection"].contains(name.lowercased()) {
                forwarded.headers.add(name: name, value: value)
            }
            if !request.body.isEmpty { forwarded.body = .bytes(request.body) }
            do {
                let answer = try await http.execute(forwarded, timeout: .seconds(60))
                var body = Array(try await answer.body.collect(upTo: 256 << 20).readableBytesView)
                if case .corrupt = fault, let last = body.indices.last { body[last] ^= 0xFF }
                if case .pad = fault { body += Array("\n".utf8) }
                // An upload's Location names the upstream; through the proxy it is the same path here.
                let headers = answer.headers.filter { !["content-length", "connection", "transfer-encoding"].contains($0.name.lowercased()) }
                    .map { header -> (String, String) in
                        guard header.name.lowercased() == "location" else { return (header.name, header.value) }
                        if case .relocate(let other) = fault { return (header.name, other) }
                        return (header.name, header.value.hasPrefix(upstream) ? String(header.value.dropFirst(upstream.count)) : header.value)
                    }
                return .respond(status: Int(answer.status.code), headers: headers, body: body)
            } catch {
                return .close
            }
        }
    }

    static func error(_ status: Int, code: String) -> LoopbackHTTPServer.Reply {
        .respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: Array(#"{"errors":[{"code":"\#(code)","message":"answered so by the test's proxy"}]}"#.utf8))
    }

    public func stop() async { await server.stop() }
}
