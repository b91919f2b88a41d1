import ApplianceModel
import JSONDocument

/// One image of `releases/appliance.json`, independent of any release. Its tier and whether it
/// blocks login are its components': the earliest tier among them, and blocking when any blocks.
public struct InventoryEntry: Sendable, Equatable {
    public var key: String
    public var repository: ImageReference
    public var source: TagSource
    public var tier: ComponentTier
    public var loginBlocking: Bool
    public var uses: [ImageUse]
    /// Every component that runs it is installed by the bootstrap before Flux, so it is not part
    /// of the rendered tree.
    public var preFlux: Bool
    /// Where the entry is in the model file, for diagnostics.
    public var pointer: JSONPointer
    public var location: SourceLocation

    public var components: [String] { uses.map(\.component) }
}
