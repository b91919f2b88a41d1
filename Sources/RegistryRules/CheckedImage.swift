import ReleaseModel

/// A checked image: the inventory facts and the registry's answer.
public struct CheckedImage: Sendable, Equatable {
    public var image: ResolvedImage
    public var result: CheckResult
    /// Where the check was sent when a mirror stood in for the image's registry.
    public var checkedAt: String?

    public init(image: ResolvedImage, result: CheckResult, checkedAt: String? = nil) {
        self.image = image
        self.result = result
        self.checkedAt = checkedAt
    }
}
