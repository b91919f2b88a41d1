import NIOCore

extension NIODeadline {
    /// The deadline `seconds` from now. A limit from the command line passed `RunLimits.seconds`
    /// (at most a day); any other value is clamped to [0, 10⁹ s], which a deadline in nanoseconds
    /// holds without overflow (a value like 1e16 seconds would trap).
    public static func after(seconds: Double) -> NIODeadline {
        .now() + .nanoseconds(Int64(min(max(seconds.isNaN ? 0 : seconds, 0), 1e9) * 1e9))
    }
}
