/// The tier a component belongs to. Login needs every `core` and `login` component (and the
/// bootstrap, a rule over its Job); `background` never blocks login.
public enum ComponentTier: String, Encodable, Sendable, Equatable, CaseIterable {
    case core, login, background
}
