import ApplianceModel
import Foundation

/// The blocker detectors. Each is one function from the snapshot to what it found; `all` ranks them
/// (root causes above their consequences: a Helm "context deadline exceeded" or a not-ready workload
/// is reported only when nothing more specific explains that component).
enum Detectors {
    struct Context {
        var snapshot: Snapshot
        var components: [ComponentStatus]
        var existingPods: Set<String>
        var model: ApplianceModel

        /// A blocker of `cause`, its words filled with `facts`.
        func blocker(
            _ cause: BlockerCause, component: String, facts: [BlockerSlot: String] = [:], evidence: String, commands: [NextCommand?] = [],
            image: String? = nil, loginBlocking explicit: Bool? = nil
        ) -> Blocker {
            let tier = PodOwnership.tier(of: component, in: model)
            // Platform-wide causes and unknown components block login: defaulting unknown to background
            // is how the original hid db, redis and pgbouncer failures.
            let loginBlocking = explicit ?? (model.named(component)?.blocksLogin ?? tier?.mayBlockLogin ?? true)
            return Blocker(
                kind: cause.kind, component: component, tier: tier, loginBlocking: loginBlocking, severity: BlockerSeverity(loginBlocking: loginBlocking),
                reason: BlockerCause.fill(cause.reason, with: facts), evidence: evidence, nextAction: BlockerCause.fill(cause.nextAction, with: facts),
                commands: commands.compactMap { $0 }, image: image)
        }

        /// Where an object without a namespace is: the application's namespace.
        func namespace(_ meta: ObjectMeta) -> String { meta.namespace ?? model.namespaces.app }
    }

    static func all(_ context: Context) -> [Blocker] {
        let specific =
            kubernetesUnavailable(context) + dnsResolution(context) + postgresSubpath(context) + volumeProvisioning(context)
            + imagePullFailures(context)
            + bootstrapJobFailed(context) + crashSignatures(context) + imagePullInterrupted(context) + fluxSourceFailures(context)
        let explained = Set(specific.map(\.component))
        let generic = helmReleaseFailures(context, explained: explained) + workloadsNotReady(context, explained: explained)
        var seen = Set<String>()
        return (specific + generic)
            .filter { seen.insert("\($0.kind.rawValue)/\($0.component)").inserted }
            .enumerated()
            .sorted { a, b in
                if a.element.kind != b.element.kind { return a.element.kind < b.element.kind }
                if a.element.loginBlocking != b.element.loginBlocking { return a.element.loginBlocking }
                return a.offset < b.offset
            }
            .map(\.element)
    }

    // MARK: platform

    static func kubernetesUnavailable(_ c: Context) -> [Blocker] {
        if let error = c.snapshot.apiError {
            return [
                c.blocker(.apiUnreachable, component: BlockerSubject.kubernetes, evidence: String(error.prefix(300)), commands: [NextCommand.talosHealth])
            ]
        }
        if let readyz = c.snapshot.probes?.readyzProblem {
            return [
                c.blocker(.apiNotReady, component: BlockerSubject.kubernetes, evidence: "/readyz: \(readyz.prefix(200))", commands: [NextCommand.talosHealth])
            ]
        }
        if c.snapshot.nodes.isEmpty {
            return [
                c.blocker(.noNode, component: BlockerSubject.kubernetes, evidence: "the node list is empty", commands: [NextCommand.talosHealth])
            ]
        }
        return c.snapshot.nodes.filter { !$0.isReady }.map { node in
            let ready = node.status?.conditions?["Ready"]
            return c.blocker(
                .nodeNotReady, component: BlockerSubject.kubernetes, facts: [.node: node.metadata.name],
                evidence: "Ready=\(ready?.status ?? "Unknown") \(ready?.reason ?? ""): \(ready?.message ?? "")",
                commands: [NextCommand.describeNode(node), NextCommand.talosHealth])
        }
    }

