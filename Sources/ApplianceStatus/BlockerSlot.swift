/// A fact a detector found that a blocker's words name: the `{slot}` places in a
/// `BlockerCause`'s reason and next action.
public enum BlockerSlot: String, CaseIterable, Sendable {
    case node, host, resolver, claim, storageClass, provided, component, volume, pod, container, namespace, appNamespace, image, job, failure
    case kind, object, conditionReason
}
