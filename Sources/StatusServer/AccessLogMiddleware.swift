import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// One line per request: method, path (never the query, which may hold `?token=`), status, time.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        // Successful requests (kubelet probes every few seconds, the page's refresh) only at debug.
        logger.log(
            level: response.status.code < 400 ? .debug : .info,
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: ["peer": .string(context.remoteAddress), "ms": .stringConvertible(elapsed / .milliseconds(1))])
        return response
    }
}
