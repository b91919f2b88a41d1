import ApplianceStatus
import ArchiveRead
import Foundation
import InstallPlan
import JSONDocument
import KubernetesRead
import RegistryCheck
import RegistryRules
import ReleaseModel
import StatusAccess
import TestSupport
import YAMLInput

/// One parser the outside world feeds, driven with arbitrary bytes. A target must never trap,
/// hang or grow without bound; a finding is a crash (libFuzzer) or a failed replay.
enum FuzzTarget: String, CaseIterable {
    /// release.json and appliance.json: the JSON parser, the schema validator, the model loader.
    case json
    /// A snapshot file or a live API answer, through to the status rules.
    case snapshot
    /// A registry's WWW-Authenticate header.
    case challenge
    /// The status page's session cookie, as a browser (or anyone) sends it.
    case cookie
    /// A kubeconfig.
    case kubeconfig
    /// A registry's manifest or index.
    case oci
    /// What a client asks serve-bundle: a request path and a Range header (first line, second line).
    case registryPath = "registry-path"
    /// A bundle's index.json, as serve-bundle and bundle --verify read it, and a mirror's address.
    case layout
    /// An event or condition message, through the status rules' hand-written matchers, which must
    /// find what the regular expressions they replaced find (a disagreement is a finding).
    case messages
    /// YAML from outside (values, kustomizations, tool output, kubeconfigs): the bounded reader,
    /// then what the plan's confinement reads of a kustomization. Must end within its budget.
    case yaml
    /// A `check --format json` report given to `promote --report`, and the rules it is judged by.
    case gateReport = "gate-report"
    /// A registry release's document (the config blob of the release artifact), through the
    /// schema, the rules and the image resolution.
    case registryRelease = "registry-release"
    /// A .tar.gz from outside (a config bundle's layer, a chart): inflated within its caps (the
    /// input as gzip), and read as a tar (the input as the inflated bytes).
    case archive

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let token = String(repeating: "5f0c1e2d", count: 6)
    static let gatedImage = "ghcr.io/nine-minds/alga-psa-ee:a2cbb430"

    func run(_ data: Data) {
        switch self {
        case .json:
            guard let parsed = try? JSONParser.parse(Array(data)) else { return }
            // The loader validates against the model's schema first, so every shape the parser
            // lets through exercises the validator, and near-valid ones (the seed) the loader's rules.
            let (_, diagnostics) = ApplianceDeclaration.load(parsed, file: "fuzz.json")
            _ = Diagnostic.capped(diagnostics).map(\.formatted)
        case .snapshot:
            guard let header = try? SnapshotDecoding.header(data), let kind = header.kind else { return }
            var snapshot = Snapshot()
            try? SnapshotDecoding.add(data, kind: kind, to: &snapshot)
            _ = ApplianceStatusRules.status(snapshot, now: Self.now, model: .standard)
        case .challenge:
            _ = Challenge.parse(String(decoding: data, as: UTF8.self))
        case .cookie:
            let text = String(decoding: data, as: UTF8.self)
            _ = SessionCookie.isValid(text, token: Self.token, now: Self.now)
            _ = SessionCookie.isValid(text, token: Self.token, now: Date(timeIntervalSince1970: 0))
        case .kubeconfig:
            _ = try? Kubeconfig.parse(String(decoding: data, as: UTF8.self), path: "/nonexistent/kubeconfig")
        case .oci:
            _ = try? OCIDocument.decode(data).compressedSize()
        case .registryPath:
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            _ = RegistryPath(lines[0])
            for size in [0, 1, 4096, Int.max] { _ = ByteRange(header: lines.count > 1 ? lines[1] : nil, size: size) }
        case .layout:
            if let index = try? JSONDecoder().decode(ImageLayout.Index.self, from: data) {
                for entry in index.manifests {
                    _ = entry.ref
                    _ = ImageLayout.blobPath(entry.digest)
                    _ = index.entry(repository: entry.ref?.repository ?? "", reference: entry.digest)
                }
            }
            _ = try? RegistryEndpoint(mirror: String(decoding: data.prefix(512), as: UTF8.self), insecure: false)
        case .messages:
            let text = String(decoding: data, as: UTF8.self)
            let disagreements = MessageRegexes.disagreements(text)
            precondition(disagreements.isEmpty, "\(disagreements) on \(text.debugDescription)")
        case .yaml:
            guard let documents = try? BoundedYAML.documents(String(decoding: data, as: UTF8.self)) else { return }
            for document in documents { _ = TreeConfinement.entries(of: document) }
        case .archive:
            let limits = TarArchive.Limits(maxEntries: 1_000, maxBytes: 8 << 20, maxRatio: 200)
            if let inflated = try? TarArchive.gunzip(data, limits: limits) { _ = try? TarArchive.entries(inflated, limits: limits) }
            _ = try? TarArchive.entries(data, limits: limits)
        case .registryRelease:
            let report = RegistryReleaseRules.validate(
                data, name: "oci://fuzz/release@sha256:0#config", readBy: .channel("stable"),
                yamlProblem: { text in (try? BoundedYAML.documents(text)) == nil ? "not YAML" : nil })
            _ = report.images
            _ = report.diagnostics.map(\.formatted)
        case .gateReport:
            guard let record = try? GateRecord.read(data), let ref = try? ImageReference(parsing: Self.gatedImage) else { return }
            _ =
                record.refusal(release: "1.0-rc5", current: [ResolvedImage(commandLine: ref, text: Self.gatedImage)], now: Self.now, maxAge: 86_400)?
                .description
        }
    }
}
