/// How many findings of one kind a report lists: hostile input can break one rule a million times
/// (4 MiB of duplicate keys), and a report of every instance costs gigabytes to build and print
/// while saying nothing the first hundred did not. Past the limits, findings are counted, not kept.
public struct DiagnosticLimit: Sendable, Equatable {
    /// Findings kept per rule (schema keyword, lint rule).
    var perRule: Int
    /// Findings kept in all.
    public var total: Int

    public init(perRule: Int = 100, total: Int = 1000) {
        self.perRule = perRule
        self.total = total
    }

    public static let `default` = DiagnosticLimit()

    /// Counts per rule, and whether one more finding of `rule` may be kept.
    public struct Counter: Sendable {
        public let limit: DiagnosticLimit
        public private(set) var kept: [String: Int] = [:]
        public private(set) var keptTotal = 0
        /// Findings dropped, per rule, in the order rules were first dropped.
        public private(set) var omitted: [(rule: String, count: Int)] = []

        public init(_ limit: DiagnosticLimit) { self.limit = limit }

        /// Records one finding of `rule`; true when it is to be kept.
        mutating func admit(_ rule: String) -> Bool {
            if kept[rule, default: 0] < limit.perRule, keptTotal < limit.total {
                kept[rule, default: 0] += 1
                keptTotal += 1
                return true
            }
            if let i = omitted.firstIndex(where: { $0.rule == rule }) {
                omitted[i].count += 1
            } else {
                omitted.append((rule, 1))
            }
            return false
        }
    }
}
