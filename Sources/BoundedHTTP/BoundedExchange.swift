import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One HTTP answer read to its end: status, headers and the whole body.
public struct BoundedResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
}

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

extension HTTPClient {
    /// Sends `request` and reads the answer's body to its end, all before `deadline`.
    ///
    /// AsyncHTTPClient's own deadline ends at the response head and its read timeout resets with
    /// every byte, so a server that sends one byte a second holds a plain `execute` + `collect`
    /// for as long as it likes. Here the head and the body race one timer; when it fires, the
    /// exchange is cancelled (AsyncHTTPClient closes the connection) and `.deadlineExceeded` is thrown.
    /// Memory is bounded by `maxBody`.
    public func boundedExecute(_ request: HTTPClientRequest, deadline: NIODeadline, maxBody: Int) async throws -> BoundedResponse {
        try await withThrowingTaskGroup(of: BoundedResponse?.self) { group in
            group.addTask {
                let response = try await self.execute(request, deadline: deadline)
                do {
                    let body = try await response.body.collect(upTo: maxBody)
                    return BoundedResponse(status: response.status, headers: response.headers, body: body)
                } catch is NIOTooManyBytesError {
                    throw BoundedExchangeError.bodyTooLarge(limit: maxBody)
                }
            }
            group.addTask {
                let remaining = deadline.uptimeNanoseconds.subtractingReportingOverflow(NIODeadline.now().uptimeNanoseconds)
                if !remaining.overflow, remaining.partialValue > 0 {
                    try await _Concurrency.Task.sleep(nanoseconds: remaining.partialValue)
                }
                return nil
            }
            defer { group.cancelAll() }
            // The first to finish decides: an answer, an error of the exchange, or the timer (nil).
            guard let first = try await group.next(), let response = first else {
                throw BoundedExchangeError.deadlineExceeded
            }
            return response
        }
    }
}
