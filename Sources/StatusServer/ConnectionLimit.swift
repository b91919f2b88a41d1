import HummingbirdCore

#if canImport(Glibc)
import Glibc
#endif

/// The cap on open connections (`--max-connections`; further ones wait in the listen backlog), and
/// the moment a burst of them is over, when the server hands the heap they freed back to the system.
///
/// glibc keeps freed heap for reuse: after 200 connections closed, the server stayed at 9.8 MB of
/// anonymous memory, 6.0 MB once `malloc_trim` ran (measured with `scripts/bench-server`'s load).
/// The appliance's memory is the owner's, so when the open connections are back to the few a page
/// keeps (`settled`) after at least `burst` were open at once, the heap is trimmed, once per burst:
/// a page refreshing on its keep-alive connections, or a monitor's ping, never triggers it.
/// Hummingbird calls the delegate on the listening channel's event loop, one call at a time.
struct ConnectionLimit: AvailableConnectionsDelegate {
    /// Open connections at once that make a burst.
    static let burst = 16
    /// Open connections at most when a burst is over: the owner's page and a client.
    static let settled = 2

    let maxConnections: Int
    /// What runs when a burst is over (`returnFreedHeap` in the server; a counter in tests).
    let release: @Sendable () -> Void
    private(set) var open = 0
    /// The most connections open at once since the last release.
    private(set) var peak = 0

    init(maxConnections: Int, release: @escaping @Sendable () -> Void = ConnectionLimit.returnFreedHeap) {
        self.maxConnections = maxConnections
        self.release = release
    }

    mutating func connectionOpened() {
        open += 1
        peak = max(peak, open)
    }

    mutating func connectionClosed() {
        open = max(0, open - 1)
        if Self.burstIsOver(open: open, peak: peak) {
            peak = open
            release()
        }
    }

    func isAcceptingNewConnections() -> Bool { open < maxConnections }

    static func burstIsOver(open: Int, peak: Int) -> Bool { peak >= burst && open <= settled }

    /// glibc's `malloc_trim(0)`, a second later (a closed connection's task frees its memory after
    /// the channel's close, which is when the delegate hears of it: trimmed at once, 1 MB more stayed
    /// behind): returns the free memory at the top of each arena and the free pages inside them.
    /// Swift's Glibc module leaves out `malloc.h`, so the function is looked up once; where it does
    /// not exist (another C library), nothing happens.
    @Sendable static func returnFreedHeap() {
        guard let mallocTrim else { return }
        Task.detached(priority: .background) {
            try? await Task.sleep(for: .seconds(1))
            _ = mallocTrim(0)
        }
    }

    #if canImport(Glibc)
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
    #else
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = nil
    #endif
}
