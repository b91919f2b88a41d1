import ApplianceStatus
import ArgumentParser
import Foundation
import JSONDocument
import KubernetesRead
import ReleaseModel
import StatusOptions
import TextFormat

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What the appliance is doing: can the owner log in yet, and if not, what is blocking.",
        discussion: """
            The source is one of: --snapshot DIR (every *.json that is a Kubernetes List, e.g. kubectl get ... -o json; an optional probes.json with observedAt, readyz, loginProbe, seededUsersCount; previous logs under logs/<namespace>/<pod>/<container>.previous.log), --kubeconfig FILE (current context; CA, client certificate and key or token), or --in-cluster (the pod's service account). The live readers only read: concurrent paginated lists, /readyz, previous logs of crash-looping containers, and an HTTP HEAD login probe (--login-url to choose its target; --probes FILE replaces the live probes and fixes the clock).

            Example: alga-release status --snapshot Tests/Fixtures/k8s/core-image-pulling --format json

            Exit 0 whatever the appliance's state (the status is the output); 2 when the input cannot be read; 3 when the cluster cannot be reached (or not within --timeout); 64 on usage errors.
            """)

    @OptionGroup var sourceOptions: StatusSourceOptions

    @Option(help: "A probes.json that replaces the live probes (readyz, login probe, seeded users) and fixes the clock.")
    var probes: String?

    @Option(help: "Seconds for the whole live observation, every answer's body included.")
    var timeout: Double = 30

    func validate() throws {
        if let problem = RunLimits.seconds(timeout, name: "--timeout") { throw ValidationError(problem) }
    }

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "The release the appliance was installed from (a version, channel:NAME or a path), reported in the document.")
    var release: String?

    @Option(name: .customLong("releases-dir"), help: "The releases directory for --release, relative to the working directory.")
    var releasesDirectory: String = "releases"

    func run() async throws {
        let sizes = try format.reportingInputErrors { try sourceOptions.sizes() }
        let fixedProbes = try format.reportingInputErrors { try probes.map { path throws(InputError) in try Self.readProbes(path) } }
        let appliance = try format.reportingInputErrors { try sourceOptions.appliance() }
        let releaseInfo = try format.reportingInputErrors {
            try release.map { argument -> StatusDocument.ReleaseInfo in
                let report = try ReleaseValidator.validate(argument, releasesDirectory: releasesDirectory)
                return StatusDocument.ReleaseInfo(
                    releaseVersion: report.release, appVersion: report.manifest?.appVersion, channel: report.location.channel?.name ?? report.manifest?.channel,
                    releaseBranch: report.manifest?.releaseBranch)
            }
        }
        let source = try format.reportingInputErrors { try sourceOptions.source(model: appliance) }
        let observed: Snapshot
        do {
            observed = try await source.collect(probes: fixedProbes, timeout: timeout)
            await source.shutdown()
        } catch let error as InputError {
            if format == .json { try Console.json(InputErrorDocument(error: error)) }
            throw error
        } catch {
            await source.shutdown()
            Console.error("error: the cluster cannot be reached: \(error)")
            throw ExitCode(ExitStatus.indeterminate)
        }
        let document = ApplianceStatusRules.status(
            observed, now: observed.probes?.observedAt ?? Date(), release: releaseInfo, size: sizes.size(of:), model: appliance)
        switch format {
        case .json:
            try Console.json(document)
        case .text:
            Console.output(Self.text(document))
        }
    }

    static func readProbes(_ path: String) throws(InputError) -> Probes {
        let data = try InputFile.read(path, what: "probes file", maxBytes: JSONFile.maximumSize)
        do {
            return try SnapshotDecoding.decoder().decode(Probes.self, from: data)
        } catch {
            throw InputError(file: path, reason: "not a probes document: \((error as? DecodingError)?.readable ?? "not JSON")")
        }
    }

    /// A summary a person reads in five seconds: rollup, tiers, blockers with next actions, pulls.
    static func text(_ d: StatusDocument) -> String {
        // The message already says the state in words; the state's name follows for scripts that grep it.
        var lines = ["\(d.rollup.message) [\(d.rollup.state.rawValue)]", "next: \(d.rollup.nextAction)", ""]
        for (name, tier) in d.tiers.inOrder {
            lines.append("\(tier.ready ? "ok  " : "WAIT") \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(tier.reason)")
        }
        for operation in d.activeOperations {
            let size = operation.estimatedSizeBytes.map { ", about \(ByteSize.text($0))" } ?? ""
            lines.append("")
            lines.append(
                "pulling \(operation.image) for \(operation.elapsedSeconds / 60)m\(operation.elapsedSeconds % 60)s\(size) (\(operation.pods.joined(separator: ", ")))"
            )
        }
        for (i, blocker) in d.topBlockers.enumerated() {
            lines.append("")
            lines.append(
                "\(i + 1). \(blocker.kind.rawValue) [\(blocker.component), \(blocker.loginBlocking ? "blocks login" : blocker.severity.rawValue)]: \(blocker.reason)"
            )
            lines.append("   evidence: \(blocker.evidence)")
            lines.append("   next: \(blocker.nextAction)")
            for command in blocker.commands { lines.append("     $ \(command.command)    # \(command.purpose); needs the \(command.needs.file)") }
        }
        return lines.joined(separator: "\n")
    }
}
