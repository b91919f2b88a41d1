import AsyncHTTPClient
import BoundedHTTP
import Logging
import NIOCore
import NIOHTTP1
import RegistryCheck
import RegistryRules
import ReleaseModel

/// The one door the CLI goes through to copy images to another registry, as `RegistryGate` is to
/// check them. In four passes: every image's manifests are read and verified (so the run knows
/// its bytes before sending any); every blob is copied, each once, at most `concurrency` at a
/// time; each image's manifests are pushed by digest, children first; and last the tags, only
/// when every image got this far, so the target never has a tag for half a release.
public enum RegistryMirrorRun {
    public struct Options: Sendable {
        public var source: SourceOptions
        public var target: RegistryEndpoint
        public var targetCredentials: CredentialStore

        public init(source: SourceOptions, target: RegistryEndpoint, targetCredentials: CredentialStore = CredentialStore()) {
            self.source = source
            self.target = target
            self.targetCredentials = targetCredentials
        }
    }

    /// Copies every image (identical references once); results in the order of the unique references.
    public static func mirror(_ refs: [ImageReference], options: Options, progress: (@Sendable (CopyProgress) -> Void)? = nil) async -> [MirroredImage] {
        await options.source.session(refs, progress: progress) { unique, http, deadline, meter in
            let source = options.source.client(http: http, deadline: deadline)
            let target = options.source.client(http: http, deadline: deadline, credentials: options.targetCredentials)
            return await run(unique, options: options, source: source, target: target, http: http, deadline: deadline, meter: meter)
        }
    }

    /// An image's tally as the passes go.
    struct Tally: Sendable {
        var plan: ImagePlan?
        var failure: MirrorFailure?
        var bytesSent = 0
        var blobsSent = 0
        var blobsSkipped = 0
        var blobsMounted = 0
        /// Everything of the image reached the target but its tag, which the target refused.
        var tagRefused = false
    }

    static func run(
        _ refs: [ImageReference], options: Options, source: RegistryClient, target: RegistryClient, http: HTTPClient, deadline: NIODeadline,
        meter: TransferMeter
    ) async -> [MirroredImage] {
        let manifests = ManifestCopier(platform: options.source.platform)
        let limit = options.source.concurrency
        let targets = refs.map { RegistrySide(client: target, endpoint: options.target, repository: $0.repository, registry: options.target.host, push: true) }
        // 1. Read and verify every manifest.
        var tallies = await BoundedConcurrency.map(refs, limit: limit) { ref -> Tally in
            do throws(MirrorFailure) { return Tally(plan: try await manifests.plan(ref, source: options.source.side(for: ref, client: source))) } catch {
                return Tally(failure: error)
            }
        }
        var planned: [String: Int] = [:]
        for tally in tallies { for blob in tally.plan?.blobs ?? [] { planned[blob.digest] = blob.size } }
        meter.plan(
            bytes: RegistryLock.Blob.total(planned.map { RegistryLock.Blob(digest: $0.key, size: $0.value) }),
            blobsPerImage: tallies.map { $0.plan?.blobs.count ?? 0 })

        // 2. Every blob, once.
        let ledger = BlobLedger()
        let copier = BlobCopier(http: http, deadline: deadline, retry: options.source.retry, meter: meter)
        let plans = tallies.map(\.plan)
        let jobs: [(image: Int, blob: RegistryLock.Blob)] = plans.enumerated().flatMap { index, plan in (plan?.blobs ?? []).map { (index, $0) } }
        let outcomes = await BoundedConcurrency.map(jobs, limit: limit) { (job: (image: Int, blob: RegistryLock.Blob)) -> Result<BlobOutcome, MirrorFailure> in
            let plan = plans[job.image]!
            defer { meter.blobDone(image: job.image) }
            do throws(MirrorFailure) {
                return .success(
                    try await ledger.copy(digest: job.blob.digest, into: targets[job.image].repository) { mountFrom throws(MirrorFailure) in
                        try await copier.copy(job.blob, from: plan.source, to: targets[job.image], mountFrom: mountFrom)
                    })
            } catch { return .failure(error) }
        }
        count(outcomes, of: jobs, into: &tallies)

        // 3. Manifests by digest, children first.
        let ready = tallies.map { $0.failure == nil ? $0.plan : nil }
        let pushed = await BoundedConcurrency.map(Array(ready.indices), limit: limit) { (index: Int) -> MirrorFailure? in
            guard let plan = ready[index] else { return nil }
            do throws(MirrorFailure) { try await manifests.push(plan, to: targets[index]) } catch { return error }
            return nil
        }
        for (index, failure) in pushed.enumerated() where failure != nil { tallies[index].failure = failure }

        // 4. Tags, all or none.
        let failed = tallies.filter { $0.failure != nil }.count
        var tagged = [Bool](repeating: false, count: tallies.count)
        if failed == 0 {
            let tagging = await BoundedConcurrency.map(Array(ready.indices), limit: limit) { (index: Int) -> MirrorFailure? in
                guard let plan = ready[index] else { return nil }
                do throws(MirrorFailure) { try await manifests.tag(plan, at: targets[index]) } catch { return error }
                return nil
            }
            for (index, failure) in tagging.enumerated() {
                if let failure {
                    tallies[index].failure = failure
                    tallies[index].tagRefused = true
                } else {
                    tagged[index] = true
                }
            }
        }
        return refs.indices.map { index in
            report(
                refs[index], tally: tallies[index], done: tagged[index], failed: failed, target: MirrorPaths.target(of: refs[index], at: options.target),
                waiting: "copied, not tagged")
        }
    }

