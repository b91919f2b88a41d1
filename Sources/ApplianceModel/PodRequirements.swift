/// What a component's pods need that its chart does not give them, as the model file declares it;
/// the manifest linter checks that the rendered tree sets it.
public struct PodRequirements: Sendable, Equatable {
    /// A container whose command must contain a text.
    public struct Command: Sendable, Equatable {
        public var container: String
        public var contains: String

        public init(container: String, contains: String) {
            self.container = container
            self.contains = contains
        }
    }

    /// The value `spec.template.spec.enableServiceLinks` must have, when one is required.
    public var enableServiceLinks: Bool?
    public var command: Command?
    /// Why, in the words a finding repeats.
    public var why: String

    public init(enableServiceLinks: Bool? = nil, command: Command? = nil, why: String = "") {
        self.enableServiceLinks = enableServiceLinks
        self.command = command
        self.why = why
    }
}
