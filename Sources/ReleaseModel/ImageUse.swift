/// A component that runs an image, and how the image reaches it: the chart value paths (dotted,
/// in the values the HelmRelease gives its chart) that carry the repository and tag, or the
/// literal image name the chart writes, which the HelmRelease's postRenderers pin. A component
/// installed by a plain manifest, or by the bootstrap, has neither.
public struct ImageUse: Sendable, Equatable {
    public struct ValuePaths: Sendable, Equatable {
        public var repository: String
        public var tag: String

        public init(repository: String, tag: String) {
            self.repository = repository
            self.tag = tag
        }
    }

    public var component: String
    public var values: [ValuePaths]
    /// The image as the chart writes it (`busybox`), when no value reaches it.
    public var literal: String?

    public init(component: String, values: [ValuePaths] = [], literal: String? = nil) {
        self.component = component
        self.values = values
        self.literal = literal
    }
}
