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
            if case .refuse(let status) = fault {
                return .respond(
                    status: status, headers: [("Content-Type", "application/json")],
                    body: Array(#"{"errors":[{"code":"DENIED","message":"this tag is protected"}]}"#.utf8))
            }
            var forwarded = HTTPClientRequest(url: upstream + request.uri)
            forwarded.method = HTTPMethod(rawValue: request.method)
            for (name, value) in request.headers where !["host", "content-length", "connection"].contains(name.lowercased()) {
                forwarded.headers.add(name: name, value: value)
            }
            if !request.body.isEmpty { forwarded.body = .bytes(request.body) }
            do {
                let answer = try await http.execute(forwarded, timeout: .seconds(60))
                var body = Array(try await answer.body.collect(upTo: 256 << 20).readableBytesView)
                if case .corrupt = fault, let last = body.indices.last { body[last] ^= 0xFF }
                // An upload's Location names the upstream; through the proxy it is the same path here.
                let headers = answer.headers.filter { !["content-length", "connection", "transfer-encoding"].contains($0.name.lowercased()) }
                    .map {
                        ($0.name, $0.name.lowercased() == "location" && $0.value.hasPrefix(upstream) ? String($0.value.dropFirst(upstream.count)) : $0.value)
                    }
                return .respond(status: Int(answer.status.code), headers: headers, body: body)
            } catch {
                return .close
            }
        }
    }

    public func stop() async { await server.stop() }
}
