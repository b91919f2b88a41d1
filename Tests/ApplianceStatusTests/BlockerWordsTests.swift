import ApplianceStatus
import TestSupport
import Testing

/// The words each blocker cause carries (BlockerCause): every slot they name exists, a filled value
/// is never filled again, and no blocker the rules raise keeps an unfilled slot.
@Suite struct BlockerWordsTests {
    @Test(arguments: BlockerCause.allCases)
    func everySlotIsOneTheDetectorsCanFill(cause: BlockerCause) {
        for template in [cause.reason, cause.nextAction] {
            #expect(!template.isEmpty)
            // Every `{…}` in the words is a BlockerSlot: a misspelt slot would be printed as written.
            for piece in template.split(separator: "{").dropFirst() {
                let name = piece.prefix { $0 != "}" }
                #expect(BlockerSlot(rawValue: String(name)) != nil, "\(cause): {\(name)} is no BlockerSlot")
            }
        }
    }

    @Test func filledValuesAreNotReadAgain() {
        let filled = BlockerCause.fill("{image} on {pod}", with: [.image: "{pod}", .pod: "web-0"])
        #expect(filled == "{pod} on web-0")
        #expect(BlockerCause.fill("keep {unknown} and {", with: [.pod: "x"]) == "keep {unknown} and {")
        #expect(BlockerCause.fill(BlockerCause.tagMissing.reason, with: [.image: "ghcr.io/a/b:1"]) == "Image tag not found: ghcr.io/a/b:1")
    }

    @Test(arguments: scenarios)
    func noBlockerOfARecordedClusterKeepsASlot(scenario: String) throws {
        let (document, _) = try evaluate(scenario)
        for blocker in document.topBlockers {
            for slot in BlockerSlot.allCases {
                #expect(!blocker.reason.contains("{\(slot.rawValue)}") && !blocker.nextAction.contains("{\(slot.rawValue)}"), "\(blocker)")
            }
        }
    }
}
