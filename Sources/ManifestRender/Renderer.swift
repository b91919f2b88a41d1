import Foundation
import ReleaseModel

/// Renders templates into a tree of files: pure, from templates and input to bytes.
public enum Renderer {
    /// `algaCore` → `ALGA_CORE`, `temporalUI` → `TEMPORAL_UI`.
    static func variableName(_ key: String) -> String {
        var out = ""
        var previousLower = false
        for c in key {
            if c.isUppercase && previousLower { out += "_" }
            previousLower = c.isLowercase || c.isNumber
            out += c.uppercased()
        }
        return out
    }

    /// The placeholder values, and for each image key the three names it may be used by.
    static func variables(_ input: RenderInput) throws(RenderError) -> (values: [String: String], imageFamilies: [String: [String]]) {
        var values: [String: String] = [
            "PROFILE": input.profile, "RELEASE_VERSION": input.releaseVersion, "FLUX_PATH": input.fluxPath, "SOURCE_NAME": input.sourceName,
        ]
        var families: [String: [String]] = [:]
        for image in input.images {
            var ref = image.ref
            if let lock = input.lock {
                guard let entry = lock.entry(for: ref) else {
                    throw RenderError(
                        file: "lock", reason: "the lock does not cover \(ref.taggedReference) (\(image.key)); run alga-release check --write-lock again")
                }
                ref.digest = entry.digest
            }
            let name = "IMAGE_" + variableName(image.key)
            // Charts join repository and tag with ':', so a pinned tag reads `a2cbb430@sha256:...`.
            let tag = (ref.tag ?? "latest") + (ref.digest.map { "@" + $0 } ?? "")
            values[name] = ref.description
            values[name + "_REPOSITORY"] = "\(ref.registry)/\(ref.repository)"
            values[name + "_TAG"] = tag
            families[image.key] = [name, name + "_REPOSITORY", name + "_TAG"]
        }
        return (values, families)
    }

    /// Renders the tree for one or more releases: `templates/base/**` is the same for every
    /// release (it must render to the same bytes for each: a release's value in base/ would make the
    /// tree right for one release only), `templates/release/**` is rendered per release into
    /// `releases/<version>/`, the entry Flux's root Kustomization is pointed at. Unknown
    /// placeholders, and values nothing uses, are errors: a variable no template reads is an image
    /// that would silently not be deployed.
    public static func render(_ templates: [Template], inputs: [RenderInput]) throws(RenderError) -> [String: String] {
        var files: [String: String] = [:]
        for input in inputs {
            let (values, families) = try variables(input)
            // What differs from release to release: the version and the images whose tag the release gives.
            let perRelease = Set(
                ["RELEASE_VERSION"] + input.images.filter { if case .release = $0.source { true } else { false } }.flatMap { families[$0.key] ?? [] })
            var used = Set<String>()
            for template in templates.sorted(by: { $0.path < $1.path }) {
                let (text, names) = try template.render(values)
                used.formUnion(names)
                let (path, header) = placement(of: template, input)
                if path == template.path, let name = names.intersection(perRelease).sorted().first {
                    throw RenderError(
                        file: "templates/\(template.path)",
                        reason: "uses ${\(name)}, which differs from release to release: base/ is shared by every release, so it belongs in templates/release/")
                }
                let file = header + text
                if let earlier = files[path], earlier != file {
                    throw RenderError(
                        file: "templates/\(template.path)",
                        reason:
                            "renders differently for releases \(inputs[0].releaseVersion) and \(input.releaseVersion): base/ is shared by every release, so a release's value (an image tag, the version) belongs in templates/release/"
                    )
                }
                // Only base/ is written by every release, the first one first.
                files[path] = file
            }
            for name in ["PROFILE", "RELEASE_VERSION", "FLUX_PATH", "SOURCE_NAME"] where !used.contains(name) {
                throw RenderError(file: "templates", reason: "no template uses ${\(name)}")
            }
            for (key, names) in families.sorted(by: { $0.key < $1.key }) where !input.preFluxKeys.contains(key) && used.isDisjoint(with: names) {
                throw RenderError(
                    file: "templates",
                    reason:
                        "no template uses the image \(key) (${\(names[0])}, ${\(names[1])} or ${\(names[2])}); every Flux-deployed inventory image must be rendered"
                )
            }
        }
        return files
    }

    /// The tree for one release.
    public static func render(_ templates: [Template], input: RenderInput) throws(RenderError) -> [String: String] {
        try render(templates, inputs: [input])
    }

    /// The folder of a release's entry in the rendered tree.
    public static func entry(of release: String) -> String { "releases/\(release)" }

    /// Where a template's output goes, and the header that says where it came from.
    static func placement(of template: Template, _ input: RenderInput) -> (path: String, header: String) {
        let perRelease = "release/"
        guard template.path.hasPrefix(perRelease) else {
            return (template.path, "# Rendered by alga-release render from templates/\(template.path), the same for every release. Do not edit.\n")
        }
        return (
            entry(of: input.releaseVersion) + "/" + template.path.dropFirst(perRelease.count),
            "# Rendered by alga-release render \(input.releaseVersion) --profile \(input.profile) from templates/\(template.path). Do not edit.\n"
        )
    }

    /// Reads every `*.yaml` under `directory`, with paths relative to it.
    public static func loadTemplates(_ directory: String) throws(RenderError) -> [Template] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RenderError(
                file: directory,
                reason: "no templates directory here (\(FileManager.default.currentDirectoryPath)); run from the repository root or give --templates")
        }
        guard let files = TreeWriter.yamlFiles(under: directory) else {
            throw RenderError(file: directory, reason: "no such templates directory")
        }
        var templates: [Template] = []
        for (relative, url) in files {
            guard let data = try? RegularFile.read(url.path, maxBytes: JSONFile.maximumSize), let text = String(data: data, encoding: .utf8) else {
                throw RenderError(file: url.path, reason: "cannot be read as UTF-8 (a regular file of at most 4 MiB)")
            }
            templates.append(Template(path: relative, text: text))
        }
        guard !templates.isEmpty else { throw RenderError(file: directory, reason: "no *.yaml templates found") }
        return templates.sorted { $0.path < $1.path }
    }
}
