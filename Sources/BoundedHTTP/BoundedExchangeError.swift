import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Why a bounded exchange ended without an answer of its own.
public enum BoundedExchangeError: Error, Sendable, CustomStringConvertible {
    /// The deadline passed before the body's last byte (a server dripping its answer, or silence).
    case deadlineExceeded
    /// The body is larger than the caller's cap.
    case bodyTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .deadlineExceeded: "timed out before the whole answer arrived (the deadline covers the body too)"
        case .bodyTooLarge(let limit): "the answer is larger than the \(limit)-byte limit"
        }
    }
}
