/// What a time limit given on the command line may be, for every command that takes one.
public enum RunLimits {
    /// A day: longer than any check or collection should take.
    public static let maximumSeconds: Double = 86_400

    /// Why `value` cannot be a number of seconds for `name`, or nil when it can.
    public static func seconds(_ value: Double, name: String) -> String? {
        guard value.isFinite, value > 0, value <= maximumSeconds else {
            return "\(name) must be a number of seconds above 0 and at most \(Int(maximumSeconds)) (a day), not \(value)"
        }
        return nil
    }
}
