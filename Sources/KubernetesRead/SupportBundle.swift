import ApplianceModel

/// How an owner captures what the status reader saw, so it can be replayed with `--snapshot`:
/// one `kubectl get -o json` per list the live reader reads.
public enum SupportBundle {
    public static let folder = "alga-status-snapshot"

    /// The commands, derived from `LiveCluster.lists(for:)` so the two cannot drift apart.
    public static func commands(for model: ApplianceModel) -> [String] {
        ["mkdir -p \(folder)"] + LiveCluster.lists(for: model).map(command(for:)) + [
            "kubectl get --raw /readyz > \(folder)/readyz.txt",
            "alga-release status --snapshot \(folder) --format json > \(folder)/status.json",
        ]
    }

    /// `/apis/helm.toolkit.fluxcd.io/v2/namespaces/alga-system/helmreleases` ->
    /// `kubectl get helmreleases.helm.toolkit.fluxcd.io -n alga-system -o json > .../helmreleases-alga-system.json`.
    static func command(for path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        let group = parts.first == "apis" ? parts[1] : nil
        let resource = parts.last ?? ""
        let namespace = parts.firstIndex(of: "namespaces").map { parts[$0 + 1] }
        let qualified = group.map { "\(resource).\($0)" } ?? resource
        let scope = namespace.map { " -n \($0)" } ?? (resource == "events" ? " -A" : "")
        let file = namespace.map { "\(resource)-\($0).json" } ?? "\(resource).json"
        return "kubectl get \(qualified)\(scope) -o json > \(folder)/\(file)"
    }
}
