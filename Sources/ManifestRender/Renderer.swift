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

    /// Renders every template. Unknown placeholders, and values nothing uses, are errors: a
    /// variable no template reads is an image that would silently not be deployed.
    public static func render(_ templates: [Template], input: RenderInput) throws(RenderError) -> [String: String] {
        let (values, families) = try variables(input)
        var files: [String: String] = [:]
        var used = Set<String>()
        for template in templates.sorted(by: { $0.path < $1.path }) {
            let (text, names) = try template.render(values)
            files[template.path] =
                "# Rendered by alga-release render \(input.releaseVersion) --profile \(input.profile) from templates/\(template.path). Do not edit.\n" + text
            used.formUnion(names)
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
        return files
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
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                throw RenderError(file: url.path, reason: "cannot be read as UTF-8")
            }
            templates.append(Template(path: relative, text: text))
        }
        guard !templates.isEmpty else { throw RenderError(file: directory, reason: "no *.yaml templates found") }
        return templates.sorted { $0.path < $1.path }
    }
}
