import NIOConcurrencyHelpers
import Testing

@testable import StatusServer

/// The connection cap, and when the heap a burst of connections freed goes back to the system.
@Suite struct ConnectionLimitTests {
    /// A limit whose release counts instead of trimming.
    final class Recorder: Sendable {
        let releases = NIOLockedValueBox(0)
        func limit(_ maxConnections: Int = 256) -> ConnectionLimit {
            ConnectionLimit(maxConnections: maxConnections) { self.releases.withLockedValue { $0 += 1 } }
        }
        var count: Int { releases.withLockedValue { $0 } }
    }

    @Test func aBurstIsReleasedOnceWhenItIsOver() {
        let recorder = Recorder()
        var limit = recorder.limit()
        for _ in 0..<200 { limit.connectionOpened() }
        #expect(limit.peak == 200)
        for _ in 0..<197 { limit.connectionClosed() }
        #expect(recorder.count == 0)  // three still open: not over
        limit.connectionClosed()
        #expect(recorder.count == 1 && limit.open == 2 && limit.peak == 2)
        limit.connectionClosed()
        limit.connectionClosed()
        #expect(recorder.count == 1)  // once per burst
        for _ in 0..<16 { limit.connectionOpened() }
        for _ in 0..<16 { limit.connectionClosed() }
        #expect(recorder.count == 2)  // the next burst, again once
    }

    /// A page refreshing on its connections, a monitor's pings: thousands of connections, never
    /// more than a few at once, and never a trim.
    @Test(arguments: [1, 2, ConnectionLimit.burst - 1])
    func steadyTrafficIsNeverABurst(atOnce: Int) {
        let recorder = Recorder()
        var limit = recorder.limit()
        for _ in 0..<1_000 {
            for _ in 0..<atOnce { limit.connectionOpened() }
            for _ in 0..<atOnce { limit.connectionClosed() }
        }
        #expect(recorder.count == 0 && limit.open == 0)
    }

    @Test func theCapCountsOpenConnections() {
        var limit = Recorder().limit(3)
        for _ in 0..<3 { limit.connectionOpened() }
        #expect(!limit.isAcceptingNewConnections())
        limit.connectionClosed()
        #expect(limit.isAcceptingNewConnections())
        // A close without its open never takes the count below zero.
        for _ in 0..<5 { limit.connectionClosed() }
        #expect(limit.open == 0 && limit.isAcceptingNewConnections())
    }

    /// The server's release finds glibc's malloc_trim (looked up by name: a typo would be silent).
    @Test func glibcsTrimIsFound() throws {
        #if canImport(Glibc)
        let trim = try #require(ConnectionLimit.mallocTrim)
        let result = trim(0)
        #expect(result == 0 || result == 1)
        #endif
    }
}
