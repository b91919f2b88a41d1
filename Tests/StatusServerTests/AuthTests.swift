import Foundation
import StatusAccess
import StatusServer
import Testing

/// Every auth rule against the server serving a recorded scenario: through its router in process
/// (HummingbirdTesting), and over a loopback socket where the rule needs one (the throttle's peer
/// address, the headers of the whole server).
@Suite struct AuthTests {
    static let protected = ["/api/status", "/api/overview", "/api/diagnostics", "/", "/diagnostics"]

    @Test(arguments: protected)
    func unauthorizedWithoutToken(path: String) async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        defer { Task { await server.stop() } }
        let reply = try await server.send(.GET, path)
        #expect(reply.status == 401)
        if path.hasPrefix("/api/") {
            #expect(reply.json["error"] as? String == "unauthorized")
            #expect(reply.header("WWW-Authenticate") == #"Bearer realm="appliance-status""#)
        } else {
            #expect(reply.body.contains(#"<form method="post" action="/login">"#))
        }
        #expect(!reply.body.contains("alga-psa-ee"), "cluster data leaked without a token")
        #expect(server.collections.count == 0, "an unauthenticated request caused a collection")
        await server.stop()
    }

    @Test(arguments: protected)
    func okWithBearer(path: String) async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        let reply = try await server.send(.GET, path, headers: HTTP.bearer())
        await server.stop()
        #expect(reply.status == 200)
        #expect(reply.body.contains("alga-psa-ee"))
        #expect(reply.header("Age") != nil)
    }

    @Test func healthzIsOpenAndCarriesNoClusterData() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        let reply = try await server.send(.GET, "/healthz")
        let head = try await server.send(.HEAD, "/healthz")
        await server.stop()
        #expect(reply.status == 200)
        #expect(reply.body == "ok\n")
        #expect(head.status == 200)
        #expect(server.collections.count == 0)
    }

    /// A wrong bearer is final: a right ?token= or a valid session cookie beside it does not rescue it.
    @Test func wrongBearerDoesNotFallBack() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        let login = try await server.send(.GET, "/?token=\(testToken)")
        let cookie = try #require(login.sessionCookie)
        let reply = try await server.send(.GET, "/api/status?token=\(testToken)", headers: HTTP.bearer("0000" + testToken.dropFirst(4)) + [("Cookie", cookie)])
        let basic = try await server.send(.GET, "/api/status", headers: [("Authorization", "Basic dXNlcjpwYXNz")])
        await server.stop()
        #expect(reply.status == 401)
        #expect(basic.status == 401)
    }

    @Test func tokenLinkSetsCookieAndRedirectsWithoutToken() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        let reply = try await server.send(.GET, "/diagnostics?x=1&token=\(testToken)&fragment=1")
        #expect(reply.status == 303)
        #expect(reply.header("Location") == "/diagnostics?x=1&fragment=1")
        let setCookie = try #require(reply.header("Set-Cookie"))
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] { #expect(setCookie.contains(attribute), "missing \(attribute)") }
        #expect(!setCookie.contains(testToken), "the cookie carries the token itself")
        #expect(!reply.body.contains(testToken))

        let page = try await server.send(.GET, "/diagnostics", headers: [("Cookie", try #require(reply.sessionCookie))])
        #expect(page.status == 200)
        #expect(page.body.contains(#"id="flux""#))
        let api = try await server.send(.GET, "/api/overview", headers: [("Cookie", try #require(reply.sessionCookie))])
        #expect(api.status == 200)

        let wrong = try await server.send(.GET, "/?token=\(String(testToken.reversed()))")
        #expect(wrong.status == 401)
        #expect(wrong.header("Set-Cookie") == nil)
        await server.stop()
    }

    @Test func signInFormAndSignOut() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        let form = try await server.send(.GET, "/login?next=/diagnostics")
        #expect(form.status == 200)
        #expect(form.body.contains(#"name="next" value="/diagnostics""#))

        let urlencoded = [("Content-Type", "application/x-www-form-urlencoded")]
        let wrong = try await server.send(.POST, "/login", headers: urlencoded, body: "token=abc&next=%2Fdiagnostics")
        #expect(wrong.status == 401)
        #expect(wrong.body.contains("That token is not right."))

        let right = try await server.send(.POST, "/login", headers: urlencoded, body: "token=\(testToken)&next=%2Fdiagnostics")
        #expect(right.status == 303)
        #expect(right.header("Location") == "/diagnostics")
        let cookie = try #require(right.sessionCookie)
        #expect(try await server.send(.GET, "/", headers: [("Cookie", cookie)]).status == 200)

        // An open redirect would make the sign-in form a phishing helper.
        for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
            let reply = try await server.send(
                .POST, "/login", headers: urlencoded,
                body: "token=\(testToken)&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(reply.header("Location") == "/", "next=\(next)")
        }

        let crossSite = try await server.send(.POST, "/login", headers: urlencoded + [("Origin", "http://evil.example")], body: "token=\(testToken)")
        #expect(crossSite.status == 403)
        let huge = try await server.send(.POST, "/login", headers: urlencoded, body: "token=" + String(repeating: "a", count: 10_000))
        #expect(huge.status == 413)

        let out = try await server.send(.POST, "/logout", headers: [("Cookie", cookie)])
        #expect(out.status == 303)
        #expect(out.header("Set-Cookie")?.contains("Max-Age=0") == true)
        await server.stop()
    }

    @Test func wrongTokensAreThrottledPerAddress() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        // Live: the throttle keys on the peer's address, which only a socket has.
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, throttle: .init(limit: 3, window: 60, penalty: 3))
        for _ in 0..<3 {
            #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer("0" + testToken.dropFirst())).status == 401)
        }
        let locked = try await server.send(.GET, "/api/status", headers: HTTP.bearer())
        #expect(locked.status == 429, "the right token must wait too, or guessing goes on")
        let wait = try #require(locked.header("Retry-After").flatMap(Int.init))
        #expect((1...3).contains(wait))
        #expect(
            try await server.send(.POST, "/login", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "token=\(testToken)")
                .status == 429)
        #expect(try await server.send(.GET, "/?token=\(testToken)").status == 429)
        // Without a credential there is nothing to throttle: the sign-in page still shows.
        #expect(try await server.send(.GET, "/").status == 401)
        try await Task.sleep(for: .seconds(wait))
        #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer()).status == 200)
        await server.stop()
    }

    /// A Secret rotation: the new token works at once, the old one and its sessions stop, and the
    /// page refreshing with a dead session is not counted as guessing.
    @Test func tokenFileRotation() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot(
            "core-image-pulling", tokenFile: token.path, transport: .router, throttle: .init(limit: 3, window: 60, penalty: 60))
        let cookie = try #require(try await server.send(.GET, "/?token=\(testToken)").sessionCookie)
        #expect(try await server.send(.GET, "/", headers: [("Cookie", cookie)]).status == 200)

        let rotated = StatusToken.generate()
        try token.rotate(to: rotated)
        #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer()).status == 401)
        for _ in 0..<5 {
            let stale = try await server.send(.GET, "/?fragment=1", headers: [("Cookie", cookie)])
            #expect(stale.status == 401)
            #expect(stale.header("Set-Cookie")?.contains("Max-Age=0") == true)
        }
        #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer(rotated)).status == 200)
        await server.stop()
    }

    /// No usable token file: nothing is served but /healthz, and the sign-in page says why.
    @Test(arguments: [nil, "not-hex-and-short"])
    func failsClosedWithoutUsableToken(content: String?) async throws {
        let token = try ScratchToken(content)
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        #expect(try await server.send(.GET, "/healthz").status == 200)
        #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer("")).status == 401)
        #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer(content ?? "x")).status == 401)
        let page = try await server.send(.GET, "/")
        #expect(page.body.contains("no usable token"))
        // The file appearing later (the Secret applied after the pod started) is picked up.
        try token.rotate(to: testToken)
        #expect(try await server.send(.GET, "/api/status", headers: HTTP.bearer()).status == 200)
        await server.stop()
    }

    /// Security headers on every kind of response: 200, 303, 401, 404, 413, 429.
    @Test func securityHeadersEverywhere() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        // Live: the headers as the whole server sends them, 413 from a real body included.
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, throttle: .init(limit: 1, window: 60, penalty: 60))
        var replies = [
            try await server.send(.GET, "/healthz"),
            try await server.send(.GET, "/", headers: HTTP.bearer()),
            try await server.send(.GET, "/api/status", headers: HTTP.bearer()),
            try await server.send(.GET, "/?token=\(testToken)"),
            try await server.send(.GET, "/api/status"),
            try await server.send(.GET, "/no-such-page", headers: HTTP.bearer()),
            try await server.send(.POST, "/login", body: String(repeating: "x", count: 5000)),
        ]
        replies.append(try await server.send(.GET, "/api/status", headers: HTTP.bearer("f" + testToken.dropFirst())))
        replies.append(try await server.send(.GET, "/api/status", headers: HTTP.bearer()))
        await server.stop()
        #expect(replies.map(\.status) == [200, 200, 200, 303, 401, 404, 413, 401, 429])
        for reply in replies {
            #expect(reply.header("Cache-Control") == "no-store", "\(reply.status)")
            #expect(reply.header("X-Content-Type-Options") == "nosniff")
            #expect(reply.header("Referrer-Policy") == "no-referrer")
            let csp = try #require(reply.header("Content-Security-Policy"))
            #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
        }
    }

    /// Everything the server logged through a session of every credential kind, right and wrong:
    /// neither the token nor a session value appears.
    @Test func logsNeverHoldTheToken() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, transport: .router)
        _ = try await server.send(.GET, "/api/status", headers: HTTP.bearer())
        let link = try await server.send(.GET, "/diagnostics?token=\(testToken)")
        let cookie = try #require(link.sessionCookie)
        _ = try await server.send(.GET, "/", headers: [("Cookie", cookie)])
        _ = try await server.send(.POST, "/login", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "token=\(testToken)")
        _ = try await server.send(.GET, "/api/status?token=\(testToken.dropLast(2))xx")
        _ = try await server.send(.GET, "/api/status", headers: HTTP.bearer(testToken + "00"))
        try token.rotate(to: String(testToken.reversed()))
        _ = try await server.send(.GET, "/", headers: [("Cookie", cookie)])
        await server.stop()
        let log = server.logs.text
        #expect(log.contains("GET /diagnostics 303"), "the access log is not being captured")
        let sessionValue = String(cookie.split(separator: "=", maxSplits: 1)[1])
        for secret in [testToken, String(testToken.dropLast(2)), String(testToken.reversed()), sessionValue] {
            #expect(!log.contains(secret), "the log holds a secret")
        }
    }
}
