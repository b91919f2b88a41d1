import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ManifestRender
import ReleaseModel

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render templates/ into the Flux tree for one or more releases, and lint it against the appliance model before writing.",
        discussion: """
            templates/base/ is rendered once into base/ (the same for every release: it must come out the same for each), templates/release/ once per release into releases/<version>/, the entry Flux's root Kustomization is pointed at (path <flux-path>/releases/<version>): the release's image tags live there only, in the values ConfigMaps the HelmReleases read. Images come from releases/appliance.json resolved against each release (with --lock, pinned to the digests the gate checked). The output is byte-for-byte deterministic. Each release's part of the tree is linted after rendering (see lint-manifests); a lint error fails the render and writes nothing.

            --check renders to memory and compares with --out: exit 1 with a unified diff per drifted file, 0 when identical. Without --check, files are written only when their bytes change, and the directory is replaced whole (never half-written).

            Example: alga-release render 1.0-rc5 1.0-rc5.1 --check

            Exit 0 written or up to date; 1 drift under --check; 2 unusable input (release, templates, lock, --out); 64 on usage errors.
            """)

    @Argument(help: "The releases to render (each a version under --releases-dir, channel:NAME, or a path to a release.json or its folder).")
    var releases: [String]

    @OptionGroup var options: ReleaseOptions

    @Option(help: "Values profile (each release's app.valuesProfile by default).")
    var profile: String?

    @Option(help: "Output directory, relative to the working directory.")
    var out: String = "flux"

    @Option(help: "Templates directory, relative to the working directory.")
    var templates: String = "templates"

    @Option(help: "Registry lock from alga-release check --write-lock: render every image as repo:tag@sha256:...")
    var lock: String?

    @Option(name: .customLong("flux-path"), help: "Where the rendered tree sits in the Git repository Flux reads (upstream: ./ee/appliance/flux).")
    var fluxPath: String = RenderInput.defaultFluxPath

    @Flag(help: "Compare with --out instead of writing; exit 1 on drift.")
    var check = false

    func run() async throws {
        guard !releases.isEmpty else { throw ValidationError("name at least one release") }
        let registryLock = try lock.map { path throws(InputError) in try RegistryLock.read(path) }
        // Each release once (channel:stable and 1.0-rc5.1 may be the same), with the images its tree deploys.
        var releasesToRender: [(input: RenderInput, images: [ResolvedImage])] = []
        var model: ApplianceModel?
        for release in releases {
            let (report, images, releaseModel) = try options.images(release)
            guard let source = releaseModel.provided(.gitRepository) else {
                throw InputError(
                    file: report.modelFile ?? ApplianceDeclaration.fileName,
                    reason: "names no GitRepository (a providedByBootstrap entry with purpose gitRepository); the tier Kustomizations read it")
            }
            guard !releasesToRender.contains(where: { $0.input.releaseVersion == report.release }) else { continue }
            let input = RenderInput(
                releaseVersion: report.release, profile: profile ?? report.manifest!.valuesProfile, images: images, preFluxKeys: report.preFluxKeys,
                lock: registryLock, fluxPath: fluxPath, sourceName: source.name)
            releasesToRender.append((input, report.fluxImages(images)))
            model = releaseModel
        }
        let inputs = releasesToRender.map(\.input)
        let files: [String: String]
        do {
            files = try Renderer.render(try Renderer.loadTemplates(templates), inputs: inputs)
        } catch {
            throw InputError(file: error.file, reason: error.reason, location: error.line.map { SourceLocation(line: $0, column: 1) })
        }
        var findings: [LintFinding] = []
        for (input, images) in releasesToRender {
            findings += ManifestLinter.lint(ManifestLinter.files(files, of: input.releaseVersion), images: images, model: model!)
        }
        if !findings.isEmpty {
            for finding in findings { Console.output(finding.description) }
            Console.error("render: \(findings.count) lint error\(findings.count == 1 ? "" : "s"); nothing written")
            throw ExitCode(ExitStatus.failed)
        }
        let rendered = inputs.map(\.releaseVersion).joined(separator: ", ")
        if check {
            let drift = TreeWriter.drift(files, against: out)
            if drift.isEmpty {
                Console.output("\(out): up to date with \(rendered) (\(files.count) files)")
                return
            }
            for d in drift { Console.output(d.diff) }
            // The command that makes the tree match, with every option that shaped this render.
            let rerun =
                (["alga-release", "render"] + releases + (profile.map { ["--profile", $0] } ?? []) + (lock.map { ["--lock", $0] } ?? [])
                + (fluxPath == RenderInput.defaultFluxPath ? [] : ["--flux-path", fluxPath]) + (templates == "templates" ? [] : ["--templates", templates]) + [
                    "--out", out,
                ])
                .joined(separator: " ")
            Console.error(
                "\(out): \(drift.count) file\(drift.count == 1 ? "" : "s") drifted from a fresh render: \(drift.map(\.path).joined(separator: ", ")); run \(rerun)"
            )
            throw ExitCode(ExitStatus.failed)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw InputError(file: out, reason: "is a file; --out takes the directory the tree is written to (nothing was changed)")
        }
        let changed: [String]
        do {
            changed = try TreeWriter.write(files, to: out)
        } catch {
            // Foundation's own text on Linux is "NSCocoaErrorDomain error 512"; the POSIX reason says more.
            let underlying = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            throw InputError(file: out, reason: "cannot write the rendered tree (nothing was changed): \(underlying ?? error.localizedDescription)")
        }
        Console.output(changed.isEmpty ? "\(out): already up to date (\(files.count) files)" : changed.map { "wrote \(out)/\($0)" }.joined(separator: "\n"))
    }
}
