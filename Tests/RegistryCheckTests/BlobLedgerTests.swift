import Testing

@testable import RegistryMirror

/// The mirror's decisions for one blob across the run's images: sent once, skipped by the same
/// repository, mounted from the repository that got it first, tried again after a failure.
@Suite struct BlobLedgerTests {
    static let digest = "sha256:" + String(repeating: "a", count: 64)

    /// Records what each copy was offered to mount from.
    actor Offers {
        var seen: [String?] = []
        func add(_ from: String?) { seen.append(from) }
    }

    @Test func sentOnceSkippedInItsRepositoryMountedElsewhere() async throws {
        let ledger = BlobLedger()
        let offers = Offers()
        let first = try await ledger.copy(digest: Self.digest, into: "nine-minds/a") { from throws(MirrorFailure) in
            await offers.add(from)
            return .sent(bytes: 10)
        }
        #expect(first == .sent(bytes: 10))
        let again = try await ledger.copy(digest: Self.digest, into: "nine-minds/a") { _ throws(MirrorFailure) in
            Issue.record("copied twice into one repository")
            return .sent(bytes: 10)
        }
        #expect(again == .skipped)
        let other = try await ledger.copy(digest: Self.digest, into: "nine-minds/b") { from throws(MirrorFailure) in
            await offers.add(from)
            return from == nil ? .sent(bytes: 10) : .mounted
        }
        #expect(other == .mounted)
        #expect(await offers.seen == [nil, "nine-minds/a"])
    }

    @Test func aFailedCopyIsTriedAgain() async throws {
        let ledger = BlobLedger()
        await #expect(throws: MirrorFailure.self) {
            _ = try await ledger.copy(digest: Self.digest, into: "nine-minds/a") { _ throws(MirrorFailure) in
                throw MirrorFailure(outcome: .unreachable, detail: "cut")
            }
        }
        let retried = try await ledger.copy(digest: Self.digest, into: "nine-minds/a") { from throws(MirrorFailure) in
            #expect(from == nil, "nothing holds it after a failure")
            return .sent(bytes: 10)
        }
        #expect(retried == .sent(bytes: 10))
    }
}
