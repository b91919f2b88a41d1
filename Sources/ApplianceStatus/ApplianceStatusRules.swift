import ApplianceModel
import Foundation

/// The status rules: a pure function from one observation of the cluster to the canonical document.
public enum ApplianceStatusRules {
    /// - Parameters:
    ///   - now: the observation time (a snapshot's `observedAt`); events and pulls are aged against it.
    ///   - size: the compressed size of an image reference, when a registry lock knows it.
    public static func status(
        _ snapshot: Snapshot, now: Date, siteId: String = "appliance-single-node", release: StatusDocument.ReleaseInfo? = nil,
        size: (String) -> Int? = { _ in nil }, model: ApplianceModel
    ) -> StatusDocument {
        let components = model.statusComponents.map { ComponentReadiness.evaluate($0, in: snapshot, model: model) }
        let context = Detectors.Context(snapshot: snapshot, components: components, existingPods: Set(snapshot.pods.map(\.metadata.name)), model: model)
        let blockers = Detectors.all(context)
        let operations = Pulls.active(snapshot, now: now, size: size, model: model)
        let bootstrap = Bootstrap.summary(snapshot, model: model)
        let tiers = self.tiers(snapshot, components: components, bootstrap: bootstrap, model: model)
        let nodeIP = snapshot.nodes.first?.internalIP
        return StatusDocument(
            siteId: siteId, observedAt: now, release: release,
            urls: .init(statusUrl: nodeIP.map(model.statusURL), loginUrl: snapshot.probes?.loginProbe?.url ?? nodeIP.map(model.loginURL)),
            rollup: rollup(tiers: tiers, blockers: blockers, operations: operations, components: components),
            tiers: tiers, topBlockers: blockers, activeOperations: operations, components: components,
            recentEvents: recentEvents(snapshot), loginProbe: snapshot.probes?.loginProbe, bootstrap: bootstrap)
    }

    static func tiers(_ snapshot: Snapshot, components: [ComponentStatus], bootstrap: BootstrapSummary, model: ApplianceModel) -> Tiers {
        func ready(_ tier: ComponentTier) -> TierState {
            let waiting = components.filter { $0.tier == tier && !$0.ready }
            return TierState(
                ready: waiting.isEmpty, reason: waiting.isEmpty ? "ready" : waiting.map { "\($0.name) \($0.status.rawValue)" }.joined(separator: ", "))
        }
        var platformProblems: [String] = []
        if snapshot.apiError != nil { platformProblems.append("Kubernetes API unreachable") }
        if snapshot.probes?.readyzProblem != nil {
            platformProblems.append("API /readyz not ok")
        }
        if snapshot.nodes.isEmpty || !snapshot.nodes.allSatisfy(\.isReady) { platformProblems.append("node not Ready") }
        let sources = snapshot.gitRepositories + snapshot.ociRepositories
        if sources.isEmpty || !sources.allSatisfy({ $0.ready?.status == "True" }) { platformProblems.append("Flux source not Ready") }
        if snapshot.kustomizations.first(where: { $0.metadata.name == model.platformKustomization })?.ready?.status != "True" {
            platformProblems.append("\(model.platformKustomization) not Ready")
        }
        let platform = TierState(ready: platformProblems.isEmpty, reason: platformProblems.isEmpty ? "ready" : platformProblems.joined(separator: ", "))

        let core = ready(.core)
        let seededOK = bootstrap.seededUsersCount.map { $0 > 0 } ?? true
        let bootstrapReady = bootstrap.state.isDone && seededOK
        let bootstrapTier = TierState(
            ready: bootstrapReady,
            reason: bootstrapReady
                ? (bootstrap.state == .gone ? "job expired; \(model.bootstrapHelmRelease) HelmRelease Ready" : "ready")
                : "bootstrap \(bootstrap.state.rawValue)\(seededOK ? "" : ", no seeded users")")
        let web = ready(.login)
        let probe = snapshot.probes?.loginProbe
        var loginProblems: [String] = []
        if !core.ready { loginProblems.append("core not ready") }
        if !bootstrapReady { loginProblems.append("bootstrap not done") }
        if !web.ready { loginProblems.append(web.reason) }
        if probe?.reachable != true {
            loginProblems.append(probe?.checked == true ? "login URL not reachable\(probe?.error.map { " (\($0))" } ?? "")" : "login probe not run")
        }
        let login = TierState(ready: loginProblems.isEmpty, reason: loginProblems.isEmpty ? "ready" : loginProblems.joined(separator: ", "))
        let background = ready(.background)
        let full = platform.ready && login.ready && background.ready
        return Tiers(
            platform: platform, core: core, bootstrap: bootstrapTier, login: login, background: background,
            fullHealth: TierState(ready: full, reason: full ? "ready" : "not every tier is ready"))
    }

    /// Login readiness decides first: background trouble never makes a login-ready appliance look failed.
    static func rollup(tiers: Tiers, blockers: [Blocker], operations: [ActiveOperation], components: [ComponentStatus]) -> Rollup {
        if tiers.login.ready {
            if tiers.fullHealth.ready && blockers.isEmpty {
                return Rollup(state: .fullyHealthy, message: "All services are healthy.", nextAction: "No action required.")
            }
            if tiers.background.ready && !blockers.contains(where: { !$0.loginBlocking }) {
                return Rollup(state: .readyToLogIn, message: "Alga is ready to log in.", nextAction: "Open the login URL.")
            }
            let first = blockers.first { !$0.loginBlocking }
            return Rollup(
                state: .readyWithBackgroundIssues,
                message: "Alga is ready to log in. Background services need attention\(first.map { ": \($0.reason)" } ?? ".")",
                nextAction: first?.nextAction ?? "Open the login URL; background services are still starting.", commands: first?.commands ?? [])
        }
        // A retryable interrupted pull is progress, not a reason to act.
        if let blocking = blockers.first(where: { $0.loginBlocking && $0.kind != .imagePullInterrupted }) {
            return Rollup(
                state: .failedActionRequired, message: "Login is blocked: \(blocking.reason).", nextAction: blocking.nextAction, commands: blocking.commands)
        }
        if let pull = operations.first {
            return Rollup(
                state: .installing, message: "Installing: pulling \(pull.image) for \(pull.elapsedSeconds / 60) min so far.",
                nextAction: "Nothing to do yet: large images take several minutes on a local VM; the status refreshes as they arrive.")
        }
        let waiting = components.filter { !$0.ready && $0.tier.mayBlockLogin }.map(\.name)
        return Rollup(
            state: .installing, message: "Installing\(waiting.isEmpty ? "" : ": waiting for \(waiting.joined(separator: ", "))").",
            nextAction: "Nothing to do yet: the status refreshes as services come up.")
    }

    static func recentEvents(_ snapshot: Snapshot, limit: Int = 20) -> [EventRow] {
        snapshot.events.sorted { Events.time($0) > Events.time($1) }.prefix(limit).map { e in
            EventRow(
                namespace: e.metadata.namespace ?? e.involvedObject.namespace, object: "\(e.involvedObject.kind ?? "?")/\(e.involvedObject.name ?? "?")",
                reason: e.reason, type: e.type, message: e.message, time: e.time, count: e.count)
        }
    }
}
