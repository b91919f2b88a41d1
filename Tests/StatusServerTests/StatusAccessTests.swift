import Foundation
import StatusAccess
import TestSupport
import Testing
import Yams

@Suite struct StatusAccessTests {
    @Test func tokensAre24RandomBytesInHex() {
        let tokens = (0..<64).map { _ in StatusToken.generate() }
        #expect(Set(tokens).count == 64)
        for token in tokens {
            #expect(token.count == 48)
            #expect(token.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(StatusToken.isWellFormed(token))
        }
        #expect(!StatusToken.isWellFormed("abc"))
        #expect(!StatusToken.isWellFormed(String(repeating: "z", count: 48)))
    }

    @Test func constantTimeEqualsIsEquality() {
        #expect(StatusToken.constantTimeEquals("abc", "abc"))
        #expect(!StatusToken.constantTimeEquals("abc", "abd"))
        #expect(!StatusToken.constantTimeEquals("abc", "abcd"))
        #expect(!StatusToken.constantTimeEquals("", "a"))
    }

    /// Every wrong token is refused: one differing from the right one in each position by each
    /// other hex digit (720), and 2,000 more generated ones. A comparison that looks at only part of
    /// the hashed token lets about one in 256 through, so among these some would pass.
    @Test func everyWrongTokenIsRefused() {
        let token = String(repeating: "5f0c1e2d", count: 6)
        var wrong: [String] = []
        let characters = Array(token)
        for position in characters.indices {
            for digit in "0123456789abcdef" where digit != characters[position] {
                var changed = characters
                changed[position] = digit
                wrong.append(String(changed))
            }
        }
        var random = SplitMix(seed: 29)
        for _ in 0..<2_000 { wrong.append(String((0..<48).map { _ in "0123456789abcdef".randomElement(using: &random) ?? "0" })) }
        #expect(wrong.count == 2_720)
        let accepted = wrong.filter { StatusToken.constantTimeEquals($0, token) }
        #expect(accepted.isEmpty, "\(accepted.prefix(3))")
        #expect(StatusToken.constantTimeEquals(token, token))
    }

    @Test func sessionCookies() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let value = SessionCookie.issue(token: "aa", now: now)
        #expect(!value.contains("aa."))
        #expect(SessionCookie.isValid(value, token: "aa", now: now.addingTimeInterval(3600)))
        #expect(!SessionCookie.isValid(value, token: "ab", now: now), "a rotated token must end the session")
        #expect(!SessionCookie.isValid(value, token: "aa", now: now.addingTimeInterval(TimeInterval(SessionCookie.maxAge + 1))))
        var tampered = Array(value)
        tampered[tampered.count - 1] = tampered.last == "0" ? "1" : "0"
        #expect(!SessionCookie.isValid(String(tampered), token: "aa", now: now))
        // A later issue time with the old MAC: the time is part of what is signed.
        let parts = value.split(separator: ".")
        #expect(!SessionCookie.isValid("v1.\(Int(parts[1])! + 100).\(parts[2])", token: "aa", now: now))
        for junk in ["", "v1", "v1.x.y", "v2.1.00", "v1.1.zz"] { #expect(!SessionCookie.isValid(junk, token: "aa", now: now)) }
    }

    @Test func throttleLocksOutThenDoublesThenForgives() {
        let throttle = FailureThrottle(policy: .init(limit: 3, window: 60, penalty: 10, maxPenalty: 25))
        let t0 = Date(timeIntervalSince1970: 0)
        throttle.recordFailure("a", now: t0)
        throttle.recordFailure("a", now: t0)
        #expect(throttle.retryAfter("a", now: t0) == nil)
        throttle.recordFailure("a", now: t0)
        #expect(throttle.retryAfter("a", now: t0) == 10)
        #expect(throttle.retryAfter("b", now: t0) == nil, "another address is not affected")
        #expect(throttle.retryAfter("a", now: t0.addingTimeInterval(10)) == nil)
        throttle.recordFailure("a", now: t0.addingTimeInterval(11))
        #expect(throttle.retryAfter("a", now: t0.addingTimeInterval(11)) == 20)
        throttle.recordFailure("a", now: t0.addingTimeInterval(40))
        #expect(throttle.retryAfter("a", now: t0.addingTimeInterval(40)) == 25, "capped at maxPenalty")
        throttle.recordSuccess("a")
        #expect(throttle.retryAfter("a", now: t0.addingTimeInterval(40)) == nil)
        // Failures spread wider than the window never add up.
        for i in 0..<10 { throttle.recordFailure("c", now: t0.addingTimeInterval(Double(i) * 61)) }
        #expect(throttle.retryAfter("c", now: t0.addingTimeInterval(9 * 61)) == nil)
    }

    @Test func throttleMemoryIsBounded() {
        let throttle = FailureThrottle(policy: .init(limit: 5, window: 60, penalty: 10, maxTracked: 100))
        let t0 = Date(timeIntervalSince1970: 0)
        for i in 0..<10_000 { throttle.recordFailure("10.0.\(i / 256).\(i % 256)", now: t0) }
        #expect(throttle.trackedCount <= 100)
    }

    @Test func tokenFileFollowsReplacement() throws {
        let scratch = try ScratchToken()
        defer { scratch.remove() }
        let file = TokenFile(path: scratch.path)
        #expect(file.matches(testToken))
        #expect(!file.matches(testToken.uppercased()))
        let next = StatusToken.generate()
        try scratch.rotate(to: next)
        #expect(file.matches(next))
        #expect(!file.matches(testToken))
        try Data((next + "\n" + String(repeating: "0", count: 5000)).utf8).write(to: URL(fileURLWithPath: scratch.path))
        #expect(!file.matches(next), "a 5 KB file is not a token file")
        try FileManager.default.removeItem(atPath: scratch.path)
        #expect(!file.matches(next), "a vanished token file must fail closed")
    }

    @Test func siteTokenIsCreatedOnceWithMode0600() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)/nested").path
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let first = try SiteToken.ensure(siteDirectory: dir)
        #expect(first.created)
        #expect(first.token.count == 48)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let second = try SiteToken.ensure(siteDirectory: dir)
        #expect(!second.created)
        #expect(second.token == first.token)

        chmod(first.path, 0o644)
        let third = try SiteToken.ensure(siteDirectory: dir)
        #expect(third.tightenedMode)
        #expect(try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int == 0o600)

        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: first.path))
        #expect(throws: TokenFileError.self) { try SiteToken.ensure(siteDirectory: dir) }
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "garbage\n", "a file it cannot use is left alone")
    }

    @Test func secretManifestIsTheSecretTheDeploymentMounts() throws {
        let token = StatusToken.generate()
        let yaml = try #require(
            try Yams.load(yaml: SiteToken.secretManifest(token: token, namespace: "appliance-system", name: "appliance-status-auth")) as? [String: Any])
        #expect(yaml["apiVersion"] as? String == "v1")
        #expect(yaml["kind"] as? String == "Secret")
        let metadata = try #require(yaml["metadata"] as? [String: Any])
        #expect(metadata["name"] as? String == "appliance-status-auth")
        #expect(metadata["namespace"] as? String == "appliance-system")
        let data = try #require(yaml["data"] as? [String: Any])
        let encoded = try #require(data["token"] as? String)
        #expect(Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } == token)
    }
}