    /// Only lookups made by image pulls or Flux sources count; an app's readiness probe that
    /// happens to say "lookup" is not the platform's resolver.
    static func dnsResolution(_ c: Context) -> [Blocker] {
        var found: [Blocker] = []
        for event in Events.pullFailures(c) {
            guard let lookup = MessagePatterns.lookupFailure(in: event.message) else { continue }
            let pod = event.involvedObject.name.flatMap { name in c.snapshot.pods.first { $0.metadata.name == name } }
            let component = pod.flatMap { PodOwnership.component(of: $0, in: c.model) } ?? BlockerSubject.platform
            found.append(
                c.blocker(
                    .dnsLookup, component: component, facts: [.host: String(lookup.host), .resolver: String(lookup.resolver)],
                    evidence: "Event Failed on pod \(event.involvedObject.name ?? "?"): \(event.message.prefix(300))",
                    commands: [
                        pod.flatMap { NextCommand.restartPod($0, purpose: "Once DNS answers, pull again now instead of at the next back-off", model: c.model) }
                    ], loginBlocking: true))
        }
        for source in c.snapshot.gitRepositories + c.snapshot.ociRepositories {
            guard let ready = source.ready, ready.status == "False", let message = ready.message, let lookup = MessagePatterns.lookupFailure(in: message) else {
                continue
            }
            found.append(
                c.blocker(
                    .dnsLookup, component: source.metadata.name, facts: [.host: String(lookup.host), .resolver: String(lookup.resolver)],
                    evidence: "\(source.kind ?? "source") \(source.metadata.name): \(message.prefix(300))",
                    commands: [NextCommand.reconcile(source, defaultKind: "GitRepository", model: c.model)], loginBlocking: true))
        }
        return found
    }

    // MARK: storage

    /// A claim still not Bound whose latest event is `ProvisioningFailed` (k8sgpt's PVC rule): the
    /// provisioner tried and could not. Pending alone is no blocker: with `WaitForFirstConsumer`
    /// (local-path) every claim is Pending until its pod is scheduled.
    static func volumeProvisioning(_ c: Context) -> [Blocker] {
        c.snapshot.persistentVolumeClaims.compactMap { claim in
            guard claim.status?.phase != "Bound" else { return nil }
            let namespace = c.namespace(claim.metadata)
            let about = c.snapshot.events.filter {
                $0.involvedObject.kind == "PersistentVolumeClaim" && $0.involvedObject.name == claim.metadata.name
                    && ($0.involvedObject.namespace ?? namespace) == namespace
            }
            guard let latest = about.max(by: { Events.time($0) < Events.time($1) }), latest.reason == "ProvisioningFailed" else { return nil }
            let storageClass = claim.spec?.storageClassName
            // The bootstrap provides the appliance's StorageClass (and its provisioner) before Flux runs.
            let provided = c.model.provided(.storageClass).flatMap { $0.name == storageClass ? " (\($0.createdBy) provides it)" : nil } ?? ""
            return c.blocker(
                .volumeProvisioning, component: claim.metadata.name,
                facts: [.claim: claim.metadata.name, .storageClass: storageClass ?? "of the claim", .provided: provided],
                evidence:
                    "PersistentVolumeClaim \(namespace)/\(claim.metadata.name) \(claim.status?.phase ?? "Pending"), event ProvisioningFailed: \(latest.message.prefix(300))",
                commands: [NextCommand.describeClaim(claim, model: c.model)], loginBlocking: true)
        }
    }

    static func postgresSubpath(_ c: Context) -> [Blocker] {
        var found: [Blocker] = []
        for pod in c.snapshot.pods {
            for status in pod.allContainerStatuses {
                guard let waiting = status.state?.waiting, waiting.reason == "CreateContainerConfigError", let message = waiting.message,
                    let failure = MessagePatterns.subPathFailure(in: message)
                else { continue }
                let component = PodOwnership.component(of: pod, in: c.model) ?? pod.metadata.name
                found.append(
                    c.blocker(
                        .subPathDirectory, component: component, facts: [.component: component, .volume: String(failure.volume), .pod: pod.metadata.name],
                        evidence:
                            "pod \(c.namespace(pod.metadata))/\(pod.metadata.name) container \(status.name) waiting CreateContainerConfigError: \(message)",
                        commands: [
                            NextCommand.describePod(pod, model: c.model),
                            NextCommand.restartPod(pod, purpose: "Once the volume is repaired, restart the pod", model: c.model),
                        ]))
            }
        }
        return found
    }

    // MARK: images

    /// Missing tags and refused pulls, from the `Failed` events of pods still waiting on a pull (the
    /// ImagePullBackOff state itself says only "Back-off pulling image").
    static func imagePullFailures(_ c: Context) -> [Blocker] {
        var found: [Blocker] = []
        for (pod, _, event) in Events.currentPullFailures(c) {
            let message = event.message
            guard let image = MessagePatterns.failedPullImage(in: message).map(String.init), MessagePatterns.lookupFailure(in: message) == nil else { continue }
            let lower = message.lowercased()
            let component = PodOwnership.component(of: pod, in: c.model) ?? pod.metadata.name
            if lower.contains("failed to authorize") || lower.contains("401 unauthorized") || lower.contains("403 forbidden") || lower.contains("denied") {
                found.append(
                    c.blocker(
                        .pullDenied, component: component, facts: [.image: image],
                        evidence: "Event Failed on pod \(pod.metadata.name): '\(message.prefix(300))'",
                        commands: [
                            NextCommand.restartPod(pod, purpose: "Once the registry serves it, pull again now instead of at the next back-off", model: c.model)
                        ], image: image))
            } else if lower.contains("code = notfound") || lower.contains(": not found") || lower.contains("manifest unknown") {
                found.append(
                    c.blocker(
                        .tagMissing, component: component, facts: [.image: image],
                        evidence: "Event Failed on pod \(pod.metadata.name): '\(message.prefix(300))'",
                        commands: [
                            NextCommand.restartPod(pod, purpose: "Once the tag is published, pull again now instead of at the next back-off", model: c.model)
                        ], image: image))
            }
        }
        return found
    }

