import JSONDocument

/// The Talos machine-config patch that sends the node's pulls of each source registry to a mirror
/// (`machine.registries.mirrors`). With a repository prefix the endpoint is the mirror's `/v2/PREFIX`
/// and `overridePath` keeps containerd from adding `/v2` again, so `ghcr.io/nine-minds/x` is asked
/// for as `PREFIX/nine-minds/x`, where `mirror` put it.
public enum TalosMirrorPatch {
    public static func yaml(registries: [String], endpoint: RegistryEndpoint) -> String {
        let url = endpoint.repositoryPrefix.map { "\(endpoint.baseURL)/v2/\($0)" } ?? endpoint.baseURL
        var lines = [
            "# Talos machine config patch (talosctl patch mc --patch @mirrors.yaml): the node pulls these registries from the mirror.",
            "# skipFallback: true keeps it from trying the internet when the mirror lacks an image (air-gapped sites).",
            "machine:", "  registries:", "    mirrors:",
        ]
        for registry in registries {
            // Double-quoted YAML is JSON's string: whatever a reference's host holds stays a key.
            lines.append("      \(JSONWriter.quoted(registry)):")
            lines.append("        endpoints:")
            lines.append("          - \(JSONWriter.quoted(url))")
            if endpoint.repositoryPrefix != nil { lines.append("        overridePath: true") }
            lines.append("        skipFallback: false")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
