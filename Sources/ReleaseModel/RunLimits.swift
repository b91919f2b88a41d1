import NIOCore

/// What a time limit given on the command line may be, for every command that takes one.
public enum RunLimits {
    /// A day: longer than any check or collection should take, and far inside what a deadline
    /// in nanoseconds can hold (a value like 1e16 seconds would overflow it).
    public static let maximumSeconds: Double = 86_400

    /// Why `value` cannot be a number of seconds for `name`, or nil when it can.
    public static func seconds(_ value: Double, name: String) -> String? {
        guard value.isFinite, value > 0, value <= maximumSeconds else {
            return "\(name) must be a number of seconds above 0 and at most \(Int(maximumSeconds)) (a day), not \(value)"
        }
        return nil
    }

    /// The deadline `seconds` from now; `seconds` passed `RunLimits.seconds`.
    public static func deadline(after seconds: Double) -> NIODeadline {
        .now() + .nanoseconds(Int64(min(max(seconds, 0), maximumSeconds) * 1e9))
    }
}
