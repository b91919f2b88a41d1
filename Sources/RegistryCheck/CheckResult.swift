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

    /// The image cannot be pulled by a node, as far as the registry told us.
    public var isDefiniteFailure: Bool {
        switch self {
        case .missingTag, .missingRepository, .denied, .platformMissing: true
        default: false
        }
    }

    /// The check could not be made.
    public var isUnknown: Bool { self == .rateLimited || self == .unreachable }
}

/// The outcome for one reference.
public struct CheckResult: Sendable, Equatable {
    public var status: CheckStatus
    /// The digest of what the tag points at (the index digest for a multi-platform image).
    public var digest: String?
    public var mediaType: String?
    /// Platforms the image offers, `os/architecture[/variant]`, attestation entries excluded.
    public var platforms: [String]
    /// config + layers of the selected platform's manifest: what a cold node downloads.
    public var compressedSize: Int?
    /// What a person needs to act: the registry's own words, and what could not be checked.
    public var detail: String
    /// How the registry was asked: `anonymous`, `basic`, `bearer (anonymous token)`, ...
    public var auth: String
    /// For `unreachable`: the network-level cause, when the network itself failed.
    public var transport: TransportFailure?

    public init(
        status: CheckStatus, digest: String? = nil, mediaType: String? = nil, platforms: [String] = [], compressedSize: Int? = nil,
        detail: String, auth: String = "anonymous", transport: TransportFailure? = nil
    ) {
        self.transport = transport
        self.status = status
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.compressedSize = compressedSize
        self.detail = detail
        self.auth = auth
    }
}

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
