import AsyncHTTPClient
import BoundedHTTP
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RegistryRules

/// A registry's answer, or why there was none.
package enum Exchange: Sendable {
    case response(status: Int, headers: HTTPHeaders, body: ByteBuffer?, auth: String)
    /// Still 429 when the budget ran out.
    case rateLimited(detail: String)
    /// DNS, connect, TLS, timeouts, 5xx after retries; `transport` when the network itself failed.
    case unreachable(detail: String, transport: TransportFailure? = nil)
    /// The token endpoint refused us: for an anonymous pull, a private or non-existent repository.
    case denied(detail: String, auth: String)
}

extension Exchange: Error {}
