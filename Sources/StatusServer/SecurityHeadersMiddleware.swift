import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// What every response carries, errors included: the status never lands in a cache, a frame or a
/// referrer, and the page runs only its own hashed script and style.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            // The message stays in the log; the client learns only that it failed.
            logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string("\(error)")])
            response = Responses.json(.internalServerError, #"{"error":"internal_error"}"#)
        }
        response.headers.append(contentsOf: Self.fields)
        return response
    }

    /// Built (and validated) once; handlers never set these themselves.
    static let fields: [HTTPField] = [
        HTTPField(name: .cacheControl, value: "no-store"),
        HTTPField(name: .contentSecurityPolicy, value: Pages.contentSecurityPolicy),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: .referrerPolicy, value: "no-referrer"),
        HTTPField(name: .xFrameOptions, value: "DENY"),
    ]
}
