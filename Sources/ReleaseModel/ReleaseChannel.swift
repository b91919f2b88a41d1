import JSONDocument

/// A release channel (`releases/channels/<name>.json`): a mutable pointer to a release.
public struct ReleaseChannel: Sendable, Equatable, Codable {
    public var name: String
    public var releaseVersion: String
    public var repoBranch: String?
    var updatedAt: String?
    public var file: String
}
