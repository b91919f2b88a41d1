/// Where the bootstrap Job is.
public enum BootstrapState: String, Encodable, Sendable, Equatable, CaseIterable {
    case complete, failed, running
    /// The Job's TTL deleted it and the bootstrap's HelmRelease is Ready: it ran.
    case gone
    case notStarted = "not_started"

    /// Done, as far as login is concerned.
    var isDone: Bool { self == .complete || self == .gone }
}
