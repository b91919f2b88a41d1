import ArchiveRead
import ArgumentParser
import Foundation
import InstallPlan
import JSONDocument
import ManifestRender
import RegistryCheck
import RegistryRules
import ReleaseModel
import TextFormat

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "What the appliance would install for a release, computed offline the way Flux would.",
        discussion: """
            Builds the release's entry (<flux-path>/releases/<version>, else <flux-path>/base) and every Flux Kustomization it reaches with kustomize (kubectl kustomize --load-restrictor LoadRestrictionsNone), composes each HelmRelease's values as helm-controller does (the chart's values.yaml, each valuesFrom in order, the inline values), renders its chart from the repository with helm template, applies its postRenderers, and lists every object and every image with who pulls it.

            Problems (exit 1): an image a workload pulls that the model does not declare for it; a declared image no workload pulls; a reference (valuesFrom, a chart source, a Secret or ConfigMap a pod needs, a ServiceAccount, a namespace, a StorageClass) that neither the tree, a chart nor the bootstrap provides; a Kustomization path missing in the repository; an image with no tag but latest and no digest; an image value path of the model that changes nothing in the chart's output; a pod without what the model says it needs.

            Helm is `helm` on PATH, or --helm / ALGA_HELM (Helm 3 or 4, or the helm-python-sdk front scripts/test installs); kustomize is kubectl's (--kubectl / ALGA_KUBECTL).

            Example: alga-release plan 1.0-rc5 --repo ../alga-psa --flux-path ./ee/appliance/flux

            Exit 0 no problem; 1 a problem; 2 when the repository, a chart, Helm or kustomize cannot be used; 64 on usage errors.
            """)

    @Argument(help: "The release (a version, channel:NAME, a path to a release.json, or a registry release oci://HOST/REPO:TAG|@sha256:HEX).")
    var release: String

    @Option(
        name: .customLong("app-url"),
        help: "A registry release: the app URL the setup engine writes into the runtime values (appUrl, host, publicBaseUrl).")
    var appURL: String = RuntimeValues.defaultAppURL

    @OptionGroup(title: "Registry options (a registry release: oci://...)") var registry: RegistryOptions

    @OptionGroup var plan: PlanOptions

    @Option(help: "Also write every object of the plan as a YAML file into this folder (for kubernetes-validate and the Flux schemas).")
    var objects: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var options: ReleaseOptions

    func validate() throws {
        if plan.repo == nil && !RegistryReleaseReference.isRegistryRelease(release) {
            throw ValidationError("plan needs --repo: the repository Flux syncs (a registry release, oci://..., brings its own tree)")
        }
    }

    func run() async throws {
        let result: InstallPlan
        if RegistryReleaseReference.isRegistryRelease(release) {
            result = try await InputErrorDocument.reporting(json: format == .json) { try await registryPlan() }
        } else {
            let (report, images, model) = try InputErrorDocument.reporting(json: format == .json) { try options.images(release) }
            result = try await InputErrorDocument.reporting(json: format == .json) {
                guard let planner = try plan.planner(model: model) else { throw InputError(file: ".", reason: "plan needs --repo") }
                return try await plan.plan(planner, report, images: images)
            }
        }
        if let objects { try Self.write(result, to: objects) }
        switch format {
        case .json: try Console.json(result)
        case .text: Console.output(Self.text(result))
        }
        if result.verdict == .fail { throw ExitCode(ExitStatus.failed) }
    }

    /// One file an object, numbered in the plan's order, named by kind and name.
    static func write(_ plan: InstallPlan, to directory: String) throws(InputError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (index, (object, manifest)) in zip(plan.objects, plan.manifests).enumerated() {
                let name = "\(String(format: "%03d", index))-\(object.kind)-\(object.name).yaml".filter { $0.isLetter || $0.isNumber || "-._".contains($0) }
                try manifest.write(toFile: (directory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        } catch {
            throw InputError(file: directory, reason: "cannot write the plan's objects: \(error.localizedDescription)")
        }
    }

    static func text(_ plan: InstallPlan) -> String {
        var lines = ["release \(plan.release): entry \(plan.entry), \(plan.objects.count) objects, \(plan.images.count) images"]
        let rows = plan.images.map { image in
            [
                image.declared ? "declared" : "UNDECLARED", image.pullPolicy.isEmpty ? "-" : image.pullPolicy.joined(separator: ","), image.ref,
                image.pulledBy.map { "\($0.kind)/\($0.name)\($0.isInit ? " (init \($0.container))" : "")" }.joined(separator: ", "),
            ]
        }
        lines.append(TextTable.render(header: ["IMAGE", "PULL", "REFERENCE", "PULLED BY"], rows: rows))
        for chart in plan.charts { lines.append("chart \(chart.ref) (pulled by \(chart.helmRelease) from an OCI registry)") }
        if !plan.problems.isEmpty { lines.append("") }
        for problem in plan.problems {
            lines.append("\(problem.severity == .error ? "FAIL" : "WARN") \(problem.object) [\(problem.rule.rawValue)]: \(problem.message)")
        }
        lines.append("")
        lines.append("verdict: \(plan.verdict.rawValue) (\(plan.problems.filter { $0.severity == .error }.count) problems)")
        return lines.joined(separator: "\n")
    }

    /// The plan of a registry release: its config bundle pulled by the pinned digest and unpacked
    /// (`TarArchive`), built from `./base`, with the setup engine's runtime values, every chart
    /// pulled from its OCI HelmRepository at its version and unpacked likewise.
    func registryPlan() async throws -> InstallPlan {
        try await Self.registryPlan(try await RegistryReleaseInput.load(release, registry: registry), registry: registry, plan: plan, appURL: appURL)
    }

    static func registryPlan(_ loaded: RegistryReleaseInput.Loaded, registry: RegistryOptions, plan: PlanOptions, appURL: String) async throws -> InstallPlan {
        let images = try RegistryReleaseInput.images(loaded)
        guard let document = loaded.report.registryDocument, let declaration = loaded.report.declaration else {
            throw InputError(file: loaded.read.documentName, reason: "the release has no document to plan")
        }
        let values: [PlanObject]
        do { values = try RuntimeValues.configMaps(document, model: declaration.model, inventory: declaration.inventory, appURL: appURL) } catch {
            throw InputError(file: loaded.read.documentName, reason: error.description, pointer: JSONPointer(["profileValues"]))
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("alga-plan-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configName = "\(document.config.repository)@\(document.config.digest)"
        return try await RegistryReleaseSession.using(try registry.source()) { session in
            let tree: URL
            switch await session.bundle(of: document) {
            case .failure(let failure):
                throw InputError(
                    file: configName, reason: "the config bundle cannot be used: \(failure.description)", pointer: JSONPointer(["config", "digest"]))
            case .success(let bundle):
                do throws(TarArchive.Refusal) { tree = try TarArchive.unpack(bundle, into: scratch) } catch {
                    throw InputError(file: configName, reason: "the config bundle's layer \(error)")
                }
            }
            var planner = try plan.planner(model: declaration.model, repository: tree, fluxPath: ".")
            planner.modelFile = "releases/\(ApplianceDeclaration.k3sFileName)"
            planner.chartSource = { ref in
                guard let image = try? ImageReference(parsing: ref) else { return .failure(.init("\(ref) is not a chart reference")) }
                switch await session.layer(of: image, configType: MediaType.helmChartConfig, layerType: MediaType.helmChartContent) {
                case .failure(let failure): return .failure(.init(failure.description))
                case .success(let bytes):
                    do {
                        let folder = try TarArchive.unpack(bytes, into: scratch)
                        // A chart archive has one top folder, named after the chart.
                        let top = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                        guard top.count == 1,
                            FileManager.default.fileExists(atPath: folder.appendingPathComponent(top[0]).appendingPathComponent("Chart.yaml").path)
                        else { return .failure(.init("the chart archive does not hold one chart folder")) }
                        return .success(folder.appendingPathComponent(top[0]))
                    } catch { return .failure(.init("the chart archive \(error)")) }
                }
            }
            var result: InstallPlan
            do throws(PlanFailure) { result = try await planner.plan(release: loaded.report.release, images: images, extraObjects: values) } catch {
                throw InputError(file: configName, reason: error.description)
            }
            result.problems += RuntimeValues.chartProblems(document, pulled: result.charts)
            return result
        }
    }
}
