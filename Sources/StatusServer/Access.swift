import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// The request context: Hummingbird's core storage plus the peer address, which the throttle keys on.
public struct StatusRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's IP; no proxy sits in front of the appliance, so forwarded headers are ignored.
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Only the sign-in form has a body, and a token is small.
    public var maxUploadSize: Int { 4096 }
}

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
        let path = request.uri.path
        if Self.open.contains(path) { return try await next(request, context) }
        let wantsJSON = path.hasPrefix("/api/")
        let address = context.remoteAddress

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
            case .accepted: return try await next(request, context)
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
            return try await next(request, context)
        }
    }
}

/// The parts of access control the middleware and the sign-in routes share.
public struct AccessControl: Sendable {
    public let token: TokenFile
    public let throttle: FailureThrottle
    /// The Secret that holds the token, as the sign-in page names it when there is no usable one.
    public let tokenSecret: String

    public init(token: TokenFile, throttle: FailureThrottle, tokenSecret: String = "status token") {
        self.token = token
        self.throttle = throttle
        self.tokenSecret = tokenSecret
    }

    /// What one presented token came to, for every route that takes one.
    enum Attempt {
        case accepted(token: String)
        case rejected
        /// No usable token file: nothing was checked, and nothing is counted.
        case unavailable
        case throttled(retryAfter: Int)
    }

    /// The throttled token check: a locked-out address is not even compared; a wrong token counts
    /// against it, a right one clears it, and one that could not be checked does neither.
    func attempt(_ presented: some StringProtocol, from address: String) -> Attempt {
        if let wait = throttle.retryAfter(address) { return .throttled(retryAfter: wait) }
        switch token.check(presented) {
        case .match(let current):
            throttle.recordSuccess(address)
            return .accepted(token: current)
        case .mismatch:
            throttle.recordFailure(address)
            return .rejected
        case .unavailable:
            return .unavailable
        }
    }

    static let clearedCookie = "\(SessionCookie.name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"

    /// HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Path=/. Not `Secure`:
    /// the page is plain HTTP on the node's address.
    func sessionCookie(token: String) -> String {
        "\(SessionCookie.name)=\(SessionCookie.issue(token: token)); Path=/; Max-Age=\(SessionCookie.maxAge); HttpOnly; SameSite=Strict"
    }

    func unauthorized(json: Bool, next: String, message: String? = nil) -> Response {
        if json {
            var response = Responses.json(.unauthorized, #"{"error":"unauthorized"}"#)
            response.headers[.wwwAuthenticate] = #"Bearer realm="appliance-status""#
            return response
        }
        return Responses.html(.unauthorized, Pages.login(message: message, next: next, missingSecret: missingSecret))
    }

    /// A session cookie issued with the current token and not yet expired.
    func isValidSession(_ value: String) -> Bool {
        guard case .success(let current) = token.current() else { return false }
        return SessionCookie.isValid(value, token: current)
    }

    /// No token file, or one without a token: the sign-in page says so.
    var tokenUnusable: Bool {
        if case .failure = token.current() { true } else { false }
    }

    /// The Secret to create, when the token is unusable.
    var missingSecret: String? { tokenUnusable ? tokenSecret : nil }
}

enum Credential {
    case none
    case malformedAuthorization
    case bearer(Substring)
    case query(Substring)
    case cookie(String)

    init(_ request: Request) {
        if let header = request.headers[.authorization] {
            let prefix = "bearer "
            if header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix {
                self = .bearer(header.dropFirst(prefix.count).drop { $0 == " " })
            } else {
                self = .malformedAuthorization
            }
        } else if let token = request.uri.queryParameters["token"] {
            self = .query(token)
        } else if let cookie = request.cookies[SessionCookie.name] {
            self = .cookie(cookie.value)
        } else {
            self = .none
        }
    }
}

enum Responses {
    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        json(status, ByteBuffer(string: body))
    }

    static func json(_ status: HTTPResponse.Status, _ body: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    static func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func tooManyRequests(_ seconds: Int) -> Response {
        var response = json(.tooManyRequests, #"{"error":"too_many_attempts","retryAfterSeconds":\#(seconds)}"#)
        response.headers[.retryAfter] = String(seconds)
        return response
    }
}

extension URI {
    /// This URL's path and query without `token=`; what a `?token=` link redirects to.
    var pathAndQueryWithoutToken: String {
        let kept = (query ?? "").split(separator: "&").filter { !($0 == "token" || $0.hasPrefix("token=")) }
        return kept.isEmpty ? path : "\(path)?\(kept.joined(separator: "&"))"
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
