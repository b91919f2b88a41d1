import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead
import TestSupport
import Testing

/// Scenarios built from the healthy cluster by breaking one thing: each blocker kind, each
/// precedence rule, each in-progress state that must not be a blocker.
struct Cluster {
    var snapshot: Snapshot
    let now: Date

    init() throws {
        snapshot = try SnapshotFolder.read(k8sFixtures.appendingPathComponent("healthy-full").path)
        now = snapshot.probes!.observedAt!
    }

    /// The status of the cluster as it is now; every blocker's words checked for a slot no fact
    /// filled (each rule test below raises a cause, so together they check every cause's words).
    var status: StatusDocument {
        let document = ApplianceStatusRules.status(snapshot, now: now, model: .standard)
        for blocker in document.topBlockers {
            let unfilled = BlockerSlot.allCases.filter { blocker.reason.contains("{\($0.rawValue)}") || blocker.nextAction.contains("{\($0.rawValue)}") }
            #expect(unfilled.isEmpty, "\(blocker.kind) says \(unfilled) unfilled: \(blocker.reason) / \(blocker.nextAction)")
        }
        return document
    }

    func iso(_ secondsAgo: Double) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: now.addingTimeInterval(-secondsAgo))
    }

    mutating func event(
        pod: String, container: String, kind: String = "containers", reason: String, message: String, secondsAgo: Double = 60, type: String = "Warning"
    ) throws {
        let json = """
            {"metadata":{"name":"\(pod).\(UUID().uuidString.prefix(8))","namespace":"msp","creationTimestamp":"\(iso(secondsAgo))"},
             "involvedObject":{"kind":"Pod","name":"\(pod)","namespace":"msp","fieldPath":"spec.\(kind){\(container)}"},
             "reason":"\(reason)","message":\(String(data: try JSONSerialization.data(withJSONObject: [message]), encoding: .utf8)!.dropFirst().dropLast()),
             "type":"\(type)","count":3,"lastTimestamp":"\(iso(secondsAgo))"}
            """
        snapshot.events.append(try SnapshotDecoding.decoder().decode(Event.self, from: Data(json.utf8)))
    }

    func containerName(_ component: String) -> String {
        snapshot.pods.first { PodOwnership.component(of: $0, in: .standard) == component }!.status!.containerStatuses![0].name
    }

    func podName(_ component: String) -> String {
        snapshot.pods.first { PodOwnership.component(of: $0, in: .standard) == component }!.metadata.name
    }

    /// Sets the state of the first container of `component`'s pod and marks its workload unready.
    mutating func break_(_ component: String, waiting reason: String, message: String? = nil, lastTerminated: ContainerState.Terminated? = nil) {
        let index = snapshot.pods.firstIndex { PodOwnership.component(of: $0, in: .standard) == component }!
        var status = snapshot.pods[index].status!.containerStatuses![0]
        status.state = ContainerState(waiting: .init(reason: reason, message: message), running: nil, terminated: nil)
        status.ready = false
        status.imageID = reason.contains("Image") ? "" : status.imageID
        if let lastTerminated { status.lastState = ContainerState(waiting: nil, running: nil, terminated: lastTerminated) }
        snapshot.pods[index].status!.containerStatuses![0] = status
        let spec = ApplianceModel.standard.named(component)!
        if spec.kind == .deployment {
            let w = snapshot.deployments.firstIndex { $0.metadata.name == spec.resource }!
            snapshot.deployments[w].status!.readyReplicas = 0
        } else {
            let w = snapshot.statefulSets.firstIndex { $0.metadata.name == spec.resource }!
            snapshot.statefulSets[w].status!.readyReplicas = 0
        }
    }
}

@Suite struct RuleTests {
    @Test func healthyIsFullyHealthyWithNoBlocker() throws {
        let status = try Cluster().status
        #expect(status.rollup.state == .fullyHealthy)
        #expect(status.topBlockers.isEmpty)
        #expect(status.urls.statusUrl == "http://192.168.64.8:8080")
    }

