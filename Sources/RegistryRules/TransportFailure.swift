/// Why a registry could not be asked at all, when the network itself failed: told by the error's
/// type, never by its text.
public enum TransportFailure: String, Sendable, Codable, Equatable {
    /// The host name did not resolve.
    case dns
    /// No connection: refused, unreachable, or the connect timed out.
    case connect
    /// The exchange did not finish in time.
    case timeout
}
