import RegistryRules
import ReleaseModel

/// The blobs of one run at the target: a blob two images share is sent once; the second image
/// waits for the first copy and counts it as there, or, in another repository, mounts it.
actor BlobLedger {
    private var copies: [String: Task<BlobOutcome, any Error>] = [:]
    /// A target repository known to hold each digest (what a mount names as `from`).
    private var holders: [String: String] = [:]
    /// The copy in flight per digest, whatever its repository: a mount must wait for it.
    private var inFlight: [String: (repository: String, task: Task<BlobOutcome, any Error>)] = [:]

    /// Copies `digest` into `repository` once: `work` gets the repository to mount from, if any.
    func copy(
        digest: String, into repository: String, _ work: @escaping @Sendable (_ mountFrom: String?) async throws(MirrorFailure) -> BlobOutcome
    ) async throws(MirrorFailure) -> BlobOutcome {
        let key = repository + "@" + digest
        if let running = copies[key] {
            _ = try await Self.value(of: running)
            return .skipped
        }
        var from = holders[digest].flatMap { $0 == repository ? nil : $0 }
        if let other = inFlight[digest], other.repository != repository, (try? await other.task.value) != nil {
            // Its repository has it now (whether this call or the copier's own resumes first).
            from = other.repository
        }
        if let running = copies[key] {
            _ = try await Self.value(of: running)
            return .skipped
        }
        let task = Task<BlobOutcome, any Error> { try await work(from) }
        copies[key] = task
        inFlight[digest] = (repository, task)
        defer { if inFlight[digest]?.task == task { inFlight[digest] = nil } }
        do {
            let outcome = try await Self.value(of: task)
            if holders[digest] == nil { holders[digest] = repository }
            return outcome
        } catch {
            // A failed copy may be tried again by another image (a new connection, a new upload).
            copies[key] = nil
            throw error
        }
    }

    private static func value(of task: Task<BlobOutcome, any Error>) async throws(MirrorFailure) -> BlobOutcome {
        do { return try await task.value } catch let failure as MirrorFailure { throw failure } catch {
            throw MirrorFailure(outcome: .unreachable, detail: "\(error)")
        }
    }
}
