import AsyncHTTPClient
import BoundedHTTP
import NIOCore
import NIOPosix
import RegistryRules

extension TransportFailure {
    /// The network-level cause of `error`, or nil when it is something else (TLS, a protocol error).
    public init?(_ error: any Error) {
        switch error {
        case let e as NIOConnectionError:
            self = e.connectionErrors.isEmpty && (e.dnsAError != nil || e.dnsAAAAError != nil) ? .dns : .connect
        case let e as HTTPClientError where e == .connectTimeout:
            self = .connect
        case let e as HTTPClientError where e == .deadlineExceeded || e == .readTimeout:
            self = .timeout
        case BoundedExchangeError.deadlineExceeded:
            self = .timeout
        case let e as IOError where [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(e.errnoCode):
            self = .connect
        default:
            return nil
        }
    }
}
