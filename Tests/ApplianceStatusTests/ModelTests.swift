import ApplianceModel
import ApplianceStatus
import Foundation
import JSONDocument
import KubernetesRead
import ReleaseModel
import TestSupport
import Testing

/// The status rules and the live reader derive from the appliance model: change the model (add a
/// component, move one to another tier, rename a namespace) and every one of them follows.
@Suite struct ModelTests {
    static func model(_ change: (inout ApplianceModel) -> Void) -> ApplianceModel {
        var model = ApplianceModel.standard
        change(&model)
        return model
    }

    /// A background component the cluster does not have yet: the background tier waits for it,
    /// login does not.
    @Test func aNewBackgroundComponentIsWaitedForWithoutBlockingLogin() throws {
        let c = try Cluster()
        let model = Self.model {
            $0.components.append(
                ComponentSpec(name: "search-indexer", kind: .deployment, resource: "search-indexer", tier: .background, helmRelease: "search", namespace: "msp")
            )
        }
        let status = ApplianceStatusRules.status(c.snapshot, now: c.now, model: model)
        #expect(status.components.map(\.name).last == "search-indexer")
        #expect(!status.tiers.background.ready && status.tiers.background.reason.contains("search-indexer not_installed"))
        #expect(status.tiers.login.ready)
        #expect(status.rollup.state == .readyWithBackgroundIssues)
        #expect(c.status.rollup.state == .fullyHealthy, "the standard model is unchanged")
    }

    /// The same broken redis blocks login in the core tier and does not in the background tier.
    @Test(arguments: [(ComponentTier.core, true), (.background, false)])
    func aComponentsTierDecidesWhetherItBlocksLogin(tier: ComponentTier, blocksLogin: Bool) throws {
        var c = try Cluster()
        c.break_("redis", waiting: "CrashLoopBackOff", lastTerminated: .init(exitCode: 1, reason: "Error", message: nil, startedAt: nil, finishedAt: nil))
        let model = Self.model { model in
            let index = model.components.firstIndex { $0.name == "redis" }!
            model.components[index].tier = tier
            model.components[index].blocksLogin = tier.mayBlockLogin
        }
        let status = ApplianceStatusRules.status(c.snapshot, now: c.now, model: model)
        let top = try #require(status.topBlockers.first)
        #expect(top.component == "redis" && top.loginBlocking == blocksLogin)
        #expect(status.tiers.login.ready == !blocksLogin)
        #expect(status.tiers.core.ready == !blocksLogin)
    }

    /// The application moved to namespace `alga`: with the model saying so the moved cluster is
    /// fully healthy, the commands name the new namespace, and the reader asks for it.
    @Test func aRenamedNamespaceIsFollowedByTheRulesTheCommandsAndTheReader() throws {
        let model = Self.model { model in
            model.namespaces.app = "alga"
            for i in model.components.indices { model.components[i].namespace = "alga" }
        }
        func moved(_ snapshot: Snapshot) -> Snapshot {
            var snapshot = snapshot
            for i in snapshot.pods.indices { snapshot.pods[i].metadata.namespace = "alga" }
            for i in snapshot.deployments.indices { snapshot.deployments[i].metadata.namespace = "alga" }
            for i in snapshot.statefulSets.indices { snapshot.statefulSets[i].metadata.namespace = "alga" }
            return snapshot
        }
        var c = try Cluster()
        #expect(ApplianceStatusRules.status(moved(c.snapshot), now: c.now, model: model).rollup.state == .fullyHealthy)
        #expect(ApplianceStatusRules.status(moved(c.snapshot), now: c.now, model: .standard).rollup.state != .fullyHealthy, "the standard model looks in msp")

        let container = c.containerName("pgbouncer")
        c.break_("pgbouncer", waiting: "CrashLoopBackOff", lastTerminated: .init(exitCode: 1, reason: "Error", message: nil, startedAt: nil, finishedAt: nil))
        let top = try #require(ApplianceStatusRules.status(moved(c.snapshot), now: c.now, model: model).topBlockers.first)
        #expect(top.component == "pgbouncer")
        #expect(top.commands.first?.command.hasSuffix("-n alga -c \(container) --previous") == true)

        let lists = LiveCluster.lists(for: model)
        #expect(
            lists.contains("/api/v1/namespaces/alga/pods") && lists.contains("/apis/apps/v1/namespaces/alga/statefulsets")
                && lists.contains("/apis/batch/v1/namespaces/alga/jobs"))
        #expect(!lists.contains { $0.contains("/namespaces/msp/") })
        #expect(SupportBundle.commands(for: model).contains("kubectl get pods -n alga -o json > alga-status-snapshot/pods-alga.json"))
    }

    /// The same rename made in the model file (not in Swift values) reaches the reader's request
    /// paths and the support bundle through the loader.
    @Test func aNamespaceRenamedInTheModelFileReachesTheReader() throws {
        let text = try modelText { model in
            model["namespaces"] = ["app": "alga", "helmReleases": "alga-system", "flux": "flux-system"]
            for i in 0..<((model["components"] as? [Any])?.count ?? 0) {
                edit(&model, "components", i) { if $0["namespace"] as? String == "msp" { $0["namespace"] = "alga" } }
            }
        }
        let (declaration, diagnostics) = ApplianceDeclaration.load(try JSONParser.parse(Array(text.utf8)), file: "appliance.json")
        let model = try #require(declaration?.model, "\(diagnostics.map(\.formatted))")
        let lists = LiveCluster.lists(for: model)
        #expect(lists.contains("/api/v1/namespaces/alga/pods") && !lists.contains { $0.contains("/namespaces/msp/") })
        #expect(SupportBundle.commands(for: model).contains("kubectl get pods -n alga -o json > alga-status-snapshot/pods-alga.json"))
    }

    /// A component in a namespace of its own is read there, and its pods are its own only there.
    @Test func aComponentInItsOwnNamespaceIsListedThere() {
        let model = Self.model {
            $0.components.append(ComponentSpec(name: "ocr", kind: .deployment, resource: "ocr", tier: .background, helmRelease: "ocr", namespace: "ocr-system"))
        }
        let lists = LiveCluster.lists(for: model)
        #expect(lists.contains("/api/v1/namespaces/ocr-system/pods") && lists.contains("/apis/apps/v1/namespaces/ocr-system/deployments"))
        #expect(lists.contains("/api/v1/namespaces/msp/pods"))
        #expect(model.workloadNamespaces == ["msp", "ocr-system"])
    }
}
