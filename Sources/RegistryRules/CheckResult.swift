import ReleaseModel

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
    /// Those blobs (config first, then the layers) by digest: what an upgrade need not download
    /// again when the node has them (`diff`'s download).
    public var blobs: [RegistryLock.Blob]?
    /// What a person needs to act: the registry's own words, and what could not be checked.
    public var detail: String
    /// How the registry was asked: `anonymous`, `basic`, `bearer (anonymous token)`, ...
    public var auth: String
    /// For `unreachable`: the network-level cause, when the network itself failed.
    public var transport: TransportFailure?
    /// For an artifact that is no container image: its config's media type (what kind it is).
    public var configMediaType: String?

    public init(
        status: CheckStatus, digest: String? = nil, mediaType: String? = nil, platforms: [String] = [], compressedSize: Int? = nil,
        blobs: [RegistryLock.Blob]? = nil, detail: String, auth: String = "anonymous", transport: TransportFailure? = nil,
        configMediaType: String? = nil
    ) {
        self.transport = transport
        self.configMediaType = configMediaType
        self.status = status
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.compressedSize = compressedSize
        self.blobs = blobs
        self.detail = detail
        self.auth = auth
    }
}
