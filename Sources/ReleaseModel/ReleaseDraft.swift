import Foundation
import JSONDocument

/// A new release written from the previous one (`alga-release new`): every field that names the
/// release says the new version, the tags are the previous release's unless set, `generatedAt` is
/// given. Pure: the previous manifest in, the new one and what changed out.
public enum ReleaseDraft {
    /// One field that differs from the previous release.
    public struct Change: Sendable, Equatable {
        public var pointer: String
        public var from: String
        public var to: String
    }

    /// The fields that name the release they belong to (what `lint.copied-field` checks): they get
    /// the new version where they named the previous one.
    static let namingFields: [[String]] = [["app", "version"], ["app", "releaseBranch"], ["os", "iso", "localPath"]]

    /// - Parameters:
    ///   - previous: the previous release's manifest as parsed.
    ///   - tags: `app.images` keys to retag; every key must be one the previous release has.
    public static func derive(
        from previous: JSONNode, version: String, generatedAt: String, tags: [String: String]
    ) throws(DraftError) -> (manifest: JSONNode, changes: [Change]) {
        guard let oldVersion = previous["releaseVersion"]?.stringValue else { throw .noVersion }
        let known = previous["app"]?["images"].map(Self.keys) ?? []
        if let unknown = tags.keys.sorted().first(where: { !known.contains($0) }) { throw .unknownImageKey(unknown, known: known) }
        // The previous release's own name, and what its app.version said (1.0-rc5.1 kept "1.0-rc5").
        let oldNames = Set([oldVersion, previous["app"]?["version"]?.stringValue].compactMap { $0 }).sorted { $0.count > $1.count }
        var node = previous
        var changes: [Change] = []
        func set(_ path: [String], _ value: String) {
            guard let old = node.node(at: JSONPointer(path))?.stringValue, old != value, let updated = node.setting(path, to: .string(value)) else {
                return
            }
            node = updated
            changes.append(Change(pointer: JSONPointer(path).description, from: old, to: value))
        }
        set(["releaseVersion"], version)
        set(["generatedAt"], generatedAt)
        for path in namingFields {
            guard let old = node.node(at: JSONPointer(path))?.stringValue else { continue }
            var renamed = old
            for name in oldNames where renamed.contains(name) {
                renamed = renamed.replacingOccurrences(of: name, with: version)
                break
            }
            if path == ["app", "version"] { renamed = version }
            set(path, renamed)
        }
        for (key, tag) in tags.sorted(by: { $0.key < $1.key }) { set(["app", "images", key], tag) }
        return (node, changes)
    }

    static func keys(_ node: JSONNode) -> [String] {
        if case .object(let members) = node.value { return members.map(\.key) }
        return []
    }
}
