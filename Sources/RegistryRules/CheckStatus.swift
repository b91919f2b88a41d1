import ReleaseModel

/// What the registry said about one reference. Exactly one per reference, and `missing_*` only when
/// the registry itself said the manifest or repository is unknown.
public enum CheckStatus: String, Sendable, Codable, CaseIterable {
    case present
    case missingTag = "missing_tag"
    case missingRepository = "missing_repository"
    /// Not pullable with the credentials used (anonymous by default, as the appliance pulls).
    case denied
    case rateLimited = "rate_limited"
    case unreachable
    case platformMissing = "platform_missing"
    /// The registry has it, but it is another kind of artifact than the one named (an image where
    /// a Flux config bundle was pinned, a bundle where a chart was): the appliance would refuse it.
    case wrongKind = "wrong_kind"

    /// The image cannot be pulled by a node, as far as the registry told us.
    var isDefiniteFailure: Bool {
        switch self {
        case .missingTag, .missingRepository, .denied, .platformMissing, .wrongKind: true
        default: false
        }
    }

    /// The check could not be made.
    var isUnknown: Bool { self == .rateLimited || self == .unreachable }
}
