/// Where one component is, kstatus-style.
public enum ComponentState: String, Encodable, Sendable, Equatable, CaseIterable {
    case ready
    /// Pods are being created, pulled or rolled out.
    case progressing
    /// Its HelmRelease waits for another to be Ready.
    case waitingForDependency = "waiting_for_dependency"
    /// Neither the workload nor its HelmRelease exists yet.
    case notInstalled = "not_installed"
    case notReady = "not_ready"
}