    /// Each blob's outcome into its image's tally (the first failure is the image's).
    static func count(_ outcomes: [Result<BlobOutcome, MirrorFailure>], of jobs: [(image: Int, blob: RegistryLock.Blob)], into tallies: inout [Tally]) {
        for (job, outcome) in zip(jobs, outcomes) {
            switch outcome {
            case .success(.sent(let bytes)):
                tallies[job.image].blobsSent += 1
                tallies[job.image].bytesSent = tallies[job.image].bytesSent &+ bytes
            case .success(.skipped): tallies[job.image].blobsSkipped += 1
            case .success(.mounted): tallies[job.image].blobsMounted += 1
            case .failure(let failure): if tallies[job.image].failure == nil { tallies[job.image].failure = failure }
            }
        }
    }

    /// An image's line of the report. `done`: its tag (or the bundle's index entry) was written;
    /// else, without a failure of its own, it waits for the `failed` others (`waiting` says where it is).
    static func report(_ ref: ImageReference, tally: Tally, done: Bool, failed: Int, target: String, waiting: String) -> MirroredImage {
        let outcome: MirrorOutcome
        var detail = tally.failure?.detail ?? ""
        if let failure = tally.failure {
            outcome = failure.outcome
            detail += tally.tagRefused ? "; its manifests and blobs are at the target, its tag is not" : "; nothing of it is tagged at the target"
        } else if done {
            outcome = .copied
        } else {
            outcome = .untagged
            detail =
                "\(waiting): \(failed) other image\(failed == 1 ? "" : "s") failed, and tags come last, all or none, so the target never names half a release; fix them and run again (what is there is not sent again)"
        }
        let plan = tally.plan
        let targetDigest = plan?.tagged.map(\.digest).flatMap { $0 == plan?.digest ? nil : $0 }
        return MirroredImage(
            ref: ref, target: target, outcome: outcome, digest: plan?.digest, targetDigest: targetDigest, platforms: plan?.platforms ?? [],
            bytesSent: tally.bytesSent, blobsSent: tally.blobsSent, blobsSkipped: tally.blobsSkipped, blobsMounted: tally.blobsMounted, detail: detail)
    }
}
