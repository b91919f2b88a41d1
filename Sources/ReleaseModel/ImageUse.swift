/// A component that runs an image, and the chart value paths (dotted, under the HelmRelease's
/// `spec.values`) that carry the image's repository and tag for it. A component installed by a
/// plain manifest, or by the bootstrap, has none.
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

    public init(component: String, values: [ValuePaths] = []) {
        self.component = component
        self.values = values
    }
}
