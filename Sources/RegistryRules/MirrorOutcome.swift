/// How one image's copy ended. A copy that failed says why in the registry's terms, so the gate's
/// words apply: the source said missing or denied, or the bytes were wrong, or it could not be asked.
public enum MirrorOutcome: String, Sendable, Codable, Equatable {
    /// Every manifest and blob is at the target (sent, already there, or mounted), and tagged.
    case copied
    /// Copied, but not tagged: another image of the run failed, and tags come last, all or none.
    case untagged
    /// The source registry says the image (or one of its manifests or blobs) does not exist.
    case missing
    /// The source or the target refused the credentials used.
    case denied
    /// An index without the one platform asked for (`--platform`).
    case platformMissing = "platform_missing"
    /// Bytes that do not hash to their digest (or sizes that disagree): refused, nothing tagged.
    case corrupt
    /// A registry could not be asked (network, 5xx, rate limit, the run's timeout).
    case unreachable
    /// The target refused what was sent (a manifest it will not store, an unsupported type).
    case refused
}
