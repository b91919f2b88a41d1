import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension HTTPClient {
    /// Sends `request` and reads the answer's body to its end, all before `deadline`.
    ///
    /// The async `execute` keeps its deadline to the response head, and its read timeout resets
    /// with every byte, so a server that sends one byte a second holds `execute` + `collect` as
    /// long as it likes. Here the request goes through AsyncHTTPClient's delegate API, whose
    /// deadline ends the whole request, body included, and is kept by a timer on the event loop:
    /// it fires on time however busy the Swift concurrency pool is, and a fast answer (a refused
    /// connection, say) is never mistaken for a timeout because the pool was slow to run a timer
    /// task. The body is accumulated up to `maxBody` bytes. Cancelling the calling task cancels
    /// the request.
    /// `body` is sent whole (a manifest, an upload's start): small by the caller's bound.
    public func boundedExecute(_ request: HTTPClientRequest, body: ByteBuffer? = nil, deadline: NIODeadline, maxBody: Int) async throws -> BoundedResponse {
        let legacy = try HTTPClient.Request(url: request.url, method: request.method, headers: request.headers, body: body.map { .byteBuffer($0) })
        let task = execute(request: legacy, delegate: ResponseAccumulator(request: legacy, maxBodySize: maxBody), deadline: deadline)
        do {
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return BoundedResponse(status: response.status, headers: response.headers, body: response.body ?? ByteBuffer())
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw BoundedExchangeError.bodyTooLarge(limit: maxBody)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw BoundedExchangeError.deadlineExceeded
        }
    }
}
