import Foundation
import NIOConcurrencyHelpers

/// Slows down guessing: after `limit` wrong credentials from one address within `window`, that
/// address gets 429 for `penalty`, doubling with each further failure up to `maxPenalty`.
/// A right credential clears the address. Memory is bounded by `maxTracked` addresses.
public final class FailureThrottle: Sendable {
    public struct Policy: Sendable {
        public var limit: Int
        public var window: TimeInterval
        public var penalty: TimeInterval
        public var maxPenalty: TimeInterval
        public var maxTracked: Int

        public init(limit: Int = 5, window: TimeInterval = 60, penalty: TimeInterval = 30, maxPenalty: TimeInterval = 900, maxTracked: Int = 4096) {
            self.limit = limit
            self.window = window
            self.penalty = penalty
            self.maxPenalty = maxPenalty
            self.maxTracked = maxTracked
        }
    }

    struct Entry: Sendable {
        var failures: Int
        var windowStart: Date
        var lockedUntil: Date?
    }

    public let policy: Policy
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Seconds the address must wait before trying again, or nil when it may try now.
    public func retryAfter(_ address: String, now: Date = Date()) -> Int? {
        guard let until = entries.withLockedValue({ $0[address]?.lockedUntil }), until > now else { return nil }
        return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
    }

    public func recordFailure(_ address: String, now: Date = Date()) {
        entries.withLockedValue { entries in
            var entry = entries[address] ?? Entry(failures: 0, windowStart: now, lockedUntil: nil)
            let locked = entry.lockedUntil.map { $0 > now } ?? false
            if !locked, now.timeIntervalSince(entry.windowStart) > policy.window {
                entry = Entry(failures: 0, windowStart: now, lockedUntil: nil)
            }
            entry.failures += 1
            if entry.failures >= policy.limit {
                let doublings = Double(min(entry.failures - policy.limit, 16))
                entry.lockedUntil = now.addingTimeInterval(min(policy.penalty * pow(2, doublings), policy.maxPenalty))
            }
            entries[address] = entry
            if entries.count > policy.maxTracked { prune(&entries, now: now) }
        }
    }

    public func recordSuccess(_ address: String) {
        entries.withLockedValue { $0[address] = nil }
    }

    public var trackedCount: Int {
        entries.withLockedValue { $0.count }
    }

    /// Forget what no longer matters; if an address flood leaves too many, keep the most recent.
    private func prune(_ entries: inout [String: Entry], now: Date) {
        entries = entries.filter { _, e in (e.lockedUntil.map { $0 > now } ?? false) || now.timeIntervalSince(e.windowStart) <= policy.window }
        if entries.count > policy.maxTracked {
            let keep = entries.sorted { $0.value.windowStart > $1.value.windowStart }.prefix(policy.maxTracked / 2)
            entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