    static func imagePullInterrupted(_ c: Context) -> [Blocker] {
        Events.currentPullFailures(c).compactMap { pod, _, event in
            let lower = event.message.lowercased()
            guard lower.contains("code = canceled") || lower.contains("context canceled") || lower.contains("code = deadlineexceeded"),
                let image = MessagePatterns.failedPullImage(in: event.message).map(String.init)
            else { return nil }
            return c.blocker(
                .pullInterrupted, component: PodOwnership.component(of: pod, in: c.model) ?? pod.metadata.name, facts: [.image: image],
                evidence: "Event Failed on pod \(pod.metadata.name): '\(event.message.prefix(300))'",
                commands: [NextCommand.restartPod(pod, purpose: "Only if the retries stall: start the pull again", model: c.model)], image: image)
        }
    }

    // MARK: bootstrap

    static func bootstrapJobFailed(_ c: Context) -> [Blocker] {
        guard let job = Bootstrap.newestJob(c.snapshot, model: c.model), let failed = job.status?.conditions?["Failed"], failed.status == "True" else {
            return []
        }
        return [
            c.blocker(
                .bootstrapJobFailed, component: PodOwnership.bootstrap,
                facts: [
                    .failure: failed.message ?? failed.reason ?? "Job \(job.metadata.name) failed", .job: job.metadata.name,
                    .namespace: c.namespace(job.metadata),
                ],
                evidence: "Job \(c.namespace(job.metadata))/\(job.metadata.name) Failed=True \(failed.reason ?? "")",
                commands: [NextCommand.jobLog(job, model: c.model), rerunBootstrap(c)], loginBlocking: true)
        ]
    }

    /// The chart names the bootstrap job by Helm revision (`…-bootstrap-r<revision>`): a forced
    /// upgrade of the bootstrap's HelmRelease (the model's) makes a new revision, and so runs a new job.
    static func rerunBootstrap(_ c: Context) -> NextCommand? {
        c.snapshot.helmReleases.first { $0.metadata.name == c.model.bootstrapHelmRelease }.flatMap {
            NextCommand.reconcile($0, defaultKind: "HelmRelease", model: c.model)
        }
    }

    // MARK: crashes

    static let temporalSchema = "sql schema version compatibility check failed"

    /// Temporal's schema error and the service-link collision show in termination messages or
    /// previous logs (kubelet events only say "Back-off restarting"; an event that does carry the
    /// text, as a collector or a human may record, counts too); any other restart loop is a plain crash loop.
    static func crashSignatures(_ c: Context) -> [Blocker] {
        var found: [Blocker] = []
        for pod in c.snapshot.pods where pod.metadata.deletionTimestamp == nil {
            let events = c.snapshot.events.filter { $0.involvedObject.kind == "Pod" && $0.involvedObject.name == pod.metadata.name }.map(\.message)
            for status in pod.allContainerStatuses {
                let component = PodOwnership.component(of: pod, in: c.model) ?? pod.metadata.name
                let log = c.snapshot.previousLogs["\(c.namespace(pod.metadata))/\(pod.metadata.name)/\(status.name)"] ?? ""
                let ownEvents = status.ready == true ? [] : events
                let text = ([status.state?.terminated?.message, status.lastState?.terminated?.message, log].compactMap { $0 } + ownEvents).joined(
                    separator: "\n")
                let place = "pod \(c.namespace(pod.metadata))/\(pod.metadata.name) container \(status.name)"
                if text.contains(temporalSchema) {
                    let line = text.split(separator: "\n").first { $0.contains(temporalSchema) }.map(String.init) ?? temporalSchema
                    found.append(
                        c.blocker(
                            .temporalSchema, component: component, evidence: "\(place): \(line.prefix(300))",
                            commands: [NextCommand.restartPod(pod, purpose: "Once the schema is set up, restart the pod", model: c.model)]))
                } else if let phrase = MessagePatterns.serviceLink(in: text) {
                    let line = text[text.lineRange(for: phrase)].trimmingCharacters(in: .whitespacesAndNewlines)
                    found.append(
                        c.blocker(
                            .serviceLinkCollision, component: component, facts: [.component: component], evidence: "\(place): \(line.prefix(300))",
                            commands: [NextCommand.restartPod(pod, purpose: "Once the setting is applied, restart the pod", model: c.model)]))
                } else if status.state?.waiting?.reason == "CrashLoopBackOff" {
                    let last = status.lastState?.terminated
                    found.append(
                        c.blocker(
                            .crashLoop, component: component,
                            facts: [.component: component, .pod: pod.metadata.name, .namespace: c.namespace(pod.metadata), .container: status.name],
                            evidence:
                                "\(place) CrashLoopBackOff after \(last?.reason ?? "exit") \(last?.exitCode.map { "(exit code \($0))" } ?? ""), \(status.restartCount ?? 0) restarts\(last?.message.map { ": \($0.prefix(200))" } ?? "")",
                            commands: [NextCommand.previousLog(pod, container: status.name, model: c.model)]))
                }
            }
        }
        return found
    }