    /// The original defaulted unknown components to background: a redis image failure must block login.
    @Test func aCoreImageFailureBlocksLogin() throws {
        var c = try Cluster()
        c.break_("redis", waiting: "ImagePullBackOff", message: "Back-off pulling image \"docker.io/library/redis:7.4.9\"")
        try c.event(
            pod: c.podName("redis"), container: c.containerName("redis"), reason: "Failed",
            message:
                "Failed to pull image \"docker.io/library/redis:7.4.9\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/redis:7.4.9\": failed to resolve reference \"docker.io/library/redis:7.4.9\": docker.io/library/redis:7.4.9: not found"
        )
        let status = c.status
        let top = try #require(status.topBlockers.first)
        #expect(top.kind == .imageTagMissing && top.component == "redis" && top.loginBlocking)
        #expect(top.image == "docker.io/library/redis:7.4.9")
        #expect(status.rollup.state == .failedActionRequired)
        #expect(!status.tiers.core.ready && !status.tiers.login.ready)
    }

    /// Of two blockers of one kind, the one that blocks login comes first, whichever was found
    /// first (the pods in either order).
    @Test(arguments: [false, true])
    func ofOneKindTheLoginBlockerRanksFirst(reversed: Bool) throws {
        var c = try Cluster()
        if reversed { c.snapshot.pods.reverse() }
        for (component, image) in [("email-service", "ghcr.io/nine-minds/email-service:x"), ("redis", "docker.io/library/redis:7.4.9")] {
            c.break_(component, waiting: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\"")
            try c.event(
                pod: c.podName(component), container: c.containerName(component), reason: "Failed",
                message: "Failed to pull image \"\(image)\": rpc error: code = NotFound desc = failed to resolve reference \"\(image)\": \(image): not found")
        }
        let missing = c.status.topBlockers.filter { $0.kind == .imageTagMissing }
        #expect(missing.map(\.component) == ["redis", "email-service"], "\(missing.map(\.component))")
        #expect(missing.first?.loginBlocking == true && missing.last?.loginBlocking == false)
    }

    @Test func aPulledEventAfterTheFailureMakesItStale() throws {
        var c = try Cluster()
        c.break_("email-service", waiting: "ImagePullBackOff")
        try c.event(
            pod: c.podName("email-service"), container: c.containerName("email-service"), reason: "Failed",
            message: "Failed to pull image \"ghcr.io/nine-minds/email-service:x\": rpc error: code = NotFound desc = not found", secondsAgo: 600)
        try c.event(
            pod: c.podName("email-service"), container: c.containerName("email-service"), reason: "Pulled",
            message: "Successfully pulled image \"ghcr.io/nine-minds/email-service:x\"", secondsAgo: 30, type: "Normal")
        #expect(!c.status.topBlockers.contains { $0.kind == .imageTagMissing })
        #expect(c.status.topBlockers.first?.kind == .workloadNotReady)
    }

