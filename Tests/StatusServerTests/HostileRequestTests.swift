import Foundation
import NIOCore
import NIOPosix
import StatusAccess
import StatusServer
import TestSupport
import Testing

/// Requests meant to hurt the status server (hardening issue #10). It exists to stay up while
/// everything else fails, so every case ends with the server still answering.
@Suite struct HostileRequestTests {
    static let extremeCookies = [
        "v1.-9223372036854775808.00", "v1.9223372036854775807.00", "v1.-9223372036854775807.\(String(repeating: "ab", count: 32))",
        "v1.99999999999999999999.00", "v1.+1.00", "v1..00",
    ]

    // #10.1: one unauthenticated request with an issue time near Int.min trapped the process.
    @Test func extremeIssueTimesAreJustInvalid() {
        for cookie in Self.extremeCookies {
            #expect(!SessionCookie.isValid(cookie, token: testToken, now: Date()), "\(cookie)")
        }
    }

    @Test(arguments: ["/login", "/", "/api/status"])
    func extremeCookiesDoNotStopTheServer(path: String) async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path)
        for cookie in Self.extremeCookies {
            let reply = try await HTTP.send(.GET, server.baseURL + path, headers: [("Cookie", "\(SessionCookie.name)=\(cookie)")])
            #expect(reply.status == (path == "/login" ? 200 : 401), "\(cookie)")
        }
        let alive = try await HTTP.send(.GET, server.baseURL + "/healthz")
        await server.stop()
        #expect(alive.status == 200)
    }

    // #10.10: while the token file is gone, the right token cannot be checked, and that is no guess.
    @Test func aTokenFileGapDoesNotLockTheOwnerOut() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, throttle: .init(limit: 3, window: 60, penalty: 30))
        try FileManager.default.removeItem(atPath: token.path)
        for _ in 0..<6 {
            let reply = try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer())
            #expect(reply.status == 401, "a request that could not be checked was throttled")
        }
        let page = try await HTTP.send(.GET, server.baseURL + "/?token=\(testToken)")
        #expect(page.status == 401)
        try Data("not a token\n".utf8).write(to: URL(fileURLWithPath: token.path))
        let form = try await HTTP.send(
            .POST, server.baseURL + "/login", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "token=\(testToken)")
        #expect(form.status == 401)
        try token.rotate(to: testToken)
        let back = try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer())
        // Wrong tokens still count once a token is in force.
        var wrong: [Int] = []
        for _ in 0..<4 {
            wrong.append(try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer(String(repeating: "0", count: 48))).status)
        }
        await server.stop()
        #expect(back.status == 200, "the owner was locked out after the file came back")
        #expect(wrong == [401, 401, 401, 429])
    }

    // #10.13: connections are capped; one more waits in the backlog until one closes.
    @Test func connectionsAreCappedAndTheNextWaits() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path, maxConnections: 2)
        let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
        let idle = try await (0..<2).asyncMap { _ in
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
        }
        // Give the server a moment to accept both before the third arrives.
        try await Task.sleep(for: .milliseconds(300))
        let answered = Counter()
        let waiting = Task {
            let reply = try await HTTP.send(.GET, server.baseURL + "/healthz")
            _ = answered.next()
            return reply
        }
        try await Task.sleep(for: .seconds(1))
        let answeredEarly = answered.count > 0
        try await idle[0].close()
        let reply = try await waiting.value
        try await idle[1].close()
        await server.stop()
        #expect(!answeredEarly)
        #expect(reply.status == 200)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
