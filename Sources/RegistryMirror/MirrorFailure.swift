import RegistryRules

/// Why a manifest or blob was not copied: the outcome the image gets, and the registry's words.
struct MirrorFailure: Error, Sendable {
    var outcome: MirrorOutcome
    var detail: String
}