    @Test func dnsOutranksTheImageItBreaks() throws {
        var c = try Cluster()
        c.break_("workflow-worker", waiting: "ImagePullBackOff")
        try c.event(
            pod: c.podName("workflow-worker"), container: c.containerName("workflow-worker"), reason: "Failed",
            message:
                "Failed to pull image \"ghcr.io/nine-minds/workflow-worker:a\": failed to do request: Head \"https://ghcr.io/v2/nine-minds/workflow-worker/manifests/a\": dial tcp: lookup ghcr.io on 127.0.0.53:53: server misbehaving"
        )
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .dnsResolution && top.loginBlocking)
        #expect(top.reason.contains("ghcr.io") && top.reason.contains("127.0.0.53"))
        #expect(!c.status.topBlockers.contains { $0.kind == .imageTagMissing })
        // An application's probe that mentions a lookup is not the platform's resolver.
        var probe = try Cluster()
        try probe.event(
            pod: probe.podName("alga-core"), container: probe.containerName("alga-core"), reason: "Unhealthy",
            message: "Readiness probe failed: dial tcp: lookup db on 10.96.0.10:53: no such host")
        #expect(probe.status.topBlockers.isEmpty)
    }

    @Test func temporalSchemaFromThePreviousLog() throws {
        var c = try Cluster()
        c.break_("temporal", waiting: "CrashLoopBackOff", lastTerminated: .init(exitCode: 1, reason: "Error", message: nil, startedAt: nil, finishedAt: nil))
        c.snapshot.previousLogs["msp/\(c.podName("temporal"))/\(c.containerName("temporal"))"] =
            "2026-05-12T14:00:00Z ERROR sql schema version compatibility check failed: unable to read DB schema version\n"
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .temporalSchema && top.component == "temporal" && !top.loginBlocking)
        #expect(c.status.rollup.state == .readyWithBackgroundIssues)
    }

    @Test func serviceLinkCollisionFromTheTerminationMessage() throws {
        var c = try Cluster()
        c.break_(
            "temporal-ui", waiting: "CrashLoopBackOff",
            lastTerminated: .init(
                exitCode: 1, reason: "Error", message: "config file corrupted: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!str `tcp://1...` into int",
                startedAt: nil, finishedAt: nil))
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .serviceLinkCollision && top.component == "temporal-ui")
    }

    @Test func anyOtherCrashLoopIsACrashLoop() throws {
        var c = try Cluster()
        c.break_(
            "pgbouncer", waiting: "CrashLoopBackOff", lastTerminated: .init(exitCode: 137, reason: "OOMKilled", message: nil, startedAt: nil, finishedAt: nil))
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .crashLoop && top.component == "pgbouncer" && top.loginBlocking)
        #expect(top.evidence.contains("OOMKilled"))
        #expect(c.status.rollup.state == .failedActionRequired)
    }

    @Test func anInterruptedPullIsRetryableProgress() throws {
        var c = try Cluster()
        c.break_("alga-core", waiting: "ErrImagePull")
        try c.event(
            pod: c.podName("alga-core"), container: c.containerName("alga-core"), reason: "Failed",
            message:
                "Failed to pull image \"ghcr.io/nine-minds/alga-psa-ee:a2cbb430\": rpc error: code = Canceled desc = failed to pull and unpack image: context canceled"
        )
        let status = c.status
        #expect(status.topBlockers.first?.kind == .imagePullInterrupted)
        #expect(status.rollup.state == .installing)
    }

    @Test func aFailedNewestBootstrapJobByRevisionNotName() throws {
        var c = try Cluster()
        var failed = c.snapshot.jobs[0]
        failed.metadata.name = "alga-core-sebastian-bootstrap-r10"
        failed.status?.conditions = [
            Condition(
                type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: nil)
        ]
        var old = c.snapshot.jobs[0]
        old.metadata.name = "alga-core-sebastian-bootstrap-r9"
        c.snapshot.jobs = [failed, old]  // name order would pick r9 (complete)
        let status = c.status
        #expect(status.bootstrap.revision == 10 && status.bootstrap.state == .failed)
        #expect(status.topBlockers.first?.kind == .bootstrapJobFailed)
        #expect(!status.tiers.bootstrap.ready && !status.tiers.login.ready)
        #expect(status.rollup.state == .failedActionRequired)
    }

    /// The Job's 5-minute TTL deletes it: a Ready alga-core release stands for bootstrap done, not all releases.
    @Test func bootstrapSurvivesTheJobTTL() throws {
        var c = try Cluster()
        c.snapshot.jobs = []
        let workflow = c.snapshot.helmReleases.firstIndex { $0.metadata.name == "workflow-worker" }!
        c.snapshot.helmReleases[workflow].status?.conditions = [
            Condition(type: "Ready", status: "False", reason: "InstallFailed", message: "context deadline exceeded", lastTransitionTime: nil)
        ]
        let status = c.status
        #expect(status.tiers.bootstrap.ready)
        #expect(status.bootstrap.state == .gone)
        #expect(status.tiers.login.ready)
        let top = try #require(status.topBlockers.first)
        #expect(top.kind == .helmReleaseFailure && top.component == "workflow-worker" && !top.loginBlocking)
        c.snapshot.helmReleases[c.snapshot.helmReleases.firstIndex { $0.metadata.name == "alga-core" }!].status?.conditions = [
            Condition(type: "Ready", status: "False", reason: "InstallFailed", message: "x", lastTransitionTime: nil)
        ]
        #expect(!c.status.tiers.bootstrap.ready)
    }

    @Test func seededUsersAreRequired() throws {
        var c = try Cluster()
        c.snapshot.probes?.seededUsersCount = 0
        #expect(!c.status.tiers.bootstrap.ready)
    }

    @Test func fluxSourceFailure() throws {
        var c = try Cluster()
        c.snapshot.gitRepositories[0].status?.conditions = [
            Condition(
                type: "Ready", status: "False", reason: "GitOperationFailed",
                message: "failed to checkout and determine revision: unable to clone: authentication required", lastTransitionTime: nil)
        ]
        let status = c.status
        #expect(status.topBlockers.first?.kind == .fluxSourceFailure)
        #expect(!status.tiers.platform.ready)
    }

    @Test func inProgressFluxStatesAreNotBlockers() throws {
        var c = try Cluster()
        for i in c.snapshot.kustomizations.indices {
            c.snapshot.kustomizations[i].status?.conditions = [
                Condition(type: "Ready", status: "Unknown", reason: "Progressing", message: "Reconciliation in progress", lastTransitionTime: nil)
            ]
        }
        for i in c.snapshot.helmReleases.indices {
            c.snapshot.helmReleases[i].status?.conditions = [
                Condition(
                    type: "Ready", status: "False", reason: "DependencyNotReady", message: "dependency 'alga-system/alga-core' is not ready",
                    lastTransitionTime: nil)
            ]
        }
        #expect(c.status.topBlockers.isEmpty)
    }

    @Test func kubernetesUnavailable() throws {
        var c = try Cluster()
        c.snapshot.probes?.readyz = "[-]etcd failed: reason withheld\nreadyz check failed"
        let status = c.status
        #expect(status.topBlockers.first?.kind == .kubernetesUnavailable)
        #expect(!status.tiers.platform.ready)
    }

    @Test func postgresSubpathOutranksTheHelmTimeoutItCauses() throws {
        var c = try Cluster()
        c.break_("db", waiting: "CreateContainerConfigError", message: "failed to create subPath directory for volumeMount \"db-data\" of container \"db\"")
        let core = c.snapshot.helmReleases.firstIndex { $0.metadata.name == "alga-core" }!
        c.snapshot.helmReleases[core].status?.conditions = [
            Condition(type: "Ready", status: "False", reason: "InstallFailed", message: "context deadline exceeded", lastTransitionTime: nil)
        ]
        let status = c.status
        #expect(status.topBlockers.map(\.kind) == [.postgresPVCSubpath])
        #expect(status.topBlockers.first?.component == "db")
    }

    /// An unrelated Helm failure beside the subPath failure: the ranking, not the suppression,
    /// must put the subPath first (#17: the same-release case is suppressed before any ranking).
    @Test func postgresSubpathOutranksAnUnrelatedHelmFailure() throws {
        var c = try Cluster()
        c.break_("db", waiting: "CreateContainerConfigError", message: "failed to create subPath directory for volumeMount \"db-data\" of container \"db\"")
        let pgbouncer = c.snapshot.helmReleases.firstIndex { $0.metadata.name == "pgbouncer" }!
        c.snapshot.helmReleases[pgbouncer].status?.conditions = [
            Condition(type: "Ready", status: "False", reason: "InstallFailed", message: "install failed", lastTransitionTime: nil)
        ]
        let kinds = c.status.topBlockers.map(\.kind)
        #expect(kinds.first == .postgresPVCSubpath, "\(kinds)")
        #expect(kinds.contains(.helmReleaseFailure), "the unrelated failure must still be listed: \(kinds)")
    }

    /// A Pulling event is stale once the container has its image (a non-empty imageID); without the
    /// image the same event is a pull in progress (#17: every fixture had imageID "").
    @Test(arguments: [("", true), ("docker.io/library/redis@sha256:\(String(repeating: "1", count: 64))", false)])
    func aPullingEventIsActiveOnlyWithoutTheImage(imageID: String, active: Bool) throws {
        var c = try Cluster()
        let index = c.snapshot.pods.firstIndex { PodOwnership.component(of: $0, in: .standard) == "redis" }!
        var container = c.snapshot.pods[index].status!.containerStatuses![0]
        container.state = ContainerState(waiting: .init(reason: "ContainerCreating", message: nil), running: nil, terminated: nil)
        container.imageID = imageID
        c.snapshot.pods[index].status!.containerStatuses![0] = container
        try c.event(
            pod: c.podName("redis"), container: container.name, reason: "Pulling", message: "Pulling image \"docker.io/library/redis:7.4\"", secondsAgo: 20,
            type: "Normal")
        #expect(!c.status.activeOperations.isEmpty == active, "\(c.status.activeOperations)")
    }

    @Test func loginProbeDecidesLogin() throws {
        var c = try Cluster()
        c.snapshot.probes?.loginProbe?.reachable = false
        #expect(!c.status.tiers.login.ready)
        #expect(c.status.rollup.state == .installing)
        c.snapshot.probes = nil
        #expect(c.status.tiers.login.reason.contains("login probe not run"))
    }

    /// A claim the provisioner failed (the latest event ProvisioningFailed) blocks login, names the
    /// StorageClass the bootstrap provides and offers `kubectl describe pvc`; a claim that is only
    /// Pending (WaitForFirstConsumer) or was provisioned after a failure is no blocker.
    @Test(arguments: [("ProvisioningFailed", true), ("WaitForFirstConsumer", false), ("ProvisioningSucceeded", false)])
    func aVolumeClaimTheProvisionerFailedBlocksLogin(latest: String, blocks: Bool) throws {
        var c = try Cluster()
        let index = try #require(c.snapshot.persistentVolumeClaims.firstIndex { $0.metadata.name == "alga-core-sebastian-postgres-data" })
        c.snapshot.persistentVolumeClaims[index].status?.phase = "Pending"
        #expect(c.snapshot.persistentVolumeClaims[index].spec?.storageClassName == "local-path")
        for (reason, secondsAgo) in [("ProvisioningFailed", 300.0), (latest, 30.0)] {
            let json = """
                {"metadata":{"name":"pvc.\(UUID().uuidString.prefix(8))","namespace":"msp"},
                 "involvedObject":{"kind":"PersistentVolumeClaim","name":"alga-core-sebastian-postgres-data","namespace":"msp"},
                 "reason":"\(reason)","message":"failed to provision volume with StorageClass \\"local-path\\": no node","type":"Warning",
                 "lastTimestamp":"\(c.iso(secondsAgo))"}
                """
            c.snapshot.events.append(try SnapshotDecoding.decoder().decode(Event.self, from: Data(json.utf8)))
        }
        let blocker = c.status.topBlockers.first { $0.kind == .volumeProvisioningFailed }
        #expect((blocker != nil) == blocks)
        if let blocker {
            #expect(blocker.loginBlocking && blocker.component == "alga-core-sebastian-postgres-data")
            #expect(blocker.nextAction.contains("StorageClass local-path (the bootstrap (install-storage.sh) provides it)"), "\(blocker.nextAction)")
            #expect(blocker.commands.map(\.command) == ["kubectl describe pvc alga-core-sebastian-postgres-data -n msp"])
            // As on the appliance: the database's pod cannot start without its volume, and the
            // rollup cites the claim, not the workload it stops.
            c.break_("db", waiting: "ContainerCreating")
            #expect(c.status.rollup.state == .failedActionRequired && c.status.topBlockers.first?.kind == .volumeProvisioningFailed)
            #expect(c.status.rollup.message.contains("alga-core-sebastian-postgres-data"), "\(c.status.rollup.message)")
        }
    }
}

