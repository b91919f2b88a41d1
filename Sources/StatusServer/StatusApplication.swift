import ApplianceStatus
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// The appliance-status server: the routes of one appliance's status page and API.
public enum StatusApplication {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// The `--refresh` interval in seconds, also the page's refresh period.
        public var refresh: Int
        public var idleTimeout: TimeAmount
        /// Open connections at most; further ones wait in the listen backlog until one closes (or
        /// its idle timeout ends it). Each connection costs memory; an appliance page has a handful.
        public var maxConnections: Int

        public static let defaultMaxConnections = 256

        public init(host: String, port: Int, refresh: Int = 5, idleTimeout: TimeAmount = .seconds(30), maxConnections: Int = defaultMaxConnections) {
            self.host = host
            self.port = port
            self.refresh = refresh
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
        }
    }

    public static func router(cache: StatusCache, access: AccessControl, refresh: Int, logger: Logger) -> Router<StatusRequestContext> {
        let router = Router(context: StatusRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware(logger: logger))
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: AuthMiddleware(access: access))

        // Liveness only: no cluster data, no authentication, no collection.
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/api/status") { _, _ in try await json(cache, \.statusJSON) }
        router.get("/api/overview") { _, _ in try await json(cache, \.overviewJSON) }
        router.get("/api/diagnostics") { _, _ in try await json(cache, \.diagnosticsJSON) }
        router.get("/") { request, _ in await html(.overview, request, cache, refresh) }
        router.get("/diagnostics") { request, _ in await html(.diagnostics, request, cache, refresh) }

        router.get("/login") { request, _ in
            if case .cookie(let value) = Credential(request), access.isValidSession(value) {
                return Responses.redirect(to: safeNext(request.uri.queryParameters["next"].map(String.init)))
            }
            return Responses.html(
                .ok, Pages.login(message: nil, next: safeNext(request.uri.queryParameters["next"].map(String.init)), missingSecret: access.missingSecret))
        }
        router.post("/login") { request, context in try await login(request, context, access) }
        router.post("/logout") { _, _ in
            var response = Responses.redirect(to: "/login")
            response.headers[.setCookie] = AccessControl.clearedCookie
            return response
        }
        return router
    }

    public static func application(
        configuration: Configuration, cache: StatusCache, access: AccessControl, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var http1 = HTTP1Channel.Configuration(idleTimeout: configuration.idleTimeout)
        // Small headers: a request here is a path, a cookie and a token.
        http1.httpDecoder = .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)
        return Application(
            router: router(cache: cache, access: access, refresh: configuration.refresh, logger: logger),
            server: .http1(configuration: http1),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: ConnectionLimit(maxConnections: configuration.maxConnections)),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    static func json(_ cache: StatusCache, _ body: KeyPath<StatusEntry, ByteBuffer>) async throws -> Response {
        let entry = await cache.current()
        var response = Responses.json(.ok, entry[keyPath: body])
        response.headers[.age] = String(max(0, Int(Date().timeIntervalSince(entry.collectedAt))))
        return response
    }

    static func html(_ kind: Pages.Kind, _ request: Request, _ cache: StatusCache, _ refresh: Int) async -> Response {
        let entry = await cache.current()
        let now = Date()
        let body =
            request.uri.queryParameters["fragment"] != nil
            ? Pages.fragment(kind, entry: entry, now: now, refresh: refresh)
            : Pages.page(kind, entry: entry, now: now, refresh: refresh)
        var response = Responses.html(.ok, body)
        response.headers[.age] = String(max(0, Int(now.timeIntervalSince(entry.collectedAt))))
        return response
    }

    /// The sign-in form's POST: same-origin only, body capped, throttled like every other guess.
    static func login(_ request: Request, _ context: StatusRequestContext, _ access: AccessControl) async throws -> Response {
        if let origin = request.headers[.origin], let host = request.head.authority, origin != "http://\(host)", origin != "https://\(host)" {
            return Responses.json(.forbidden, #"{"error":"cross_origin_sign_in"}"#)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            return Responses.json(.contentTooLarge, #"{"error":"body_too_large","limitBytes":\#(context.maxUploadSize)}"#)
        }
        let form = (try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))) ?? LoginForm()
        let next = safeNext(form.next)
        switch access.attempt((form.token ?? "").trimmingCharacters(in: .whitespacesAndNewlines), from: context.remoteAddress) {
        case .throttled(let wait):
            return Responses.tooManyRequests(wait)
        case .rejected, .unavailable:
            return Responses.html(.unauthorized, Pages.login(message: "That token is not right.", next: next, missingSecret: access.missingSecret))
        case .accepted(let token):
            var response = Responses.redirect(to: next)
            response.headers[.setCookie] = access.sessionCookie(token: token)
            return response
        }
    }

    /// Only a path on this server: never `//host`, a scheme, or a backslash trick.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("\r"), !next.contains("\n") else { return "/" }
        let path = next.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        return ["/", "/diagnostics"].contains(path) ? next : "/"
    }
}
