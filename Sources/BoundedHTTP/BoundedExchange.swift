import AsyncHTTPClient
import Foundation
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
    /// for as long as it likes. Here the exchange races a timer; when the timer wins, the caller
    /// gets `.deadlineExceeded` at once and the exchange is cancelled behind it (closing a TLS
    /// connection whose peer keeps dripping waits for NIOSSL's own shutdown timeout, which the
    /// caller must not wait for). Memory is bounded by `maxBody`.
    public func boundedExecute(_ request: HTTPClientRequest, deadline: NIODeadline, maxBody: Int) async throws -> BoundedResponse {
        let race = Race()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<BoundedResponse, any Error>) in
                race.start(continuation)
                let exchange = _Concurrency.Task {
                    do {
                        let response = try await self.execute(request, deadline: deadline)
                        let body: ByteBuffer
                        do { body = try await response.body.collect(upTo: maxBody) } catch is NIOTooManyBytesError {
                            throw BoundedExchangeError.bodyTooLarge(limit: maxBody)
                        }
                        race.finish(.success(BoundedResponse(status: response.status, headers: response.headers, body: body)))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = _Concurrency.Task {
                    let remaining = deadline.uptimeNanoseconds.subtractingReportingOverflow(NIODeadline.now().uptimeNanoseconds)
                    if !remaining.overflow, remaining.partialValue > 0 {
                        try? await _Concurrency.Task.sleep(nanoseconds: remaining.partialValue)
                    }
                    if _Concurrency.Task.isCancelled { return }
                    race.finish(.failure(BoundedExchangeError.deadlineExceeded))
                }
                race.attach(exchange: exchange, timer: timer)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }
}

/// The first of the exchange, the timer and the caller's cancellation to finish decides; the
/// others are cancelled. Resumes the continuation exactly once.
private final class Race: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<BoundedResponse, any Error>?
    private var result: Result<BoundedResponse, any Error>?
    private var tasks: [_Concurrency.Task<Void, Never>] = []

    func start(_ continuation: CheckedContinuation<BoundedResponse, any Error>) {
        lock.lock()
        if let result {
            lock.unlock()
            continuation.resume(with: result)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    func attach(exchange: _Concurrency.Task<Void, Never>, timer: _Concurrency.Task<Void, Never>) {
        lock.lock()
        let done = result != nil
        if !done { tasks = [exchange, timer] }
        lock.unlock()
        if done {
            exchange.cancel()
            timer.cancel()
        }
    }

    func finish(_ outcome: Result<BoundedResponse, any Error>) {
        lock.lock()
        guard result == nil else {
            lock.unlock()
            return
        }
        result = outcome
        let continuation = self.continuation
        self.continuation = nil
        let tasks = self.tasks
        self.tasks = []
        lock.unlock()
        for task in tasks { task.cancel() }
        continuation?.resume(with: outcome)
    }
}
