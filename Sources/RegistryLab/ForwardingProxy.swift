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
    }

    public let server: LoopbackHTTPServer
    public var baseURL: String { server.baseURL }

    public init(upstream: String, http: HTTPClient, fault: @escaping @Sendable (_ path: String) -> Fault) async throws {
        server = try await LoopbackHTTPServer { request in
            let fault = fault(request.path)
            if case .hang = fault { return .hang }
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
                let headers = answer.headers.filter { !["content-length", "connection", "transfer-encoding"].contains($0.name.lowercased()) }
                    .map { ($0.name, $0.value) }
                return .respond(status: Int(answer.status.code), headers: headers, body: body)
            } catch {
                return .close
            }
        }
    }

    public func stop() async { await server.stop() }
}
