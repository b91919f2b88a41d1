/// What `bundle --verify` found: every blob re-hashed, every reference of `index.json` followed.
public struct BundleVerification: Sendable {
    public var blobs = 0
    public var bytes = 0
    /// Entries of `index.json` whose every manifest and blob is there, whole.
    public var images = 0
    /// Each thing wrong, naming the file and why; empty when the bundle is whole.
    public var problems: [String] = []
    /// Temporary files of an interrupted run (ignored by readers, removed by the next run's success).
    public var leftovers = 0
}
