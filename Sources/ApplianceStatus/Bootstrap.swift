import ApplianceModel
import Foundation

/// The bootstrap Job: the newest by revision number (`-r10` is newer than `-r9`, which name order gets wrong).
enum Bootstrap {
    static func newestJob(_ snapshot: Snapshot, model: ApplianceModel) -> Job? {
        snapshot.jobs.filter { $0.metadata.name.hasPrefix(model.bootstrapJob) }.max { a, b in
            let (ra, rb) = (MessagePatterns.revision(ofJobNamed: a.metadata.name) ?? -1, MessagePatterns.revision(ofJobNamed: b.metadata.name) ?? -1)
            if ra != rb { return ra < rb }
            return (a.metadata.creationTimestamp ?? .distantPast) < (b.metadata.creationTimestamp ?? .distantPast)
        }
    }

    static func summary(_ snapshot: Snapshot, model: ApplianceModel) -> BootstrapSummary {
        let seeded = snapshot.probes?.seededUsersCount
        guard let job = newestJob(snapshot, model: model) else {
            // The chart's ttlSecondsAfterFinished (300 s) deletes a finished Job: a Ready release of
            // the bootstrap's HelmRelease then stands for "bootstrap done" (that one only, not every release).
            let coreReady = snapshot.helmReleases.first { $0.metadata.name == model.bootstrapHelmRelease }?.ready?.status == "True"
            return BootstrapSummary(job: nil, revision: nil, state: coreReady ? .gone : .notStarted, seededUsersCount: seeded)
        }
        let conditions = job.status?.conditions ?? []
        let state: BootstrapState
        if conditions["Failed"]?.status == "True" {
            state = .failed
        } else if conditions["Complete"]?.status == "True" || (job.status?.succeeded ?? 0) > 0 {
            state = .complete
        } else {
            state = .running
        }
        return BootstrapSummary(
            job: job.metadata.name, revision: MessagePatterns.revision(ofJobNamed: job.metadata.name), state: state, seededUsersCount: seeded)
    }
}
