import ReleaseModel

public enum Verdict: String, Sendable, Codable, Comparable {
    case pass, warn, indeterminate, fail

    public static func < (a: Verdict, b: Verdict) -> Bool {
        let order: [Verdict] = [.pass, .warn, .indeterminate, .fail]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}
