/// What one observation may cost, whatever the API or the snapshot folder holds. The defaults hold
/// an appliance hundreds of times over (it has about 30 pods); past them the source is misbehaving,
/// and the observation fails naming the bound that was hit instead of reading forever.
public struct ObservationLimits: Sendable {
    /// Items asked for per page (`limit=`).
    public var pageSize = 500
    /// Pages per list; a server that always answers `metadata.continue` stops here.
    public var maxPages = 100
    /// Items per list, all pages together.
    public var maxItems = 20_000
    /// Bytes of one answer, or of one snapshot file.
    public var maxBodyBytes = 64 << 20
    /// Bytes of one whole observation, every list (or file) together.
    public var maxTotalBytes = 256 << 20
    /// Seconds for one request, head and body (within the observation's own deadline).
    var requestSeconds: Double = 20

    public init(
        pageSize: Int = 500, maxPages: Int = 100, maxItems: Int = 20_000, maxBodyBytes: Int = 64 << 20, maxTotalBytes: Int = 256 << 20,
        requestSeconds: Double = 20
    ) {
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.maxItems = maxItems
        self.maxBodyBytes = maxBodyBytes
        self.maxTotalBytes = maxTotalBytes
        self.requestSeconds = requestSeconds
    }
}