    // MARK: Flux and Helm

    /// Sources that cannot fetch, and Kustomizations that fail for a reason of their own; a failed
    /// health check or a dependency is a consequence of something below.
    static func fluxSourceFailures(_ c: Context) -> [Blocker] {
        var found: [Blocker] = []
        let sources = c.snapshot.gitRepositories + c.snapshot.ociRepositories
        let consequences: Set<String> = ["HealthCheckFailed", "DependencyNotReady"]
        for object in sources + c.snapshot.kustomizations {
            guard let ready = object.ready, ready.status == "False", !FluxProgress.isProgressing(ready) else { continue }
            let isSource = sources.contains(object)
            if !isSource && consequences.contains(ready.reason ?? "") { continue }
            if isSource && MessagePatterns.lookupFailure(in: ready.message ?? "") != nil { continue }  // reported as DNS
            let kind = object.kind ?? (isSource ? "GitRepository" : "Kustomization")
            found.append(
                c.blocker(
                    isSource ? .fluxSourceFailed : .kustomizationFailed, component: object.metadata.name,
                    facts: [.kind: kind, .object: object.metadata.name, .conditionReason: ready.reason ?? ""],
                    evidence:
                        "\(kind) \(object.metadata.namespace ?? c.model.namespaces.flux)/\(object.metadata.name) Ready=False \(ready.reason ?? ""): \((ready.message ?? "").prefix(300))",
                    commands: [NextCommand.reconcile(object, defaultKind: kind, model: c.model)],
                    loginBlocking: object.metadata.name != c.model.backgroundKustomization))
        }
        return found
    }

    static func helmReleaseFailures(_ c: Context, explained: Set<String>) -> [Blocker] {
        c.snapshot.helmReleases.compactMap { release in
            guard let ready = release.ready, ready.status == "False", !FluxProgress.isProgressing(ready) else { return nil }
            let components = c.model.components.filter { $0.helmRelease == release.metadata.name }
            if components.contains(where: { explained.contains($0.name) })
                || (release.metadata.name == c.model.bootstrapHelmRelease && explained.contains(PodOwnership.bootstrap))
            {
                return nil
            }
            let loginBlocking = components.contains(where: \.blocksLogin)
            return c.blocker(
                .helmReleaseFailed, component: release.metadata.name,
                facts: [
                    .object: release.metadata.name, .conditionReason: ready.reason ?? "", .appNamespace: c.model.namespaces.app,
                    .namespace: release.metadata.namespace ?? c.model.namespaces.helmReleases,
                ],
                evidence:
                    "HelmRelease \(release.metadata.namespace ?? c.model.namespaces.helmReleases)/\(release.metadata.name) Ready=False \(ready.reason ?? ""): \((ready.message ?? "").prefix(300))",
                commands: [NextCommand.listPods(model: c.model), NextCommand.reconcile(release, defaultKind: "HelmRelease", model: c.model)],
                loginBlocking: loginBlocking)
        }
    }

    static func workloadsNotReady(_ c: Context, explained: Set<String>) -> [Blocker] {
        c.components.filter { $0.status == .notReady && !explained.contains($0.name) }.map { component in
            c.blocker(
                .workloadNotReady, component: component.name,
                facts: [.component: component.name, .namespace: c.model.named(component.name)?.namespace ?? c.model.namespaces.app],
                evidence: component.message,
                commands: [c.model.named(component.name).flatMap(NextCommand.describeWorkload)])
        }
    }
}
