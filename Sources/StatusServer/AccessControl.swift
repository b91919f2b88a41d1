import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

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
