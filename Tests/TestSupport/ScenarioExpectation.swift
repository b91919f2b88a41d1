import Foundation

/// What a recorded cluster of Tests/Fixtures/k8s must give (its `expected.json`), typed: a
/// fixture with a misspelt or missing field fails to load instead of comparing against nil.
public struct ScenarioExpectation: Decodable, Sendable {
    public struct Tiers: Decodable, Sendable {
        public var platform: Bool
        public var core: Bool
        public var bootstrap: Bool
        public var login: Bool
        public var background: Bool
    }

    public struct TopBlocker: Decodable, Sendable {
        public var component: String
        public var kind: String
        public var loginBlocking: Bool
        /// Compared exactly unless it holds `*` (a pod name's random suffix).
        public var evidence: String?
        public var nextAction: String
        public var image: String?
    }

    public struct Operation: Decodable, Sendable {
        public var operation: String
        public var image: String
        public var pods: [String]
        public var startedAt: String
        public var elapsedSeconds: Int
        public var progressAvailable: Bool
        public var estimatedSizeBytes: Int?
    }

    public struct Expected: Decodable, Sendable {
        public var tiers: Tiers
        public var rollup: String
        public var topBlocker: TopBlocker?
        public var activeOperations: [Operation]
    }

    public var scenario: String
    /// The collector's "now" when the cluster was recorded.
    public var observedAt: String
    public var expected: Expected

    /// The expectation of the scenario folder `name`.
    public static func load(_ name: String) throws -> ScenarioExpectation {
        try JSONDecoder().decode(Self.self, from: Data(contentsOf: k8sFixtures.appendingPathComponent("\(name)/expected.json")))
    }
}
