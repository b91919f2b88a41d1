import ApplianceStatus
import ArgumentParser
import Foundation
import KubernetesRead
import ReleaseModel

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What the appliance is doing: can the owner log in yet, and if not, what is blocking.",
        discussion: """
            Reads a snapshot folder: every *.json that is a Kubernetes List (kubectl get ... -o json), an optional probes.json (observedAt, readyz, loginProbe, seededUsersCount) and previous logs under logs/<namespace>/<pod>/<container>.previous.log. The live API readers (--kubeconfig, --in-cluster) are not written yet.

            Exit 0 whatever the appliance's state (the status is the output); 2 when the snapshot cannot be read.
            """)

    @Option(help: "A snapshot folder.")
    var snapshot: String

    @Option(help: "Registry lock (check --write-lock): sizes of images being pulled.")
    var lock: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let (document, _) = try format.reportingInputErrors { () throws -> (StatusDocument, Void) in
            let snapshot = try SnapshotFolder.read(self.snapshot)
            let sizes = LockSizes(try lock.map { path throws(InputError) in try RegistryLock.read(path) })
            return (ApplianceStatusRules.status(snapshot, now: snapshot.probes?.observedAt ?? Date(), size: sizes.size(of:)), ())
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            Console.output(String(decoding: try encoder.encode(document), as: UTF8.self))
        case .text:
            Console.output(Self.text(document))
        }
    }

    /// A summary a person reads in five seconds: rollup, tiers, blockers with next actions, pulls.
    static func text(_ d: StatusDocument) -> String {
        var lines = ["\(d.rollup.state.rawValue): \(d.rollup.message)", "next: \(d.rollup.nextAction)", ""]
        let tiers = [("platform", d.tiers.platform), ("core", d.tiers.core), ("bootstrap", d.tiers.bootstrap), ("login", d.tiers.login), ("background", d.tiers.background)]
        for (name, tier) in tiers { lines.append("\(tier.ready ? "ok  " : "WAIT") \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(tier.reason)") }
        for operation in d.activeOperations {
            let size = operation.estimatedSizeBytes.map { String(format: ", about %.1f GB", Double($0) / 1e9) } ?? ""
            lines.append("")
            lines.append("pulling \(operation.image) for \(operation.elapsedSeconds / 60)m\(operation.elapsedSeconds % 60)s\(size) (\(operation.pods.joined(separator: ", ")))")
        }
        for (i, blocker) in d.topBlockers.enumerated() {
            lines.append("")
            lines.append("\(i + 1). \(blocker.kind.rawValue) [\(blocker.component), \(blocker.loginBlocking ? "blocks login" : "background")]: \(blocker.reason)")
            lines.append("   evidence: \(blocker.evidence)")
            lines.append("   next: \(blocker.nextAction)")
        }
        return lines.joined(separator: "\n")
    }
}
