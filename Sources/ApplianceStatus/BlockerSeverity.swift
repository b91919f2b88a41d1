/// How much a blocker matters: `critical` when it stops login, `background` otherwise.
public enum BlockerSeverity: String, Encodable, Sendable, Equatable, CaseIterable {
    case critical, background

    public init(loginBlocking: Bool) { self = loginBlocking ? .critical : .background }
}
