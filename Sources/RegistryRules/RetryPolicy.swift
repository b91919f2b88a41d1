import Foundation

/// How long and how often to try. One value so tests and the CLI set the same knobs.
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    public var initialDelay: Double
    public var maximumDelay: Double
    /// GHCR sends sub-millisecond retry-after values; waiting that little only burns the budget.
    public var minimumRetryAfter: Double
    public var requestTimeout: Double

    public init(maxAttempts: Int = 5, initialDelay: Double = 0.2, maximumDelay: Double = 10, minimumRetryAfter: Double = 0.2, requestTimeout: Double = 10) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.minimumRetryAfter = minimumRetryAfter
        self.requestTimeout = requestTimeout
    }

    public func backoff(attempt: Int) -> Double {
        let base = min(maximumDelay, initialDelay * pow(2, Double(attempt - 1)))
        return base * Double.random(in: 0.5...1.0)  // jitter: many checks must not retry in lockstep
    }
}
