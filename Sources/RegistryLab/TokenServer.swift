import Crypto
import Foundation
import NIOConcurrencyHelpers

/// A Docker token server (the `auth: token` protocol) that signs ES256 JWTs the Distribution
/// registry accepts: the real Bearer flow, on loopback, with a key made for the test run.
public final class TokenServer: Sendable {
    public struct Options: Sendable {
        public var issuer = "alga-release-test-issuer"
        public var service = "alga-release-test"
        /// Repositories an anonymous caller may not pull (GHCR refuses the token for them).
        public var privateRepositories: Set<String> = []
        /// user → password; a user with the right password may pull everything and push.
        public var users: [String: String] = [:]
        /// The JWT's real lifetime.
        public var tokenLifetime: TimeInterval = 300
        /// What the answer claims (`expires_in`); a lie makes a client hold on to an expired token.
        public var advertisedLifetime: Int? = nil
        /// Answer with `access_token` instead of `token`, as some registries do.
        var useAccessTokenField = false
        public init() {}
    }

    public let server: LoopbackHTTPServer
    public let options: Options
    private let issued = NIOLockedValueBox<[String: Int]>([:])
    private let tokens = NIOLockedValueBox<[String]>([])

    /// Every token handed out, so a test can grep outputs for them.
    public var issuedTokens: [String] { tokens.withLockedValue { $0 } }

    public var realm: String { server.baseURL + "/token" }

    /// Token requests per scope string, to prove a client asks once per scope.
    public var tokenRequests: [String: Int] { issued.withLockedValue { $0 } }

    public init(options: Options, keyPEM: String, certificateDER: Data) async throws {
        // The raw key crosses into the request handler; Crypto's key type is not Sendable.
        let rawKey = try P256.Signing.PrivateKey(pemRepresentation: keyPEM).rawRepresentation
        self.options = options
        let issued = self.issued
        let tokens = self.tokens
        let x5c = certificateDER.base64EncodedString()
        server = try await LoopbackHTTPServer { request in
            let reply = Self.answer(request, options: options, key: try! P256.Signing.PrivateKey(rawRepresentation: rawKey), x5c: x5c, issued: issued)
            if case .respond(200, _, let body) = reply,
                let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let token = (object["token"] ?? object["access_token"]) as? String
            {
                tokens.withLockedValue { $0.append(token) }
            }
            return reply
        }
    }

    public func stop() async { await server.stop() }

    static func answer(
        _ request: LoopbackHTTPServer.Request, options: Options, key: P256.Signing.PrivateKey, x5c: String,
        issued: NIOLockedValueBox<[String: Int]>
    ) -> LoopbackHTTPServer.Reply {
        guard request.path == "/token" else { return .respond(status: 404) }
        let scopes = request.query.filter { $0.0 == "scope" }.map(\.1)
        issued.withLockedValue { counts in for scope in scopes { counts[scope, default: 0] += 1 } }
        var user: String?
        if let auth = request.header("Authorization") {
            guard auth.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(auth.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":"), options.users[String(decoded[..<colon])] == String(decoded[decoded.index(after: colon)...])
            else {
                return unauthorized()
            }
            user = String(decoded[..<colon])
        }
        var access: [[String: Any]] = []
        for scope in scopes {
            let parts = scope.split(separator: ":").map(String.init)
            guard parts.count == 3, parts[0] == "repository" else { continue }
            let name = parts[1]
            if user == nil && options.privateRepositories.contains(name) { return unauthorized() }
            let actions = user == nil ? ["pull"] : parts[2].split(separator: ",").map(String.init)
            access.append(["type": "repository", "name": name, "actions": actions])
        }
        let now = Date()
        let claims: [String: Any] = [
            "iss": options.issuer, "sub": user ?? "", "aud": options.service,
            "exp": Int(now.timeIntervalSince1970 + options.tokenLifetime), "nbf": Int(now.timeIntervalSince1970) - 10,
            "iat": Int(now.timeIntervalSince1970), "jti": UUID().uuidString, "access": access,
        ]
        let header: [String: Any] = ["typ": "JWT", "alg": "ES256", "x5c": [x5c]]
        guard let token = try? sign(header: header, claims: claims, key: key) else { return .respond(status: 500) }
        var answer: [String: Any] = [options.useAccessTokenField ? "access_token" : "token": token]
        if let lifetime = options.advertisedLifetime { answer["expires_in"] = lifetime }
        let body = (try? JSONSerialization.data(withJSONObject: answer)) ?? Data()
        return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
    }

    static func unauthorized() -> LoopbackHTTPServer.Reply {
        .respond(
            status: 401, headers: [("Content-Type", "application/json")],
            body: Array(#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#.utf8))
    }

    static func sign(header: [String: Any], claims: [String: Any], key: P256.Signing.PrivateKey) throws -> String {
        let h = base64URL(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let c = base64URL(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let input = "\(h).\(c)"
        // JWS ES256 signatures are the raw 64-byte r||s, not DER.
        let signature = try key.signature(for: Data(input.utf8)).rawRepresentation
        return "\(input).\(base64URL(signature))"
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
