import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// Authentication for everything but /healthz and the sign-in routes.
///
/// Credentials, first match wins: `Authorization: Bearer` (a wrong one never falls back), a
/// `?token=` link (accepted once: it sets the session cookie and redirects to the same URL without
/// it), the session cookie. Wrong tokens count against the address; expired or rotated sessions do
/// not (a page refreshing every few seconds would lock its owner out after a rotation).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext
    let access: AccessControl

    static let open: Set<String> = ["/healthz", "/login", "/logout"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let answer = refusal(request, from: context.remoteAddress) { return answer }
        return try await next(request, context)
    }

    /// The answer in place of the route, or nil to let the request through. Synchronous and kept
    /// out of `handle`: a connection's task keeps the task-allocator slabs of its deepest async
    /// frames as long as it lives, and with this inlined `handle`'s frame was 5 KB a connection.
    @inline(never)
    func refusal(_ request: Request, from address: String) -> Response? {
        let path = request.uri.path
        if Self.open.contains(path) { return nil }
        let wantsJSON = path.hasPrefix("/api/")

        switch Credential(request) {
        case .none:
            return access.unauthorized(json: wantsJSON, next: request.uri.pathAndQueryWithoutToken)
        case .malformedAuthorization:
            if let wait = access.throttle.retryAfter(address) { return Responses.tooManyRequests(wait) }
            access.throttle.recordFailure(address)
            return access.unauthorized(json: wantsJSON, next: request.uri.pathAndQueryWithoutToken)
        case .bearer(let token):
            switch access.attempt(token, from: address) {
            case .throttled(let wait): return Responses.tooManyRequests(wait)
            case .rejected, .unavailable: return access.unauthorized(json: wantsJSON, next: request.uri.pathAndQueryWithoutToken)
            case .accepted: return nil
            }
        case .query(let token):
            switch access.attempt(token, from: address) {
            case .throttled(let wait): return Responses.tooManyRequests(wait)
            case .rejected, .unavailable:
                return access.unauthorized(json: wantsJSON, next: request.uri.pathAndQueryWithoutToken, message: "That token is not right.")
            case .accepted(let current):
                // The token leaves the address bar (and so history and any later Referer) at once.
                var response = Responses.redirect(to: request.uri.pathAndQueryWithoutToken)
                response.headers[.setCookie] = access.sessionCookie(token: current)
                return response
            }
        case .cookie(let value):
            guard access.isValidSession(value) else {
                var response = access.unauthorized(json: wantsJSON, next: request.uri.pathAndQueryWithoutToken, message: "Your session ended; sign in again.")
                response.headers[.setCookie] = AccessControl.clearedCookie
                return response
            }
            return nil
        }
    }
}
