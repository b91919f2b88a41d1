import ApplianceStatus
import Foundation
import TestSupport
import Testing

/// The hand-written matchers find what the regular expressions they replaced find, and the facts
/// the detectors need from the messages clusters really write.
@Suite struct MessagePatternsTests {
    static let seeds: [String] = {
        let folder = packageRoot.appendingPathComponent("Tests/Fixtures/fuzz/messages")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }()

    @Test func theSeedsAreThere() { #expect(Self.seeds.count >= 20) }

    @Test(arguments: seeds) func agreesOnEachSeed(_ text: String) {
        #expect(MessageRegexes.disagreements(text).isEmpty, "\(MessageRegexes.disagreements(text))")
    }

    /// `texts` texts of 1 to `upTo` pieces drawn at random (the same ones each run), each where the
    /// matchers and the expressions disagree on it, described.
    static func disagreements(stitching pieces: [String], texts: Int, upTo: UInt64, seed: UInt64) -> [String] {
        var generator = SplitMix(seed: seed)
        var failures: [String] = []
        for _ in 0..<texts {
            let count = Int(generator.next() % upTo) + 1
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let found = MessageRegexes.disagreements(text)
            if !found.isEmpty { failures.append("\(text.debugDescription): \(found)") }
        }
        return failures
    }

    /// Texts stitched from the phrases' pieces (and the characters that end or break them: quotes,
    /// newlines, a combining accent, digits beyond ASCII), so that near misses are common.
    @Test func agreesOnStitchedTexts() {
        let pieces = [
            "Failed to pull image ", "image ", "\"", "\"\"", "registry.local/x:1", "failed to create subPath directory for volumeMount ",
            " of container ", "lookup", " ", "\t", "\n", "\r\n", "on", "1.2.3.4", "[fd00::53]", ":53:", ":53", "5", "no such host",
            "i/o timeout", "server misbehaving", "connection refused", "cannot unmarshal !!str ", "`", "tcp://", "-r", "7", "12", "٣",
            "\u{301}", "é", "a-b.c", "_", "x",
        ]
        let failures = Self.disagreements(stitching: pieces, texts: 20_000, upTo: 9, seed: 20_261_203)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// Longer texts of the lookup's pieces only, so that one text holds several lookups, several
    /// lines and resolvers with several `:53:`s: the cases where the known-error search is reused
    /// (`KnownErrorScan`), backward along one line, forward to the next, and across lookups.
    @Test func agreesOnStitchedLookups() {
        let pieces = [
            "lookup ", "lookup\t", "a.b ", "on ", "1.2", ":53:", ":53", "53", "[", "]", "c", " ", "\n", "\r\n", "no such host", "i/o timeout",
            "connection refused", "onnection refused", "x", "\u{301}",
        ]
        let failures = Self.disagreements(stitching: pieces, texts: 5_000, upTo: 24, seed: 20_261_204)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// A hostile message costs time linear in its length: a resolver of 50,000 `:53:`s, and 20,000
    /// lookups on one line, each with no known error after it (the search per try took more than
    /// 15 minutes on these before it was made once per line). The bound only catches a hang.
    @Test(
        arguments: [
            ("lookup a on " + String(repeating: ":53:", count: 50_000) + "x", nil),
            (String(repeating: "lookup a on 1:53:x ", count: 20_000), nil),
            ("lookup a on " + String(repeating: ":53:", count: 50_000) + " no such host", 4 * 49_999),
        ] as [(String, Int?)])
    func aHostileLookupIsLinear(text: String, resolverLength: Int?) {
        let started = ContinuousClock.now
        let found = MessagePatterns.lookupFailure(in: text)
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(found.map(\.resolver.count) == resolverLength)
        #expect(found.map { String($0.host) } == resolverLength.map { _ in "a" })
    }

    @Test func readsTheFactsOfRealMessages() {
        let dns =
            "Failed to pull image \"ghcr.io/nine-minds/alga-psa-ee:61e4a00e\": failed to resolve reference: dial tcp: lookup ghcr.io on [fd00::53]:53: server misbehaving"
        #expect(MessagePatterns.lookupFailure(in: dns).map { "\($0.host) \($0.resolver)" } == "ghcr.io [fd00::53]")
        #expect(MessagePatterns.failedPullImage(in: dns) == "ghcr.io/nine-minds/alga-psa-ee:61e4a00e")
        #expect(MessagePatterns.lookupFailure(in: "lookup ghcr.io on 127.0.0.53:53: some other error") == nil)
        let subPath = "failed to create subPath directory for volumeMount \"db-data\" of container \"postgres\""
        #expect(MessagePatterns.subPathFailure(in: subPath).map { "\($0.volume) \($0.container)" } == "db-data postgres")
        #expect(MessagePatterns.pullingImage(in: "Pulling image \"temporalio/server:1.24\"") == "temporalio/server:1.24")
        #expect(MessagePatterns.serviceLink(in: "json: cannot unmarshal !!str `tcp://[fd00::7]:7233` into int") != nil)
        #expect(MessagePatterns.revision(ofJobNamed: "alga-core-bootstrap-r10") == 10)
        #expect(MessagePatterns.revision(ofJobNamed: "alga-core-bootstrap") == nil)
    }
}
