/// Why no new release could be written from the previous one.
public enum DraftError: Error, Sendable, Equatable, CustomStringConvertible {
    case noVersion
    case unknownImageKey(String, known: [String])

    public var description: String {
        switch self {
        case .noVersion: "the previous release has no releaseVersion"
        case .unknownImageKey(let key, let known): "--set \(key): the release has no image \(key) (its app.images keys: \(known.joined(separator: ", ")))"
        }
    }
}
