import Foundation

/// The system programs some suites need (Debian packages `scripts/test` installs, and the Helm front it puts in .venv-test). A suite that
/// needs one is enabled when it is installed, so a plain `swift test` on a laptop passes; under
/// `scripts/test` (ALGA_REQUIRE_SYSTEM_TOOLS=1) it is always enabled, so a missing program fails
/// the run instead of skipping the suite: CI never skips a suite silently.
public enum SystemTool: String, CaseIterable, Sendable {
    case dockerRegistry = "docker-registry"
    case htpasswd
    case openssl
    case chromium
    /// `helm template`: Helm, or the helm-python-sdk front scripts/test installs in .venv-test.
    case helm
    /// kustomize, as `kubectl kustomize`.
    case kubectl
    /// The peer that copies images (containers/image): what `mirror` and `bundle` are checked against.
    case skopeo
    /// The test venv's Python with oras-py and the Helm engine (scripts/lib/registry_release_lab.py):
    /// the independent clients that publish and read registry releases.
    case oras

    /// Where it may be installed (Chromium has several names).
    var candidates: [String] {
        switch self {
        case .chromium: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        case .helm:
            [
                ProcessInfo.processInfo.environment["ALGA_HELM"] ?? "", packageRoot.appendingPathComponent(".venv-test/bin/helm").path, "/usr/local/bin/helm",
                "/usr/bin/helm",
            ]
        case .oras: [packageRoot.appendingPathComponent(".venv-test/bin/python").path]
        default: ["/usr/bin/\(rawValue)", "/usr/local/bin/\(rawValue)"]
        }
    }

    public var path: String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// Whether the suites that need every one of `tools` run.
    public static func available(_ tools: SystemTool...) -> Bool {
        ProcessInfo.processInfo.environment["ALGA_REQUIRE_SYSTEM_TOOLS"] == "1" || tools.allSatisfy { $0.path != nil }
    }
}
