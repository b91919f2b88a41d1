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
        public var sourceCredentials: CredentialStore
        /// `--mirror`: read a source registry from a stand-in.
        public var sourceMirrors: MirrorMap
        public var target: RegistryEndpoint
        public var targetCredentials: CredentialStore
        /// The one platform to copy out of each index; nil for all.
        public var platform: Platform?
        public var retry: RetryPolicy
        /// The whole run's `--timeout`, in seconds.
        public var timeout: Double
        public var concurrency: Int
        public var insecure: Bool

        public init(
            sourceCredentials: CredentialStore = CredentialStore(), sourceMirrors: MirrorMap = MirrorMap(), target: RegistryEndpoint,
            targetCredentials: CredentialStore = CredentialStore(), platform: Platform? = nil, retry: RetryPolicy = RetryPolicy(), timeout: Double,
            concurrency: Int, insecure: Bool = false
        ) {
            self.sourceCredentials = sourceCredentials
            self.sourceMirrors = sourceMirrors
            self.target = target
            self.targetCredentials = targetCredentials
            self.platform = platform
            self.retry = retry
            self.timeout = timeout
            self.concurrency = concurrency
            self.insecure = insecure
        }
    }

    /// Where a run is, for a progress line.
    public struct Progress: Sendable {
        public var bytesDone: Int
        public var bytesTotal: Int
        public var imagesDone: Int
        public var imagesTotal: Int
        public var seconds: Double
    }

    /// Copies every image (identical references once); results in the order of the unique references.
    public static func mirror(_ refs: [ImageReference], options: Options, progress: (@Sendable (Progress) -> Void)? = nil) async -> [MirroredImage] {
        var unique: [ImageReference] = []
        for ref in refs where !unique.contains(ref) { unique.append(ref) }
        let http = RegistryClient.makeHTTPClient(concurrency: options.concurrency)
        var logger = Logger(label: "alga-release.mirror")
        logger.logLevel = .warning
        let deadline = NIODeadline.after(seconds: options.timeout)
        let source = RegistryClient(
            http: http, credentials: options.sourceCredentials, retry: options.retry, deadline: deadline, logger: logger, insecure: options.insecure)
        let target = RegistryClient(
            http: http, credentials: options.targetCredentials, retry: options.retry, deadline: deadline, logger: logger, insecure: options.insecure)
        let meter = TransferMeter()
        let total = unique.count
        let ticker = progress.map { report in
            Task {
                while !Task.isCancelled {
                    let now = meter.snapshot
                    report(
                        Progress(
                            bytesDone: now.done, bytesTotal: now.total, imagesDone: now.images, imagesTotal: total,
                            seconds: Double((NIODeadline.now() - meter.started).nanoseconds) / 1e9))
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
        let results = await run(unique, options: options, source: source, target: target, http: http, deadline: deadline, meter: meter)
        ticker?.cancel()
        try? await http.shutdown()
        return results
    }

    /// An image's tally as the passes go.
    struct Tally: Sendable {
        var plan: ImagePlan?
        var failure: MirrorFailure?
        var bytesSent = 0
        var blobsSent = 0
        var blobsSkipped = 0
        var blobsMounted = 0
    }

    static func run(
        _ refs: [ImageReference], options: Options, source: RegistryClient, target: RegistryClient, http: HTTPClient, deadline: NIODeadline,
        meter: TransferMeter
    ) async -> [MirroredImage] {
        let manifests = ManifestCopier(platform: options.platform)
        let limit = options.concurrency
        // 1. Read and verify every manifest.
        var tallies = await BoundedConcurrency.map(refs, limit: limit) { ref -> Tally in
            let sourceSide = RegistrySide(
                client: source, endpoint: options.sourceMirrors.endpoint(for: ref.registry), repository: ref.repository, registry: ref.registry,
                push: false)
            let targetSide = RegistrySide(client: target, endpoint: options.target, repository: ref.repository, registry: options.target.host, push: true)
            do throws(MirrorFailure) { return Tally(plan: try await manifests.plan(ref, source: sourceSide, target: targetSide)) } catch {
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
        let copier = BlobCopier(http: http, deadline: deadline, retry: options.retry, meter: meter)
        let plans = tallies.map(\.plan)
        let jobs: [(image: Int, blob: RegistryLock.Blob)] = plans.enumerated().flatMap { index, plan in (plan?.blobs ?? []).map { (index, $0) } }
        let outcomes = await BoundedConcurrency.map(jobs, limit: limit) { (job: (image: Int, blob: RegistryLock.Blob)) -> Result<BlobOutcome, MirrorFailure> in
            let plan = plans[job.image]!
            defer { meter.blobDone(image: job.image) }
            do throws(MirrorFailure) {
                return .success(
                    try await ledger.copy(digest: job.blob.digest, into: plan.target.repository) { mountFrom throws(MirrorFailure) in
                        try await copier.copy(job.blob, from: plan.source, to: plan.target, mountFrom: mountFrom)
                    })
            } catch { return .failure(error) }
        }
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

        // 3. Manifests by digest, children first.
        let ready = tallies.map { $0.failure == nil ? $0.plan : nil }
        let pushed = await BoundedConcurrency.map(ready, limit: limit) { plan -> MirrorFailure? in
            guard let plan else { return nil }
            do throws(MirrorFailure) { try await manifests.push(plan) } catch { return error }
            return nil
        }
        for (index, failure) in pushed.enumerated() where failure != nil { tallies[index].failure = failure }

        // 4. Tags, all or none.
        let failed = tallies.filter { $0.failure != nil }.count
        var tagged = [Bool](repeating: false, count: tallies.count)
        if failed == 0 {
            let tagging = await BoundedConcurrency.map(tallies.map(\.plan), limit: limit) { plan -> MirrorFailure? in
                guard let plan else { return nil }
                do throws(MirrorFailure) { try await manifests.tag(plan) } catch { return error }
                return nil
            }
            for (index, failure) in tagging.enumerated() {
                if let failure { tallies[index].failure = failure } else { tagged[index] = true }
            }
        }
        return refs.indices.map { index in
            let (ref, tally) = (refs[index], tallies[index])
            let outcome: MirrorOutcome
            var detail = tally.failure?.detail ?? ""
            if let failure = tally.failure {
                outcome = failure.outcome
                detail += "; nothing of it is tagged at the target"
            } else if tagged[index] {
                outcome = .copied
            } else {
                outcome = .untagged
                detail =
                    "copied, not tagged: \(failed) other image\(failed == 1 ? "" : "s") failed, and tags come last, all or none, so the target never has a tag for half a release; fix them and run again (what is there is not sent again)"
            }
            let plan = tally.plan
            let targetDigest = plan?.tagged.map(\.digest).flatMap { $0 == plan?.digest ? nil : $0 }
            return MirroredImage(
                ref: ref, target: MirrorPaths.target(of: ref, at: options.target), outcome: outcome, digest: plan?.digest, targetDigest: targetDigest,
                platforms: plan?.platforms ?? [], bytesSent: tally.bytesSent, blobsSent: tally.blobsSent, blobsSkipped: tally.blobsSkipped,
                blobsMounted: tally.blobsMounted, detail: detail)
        }
    }
}
