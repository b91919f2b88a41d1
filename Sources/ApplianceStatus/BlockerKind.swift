import ApplianceModel
import Foundation

/// Blocker kinds, most fundamental first: the order is the precedence.
public enum BlockerKind: String, Encodable, Sendable, Equatable, CaseIterable, Comparable {
    case kubernetesUnavailable = "kubernetes_unavailable"
    case dnsResolution = "dns_resolution"
    case postgresPVCSubpath = "postgres_pvc_subpath"
    case volumeProvisioningFailed = "volume_provisioning_failed"
    case imageTagMissing = "image_tag_missing"
    case imagePullDenied = "image_pull_denied"
    case bootstrapJobFailed = "bootstrap_job_failed"
    case temporalSchema = "temporal_schema"
    case serviceLinkCollision = "service_link_collision"
    case crashLoop = "crash_loop"
    case imagePullInterrupted = "image_pull_interrupted"
    case fluxSourceFailure = "flux_source_failure"
    case helmReleaseFailure = "helm_release_failure"
    case workloadNotReady = "workload_not_ready"

    public static func < (a: BlockerKind, b: BlockerKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
