import JSONDocument

/// A release manifest (`releases/<version>/release.json`) after it passed its schema. Only what the
/// tool uses is typed; the parsed document is kept for locations and for linting.
public struct ReleaseManifest: Sendable {
    public var releaseVersion: String
    var generatedAt: String
    public var appVersion: String
    public var releaseBranch: String
    public var valuesProfile: String
    /// `app.images`: logical key → tag, in file order.
    var imageTags: [(key: String, tag: String)]
    public var channel: String
    var isoLocalPath: String?
    var installerImage: String?

    public func tag(for key: String) -> String? { imageTags.first { $0.key == key }?.tag }

    /// Reads the typed fields from a document. The schema decides what is valid; this only refuses
    /// documents so broken that no field can be trusted (called after validation has been reported).
    public init(document root: JSONNode) {
        func string(_ path: String...) -> String? { root.node(at: JSONPointer(path))?.stringValue }
        releaseVersion = string("releaseVersion") ?? ""
        generatedAt = string("generatedAt") ?? ""
        appVersion = string("app", "version") ?? ""
        releaseBranch = string("app", "releaseBranch") ?? ""
        valuesProfile = string("app", "valuesProfile") ?? ""
        channel = string("channel") ?? ""
        isoLocalPath = string("os", "iso", "localPath")
        installerImage = string("os", "installer", "image")
        if case .object(let members) = root.node(at: JSONPointer(["app", "images"]))?.value {
            imageTags = members.compactMap { m in m.node.stringValue.map { (m.key, $0) } }
        } else {
            imageTags = []
        }
    }
}
