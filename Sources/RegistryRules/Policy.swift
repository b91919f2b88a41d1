import ReleaseModel

/// What a result means for a release. Pure functions: the same results give the same verdict.
public enum Policy: String, Sendable, CaseIterable, Codable {
    /// CI and release engineers: anything that cannot be pulled fails.
    case gate
    /// The appliance bootstrap: platform, core and login images must be pullable; background ones
    /// warn; an image of unknown tier (given with --ref) must be pullable too.
    case preflight
}

extension Policy {
    /// - Parameter platform: the platform the check asked for (`--platform`), for the next action.
    public func finding(for checked: CheckedImage, platform: String) -> Finding {
        let status = checked.result.status
        // The release engineer's gate fails an image the appliance pulls and the model does not
        // declare, whatever the registry says: nothing else would check it next time.
        if self == .gate, case .undeclared(let pulledBy) = checked.image.source {
            return Finding(
                verdict: .fail,
                nextAction:
                    "declare \(checked.image.ref) in releases/\(ApplianceDeclaration.fileName) (usedBy the component of \(pulledBy), at its value paths, or as a literal the HelmRelease's postRenderers pin)"
                    + (status == .present ? "" : "; and \(Self.nextAction(for: checked, platform: platform))"))
        }
        if status == .present { return Finding(verdict: .pass, nextAction: nil) }
        let action = Self.nextAction(for: checked, platform: platform)
        switch self {
        case .gate:
            return Finding(verdict: status.isDefiniteFailure ? .fail : .indeterminate, nextAction: action)
        case .preflight:
            // Background never blocks login, so it never blocks the install either. An image of
            // unknown tier (given with --ref) is taken as one the install needs.
            if checked.image.tier == .background { return Finding(verdict: .warn, nextAction: action) }
            return Finding(verdict: status.isDefiniteFailure ? .fail : .warn, nextAction: action)
        }
    }

    /// The run's verdict: the worst image verdict; under gate an unknown result that is not outweighed
    /// by a failure makes it indeterminate rather than pass.
    public func verdict(for images: [CheckedImage]) -> Verdict {
        // The verdict does not depend on the platform, only the next action's words do.
        let worst = images.map { finding(for: $0, platform: "").verdict }.max() ?? .pass
        // A registry the network could not reach at all tells pre-flight nothing about its images:
        // that is no warning to install past, it is indeterminate (the seed's first failure was a
        // DNS server refusing).
        if self == .preflight, worst < .indeterminate, !Self.unreachableRegistries(images).isEmpty { return .indeterminate }
        return worst
    }

    /// The verdict against a lock (`--verify-lock`): a moved tag fails whatever the policy, since
    /// what was checked is no longer what would be deployed.
    public func verdict(for images: [CheckedImage], moved: [MovedTag]) -> Verdict { moved.isEmpty ? verdict(for: images) : .fail }

    /// Registries (or their mirrors) where every image failed at the network level (DNS, connect),
    /// with the first failure's words and how many images were not checked.
    public static func unreachableRegistries(_ images: [CheckedImage]) -> [(host: String, failure: TransportFailure, detail: String, images: Int)] {
        var order: [String] = []
        var byHost: [String: [CheckedImage]] = [:]
        for image in images {
            let host = image.checkedAt ?? image.image.ref.registry
            if byHost[host] == nil { order.append(host) }
            byHost[host, default: []].append(image)
        }
        return order.compactMap { host in
            let all = byHost[host] ?? []
            guard let first = all.first?.result, let failure = first.transport, [.dns, .connect].contains(failure),
                all.allSatisfy({ $0.result.status == .unreachable && [.dns, .connect].contains($0.result.transport) })
            else { return nil }
            return (host, failure, first.detail, all.count)
        }
    }

    /// What to publish, or which field to fix, for a reference that is not there, by where it is named.
    static func publishAction(for image: ResolvedImage) -> String {
        let ref = image.ref.description
        switch image.source {
        case .release(let key): return "publish \(ref) or fix app.images.\(key) in the release manifest"
        case .pinned: return "publish \(ref) or fix its tag in releases/\(ApplianceDeclaration.fileName)"
        case .commandLine: return "publish \(ref) or fix the reference"
        case .undeclared(let pulledBy): return "publish \(ref) or change what \(pulledBy) pulls"
        case .chart(let helmRelease): return "push the chart \(ref) (helm push) or fix the chart version of \(helmRelease)"
        case .document(let pointer): return "publish \(ref) or fix \(pointer) in the release document"
        case .artifact(.release, _): return "publish the release \(ref) (alga-release publish) or fix the reference"
        case .artifact(.config, let pointer):
            return "push the config bundle \(ref) or fix \(pointer) in the release document (alga-release publish pushes both)"
        case .artifact(.chart, let pointer): return "push the chart \(ref) (helm push) or fix \(pointer) in the release document"
        }
    }

    static func nextAction(for checked: CheckedImage, platform: String) -> String {
        let ref = checked.image.ref.description
        switch checked.result.status {
        case .present: return ""
        case .missingTag: return publishAction(for: checked.image)
        case .missingRepository where checked.image.source.pointer != nil:
            // A registry release's reference: what to push, and the field of the document to fix.
            return publishAction(for: checked.image)
        case .missingRepository:
            return
                "the repository \(checked.image.ref.registry)/\(checked.image.ref.repository) does not exist: publish the image or fix the repository in releases/\(ApplianceDeclaration.fileName)"
        case .denied:
            return "make the package public (the appliance pulls anonymously) or check the repository name; with credentials, check they can read it"
        case .platformMissing:
            return "publish a \(platform) image for \(ref)"
        case .wrongKind:
            return "push the right artifact as \(ref), or fix \(checked.image.source.pointer ?? "the reference") to name it"
        case .rateLimited:
            return "the check could not be made (rate-limited): run it again later or with credentials"
        case .unreachable:
            return "the check could not be made: check the network path to \(checked.checkedAt ?? checked.image.ref.registry) and run it again"
        }
    }
}