/// Acceptance scenarios of the original's tests (original-implementation.md §7) that apply here.
@Suite struct OriginalAcceptanceTests {
    @Test func t003_aDownDatabaseFailsLogin() throws {
        var c = try Cluster()
        c.break_("db", waiting: "CreateContainerError", message: "failed to reserve container name")
        let status = c.status
        #expect(!status.tiers.core.ready && !status.tiers.login.ready)
        #expect(status.rollup.state == .failedActionRequired)
        #expect(status.topBlockers.first?.component == "db" && status.topBlockers.first?.loginBlocking == true)
    }

    @Test func t007_aMissingAppTagBlocksLogin() throws {
        var c = try Cluster()
        c.break_("alga-core", waiting: "ImagePullBackOff")
        try c.event(
            pod: c.podName("alga-core"), container: c.containerName("alga-core"), reason: "Failed",
            message: "Failed to pull image \"ghcr.io/nine-minds/alga-psa-ee:deadbeef\": rpc error: code = NotFound desc = not found")
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .imageTagMissing && top.component == "alga-core" && top.loginBlocking)
        #expect(top.reason.contains("alga-psa-ee:deadbeef"))
    }

    /// An older "context canceled" and a newer "not found": the tag is missing, not interrupted.
    @Test func precedenceOfTheNewestPullFailure() throws {
        var c = try Cluster()
        c.break_("workflow-worker", waiting: "ImagePullBackOff")
        try c.event(
            pod: c.podName("workflow-worker"), container: c.containerName("workflow-worker"), reason: "Failed",
            message: "Failed to pull image \"ghcr.io/nine-minds/workflow-worker:61e4a00e\": rpc error: code = Canceled desc = context canceled", secondsAgo: 900
        )
        try c.event(
            pod: c.podName("workflow-worker"), container: c.containerName("workflow-worker"), reason: "Failed",
            message: "Failed to pull image \"ghcr.io/nine-minds/workflow-worker:61e4a00e\": rpc error: code = NotFound desc = not found", secondsAgo: 60)
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .imageTagMissing && top.component == "workflow-worker" && !top.loginBlocking)
        #expect(!c.status.topBlockers.contains { $0.kind == .imagePullInterrupted })
    }

    @Test func t011_t012_signaturesCarriedByEvents() throws {
        var c = try Cluster()
        c.break_("temporal", waiting: "CrashLoopBackOff")
        try c.event(
            pod: c.podName("temporal"), container: c.containerName("temporal"), reason: "BackOff",
            message: "sql schema version compatibility check failed: unable to read DB schema version")
        #expect(c.status.topBlockers.first?.kind == .temporalSchema)
        var ui = try Cluster()
        ui.break_("temporal-ui", waiting: "CrashLoopBackOff")
        try ui.event(
            pod: ui.podName("temporal-ui"), container: ui.containerName("temporal-ui"), reason: "BackOff",
            message: "cannot unmarshal !!str tcp://10.96.0.1:443 into int")
        let top = try #require(ui.status.topBlockers.first)
        #expect(top.kind == .serviceLinkCollision && top.component == "temporal-ui" && top.nextAction.contains("enableServiceLinks: false"))
    }

    /// All events are kept in the snapshot; the document shows the 20 newest, newest first.
    @Test func recentEventsWindow() throws {
        var c = try Cluster()
        c.snapshot.events = []
        for i in 0..<25 { try c.event(pod: "p", container: "c", reason: "Note", message: "event-\(i)", secondsAgo: Double(100 - i), type: "Normal") }
        let rows = c.status.recentEvents
        #expect(rows.count == 20)
        #expect(rows.first?.message == "event-24" && rows.last?.message == "event-5")
    }
}
