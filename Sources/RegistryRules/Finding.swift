import ReleaseModel

/// The verdict for one image under a policy, with what to do about it.
public struct Finding: Sendable, Equatable {
    public var verdict: Verdict
    public var nextAction: String?
}
