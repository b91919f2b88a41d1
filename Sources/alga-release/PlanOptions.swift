import ApplianceModel
import ArgumentParser
import Foundation
import InstallPlan
import JSONDocument
import ManifestRender
import ReleaseModel

/// The options that point at the repository Flux syncs and the tools that build it, for `plan`
/// and `check --repo`: one declaration, one lookup of Helm and kustomize.
struct PlanOptions: ParsableArguments {
    @Option(help: "The repository Flux syncs (the alga-psa checkout): charts at ./helm and ./ee/helm/*, the rendered tree at --flux-path.")
    var repo: String?

    @Option(name: .customLong("flux-path"), help: "Where the rendered tree sits in the repository.")
    var fluxPath: String = RenderInput.defaultFluxPath

    @Option(help: "The helm executable (default: ALGA_HELM, else helm on PATH).")
    var helm: String?

    @Option(help: "The kubectl executable whose kustomize builds the tree (default: ALGA_KUBECTL, else kubectl on PATH).")
    var kubectl: String?

    @Option(name: .customLong("plan-timeout"), help: "Seconds the whole plan may take, every kustomize and Helm run included.")
    var planTimeout: Double = 600

    func validate() throws {
        if let problem = RunLimits.seconds(planTimeout, name: "--plan-timeout") { throw ValidationError(problem) }
    }

    /// The planner for `--repo`, or nil without one; unusable input (no such folder, no Helm, no
    /// kubectl) is an input error naming what to give.
    func planner(model: ApplianceModel) throws(InputError) -> Planner? {
        guard let repo else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repo, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: repo, reason: "no such directory: --repo is the repository Flux syncs")
        }
        return try planner(model: model, repository: URL(fileURLWithPath: repo), fluxPath: fluxPath)
    }

    /// A planner over `repository` (a checkout, or a registry release's unpacked config bundle).
    func planner(model: ApplianceModel, repository: URL, fluxPath: String) throws(InputError) -> Planner {
        let environment = ProcessInfo.processInfo.environment
        guard let helmTool = ExternalTool.find("helm", explicit: helm, variable: "ALGA_HELM", environment: environment) else {
            throw InputError(
                file: helm ?? environment["ALGA_HELM"] ?? "helm",
                reason:
                    "Helm cannot be found: install helm, or give --helm PATH (or ALGA_HELM); scripts/test installs a helm template front on the Helm v4 engine")
        }
        guard let kubectlTool = ExternalTool.find("kubectl", explicit: kubectl, variable: "ALGA_KUBECTL", environment: environment) else {
            throw InputError(
                file: kubectl ?? environment["ALGA_KUBECTL"] ?? "kubectl",
                reason: "kubectl (for kustomize) cannot be found: install Debian's kubernetes-client, or give --kubectl PATH (or ALGA_KUBECTL)")
        }
        return Planner(repository: repository, fluxPath: fluxPath, kustomize: kubectlTool, helm: helmTool, model: model, timeout: planTimeout)
    }

    /// The plan of the release `report` validated, judged against the images its tree deploys;
    /// its failures as input errors about the repository.
    func plan(_ planner: Planner, _ report: ValidationReport, images: [ResolvedImage]) async throws(InputError) -> InstallPlan {
        do {
            return try await planner.plan(release: report.release, images: report.fluxImages(images))
        } catch {
            throw InputError(file: repo ?? ".", reason: error.description)
        }
    }

    /// The images a command acts on for a release (`check`, `mirror`): the model's, and with
    /// `--repo` also every image the install plan finds pulled (one the model does not declare is
    /// named as such) and every OCI chart a HelmRelease pulls.
    func images(_ release: String, options: ReleaseOptions) async throws -> (report: ValidationReport, images: [ResolvedImage]) {
        let (report, images, model) = try options.images(release)
        guard let planner = try planner(model: model) else { return (report, images) }
        let planned = try await plan(planner, report, images: images)
        if let unread = planned.problems.first(where: { $0.rule.leavesPlanIncomplete }) {
            throw InputError(
                file: repo ?? ".",
                reason:
                    "the install plan did not read all of the tree (\(unread.rule.rawValue): \(unread.object): \(unread.message)), so its images are not all the appliance's; fix the tree, or see alga-release plan \(release) --repo \(repo ?? ".")"
            )
        }
        return (report, Self.adding(planned, to: images, charts: true))
    }

    /// `images` and what the plan pulls besides: each undeclared image (the gate fails it), and,
    /// with `charts`, each OCI chart a HelmRelease pulls.
    static func adding(_ planned: InstallPlan, to images: [ResolvedImage], charts: Bool) -> [ResolvedImage] {
        var images = images
        for image in planned.images where !image.declared {
            guard let ref = PodImages.normalized(image.ref), !images.contains(where: { $0.ref.taggedReference == ref.taggedReference }) else { continue }
            let site = image.pulledBy.first?.label ?? "a workload"
            images.append(ResolvedImage(undeclared: ref, pulledBy: site))
        }
        for chart in planned.charts where charts {
            guard let ref = try? ImageReference(parsing: chart.ref), !images.contains(where: { $0.ref == ref }) else { continue }
            images.append(ResolvedImage(chart: ref, helmRelease: chart.helmRelease))
        }
        return images
    }
}
