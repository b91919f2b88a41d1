import ArgumentParser
import Foundation
import JSONDocument
import RegistryRules
import ReleaseModel

struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Point a channel at a release, only when the release validates and the gate passes: its images are there.",
        discussion: """
            Without --report, the gate runs first, as `check VERSION --policy gate` would with the same registry options (--mirror, credentials, --timeout, ...); unless its verdict is pass, the check's report is printed and the channel is not touched. --report is a `check VERSION --policy gate --format json` report of that very release with verdict pass, finished within --max-age (default 24 h): every image the release names now must be in it, present, at the digest the release pins; a report for another release or policy, a failing, stale or future one, one whose verdict does not follow from its images, one with a duplicated key, or one that misses an image the release names now is refused. The release must validate. A channel never moves to an older release unless --allow-downgrade; a channel file that does not exist yet is made only with --create. channels/CHANNEL.json keeps its other fields and their order; releaseVersion, updatedAt (now) and, with --repo-branch, repoBranch change. Written atomically; prints before -> after.

            Example: alga-release promote stable 1.0-rc6
            Example: alga-release promote stable 1.0-rc6 --report gate.json (after alga-release check 1.0-rc6 --policy gate --format json > gate.json)

            Exit 0 promoted; 1 an image fails the gate run here; 3 a registry could not be asked; 2 refused or unusable input (the reason names the file); 64 on usage errors.
            """)

    @Argument(help: "The channel (stable, nightly, ...).")
    var channel: String

    @Argument(help: "The release version to point it at.")
    var version: String

    @Option(help: "A check --policy gate --format json report of the release, with verdict pass (default: run the gate now).")
    var report: String?

    @Option(name: .customLong("max-age"), help: "Seconds a report stays good.")
    var maxAge: Double = 86_400

    @Option(
        name: .customLong("repo-branch"), help: "The branch Flux syncs for this channel (default: unchanged; for --create, the release's app.releaseBranch).")
    var repoBranch: String?

    @Flag(name: .customLong("allow-downgrade"), help: "Allow moving the channel to an older release.")
    var allowDowngrade = false

    @Flag(help: "Make the channel file when it does not exist yet.")
    var create = false

    @OptionGroup var options: ReleaseOptions

    /// Without `--report`: as `check` asks registries.
    @OptionGroup(title: "Registry options (without --report)") var registry: RegistryOptions

    func validate() throws {
        guard channel.wholeMatch(of: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/) != nil else {
            throw ValidationError("\(channel) is not a channel name (lowercase letters, digits, -)")
        }
        guard ReleaseVersion(version) != nil else { throw ValidationError("\(version) is not a release version") }
        if let problem = RunLimits.seconds(maxAge, name: "--max-age") { throw ValidationError(problem) }
    }

    func run() async throws {
        let release = try options.validate(version)
        guard release.errors.isEmpty, release.release == version else {
            for error in release.errors { Console.error(error.formatted) }
            throw InputError(file: release.location.file, reason: "release \(version) is not valid; a channel never points at an invalid release")
        }
        let (_, images, _) = try options.images(version)
        if let report {
            try checkReport(report, images: images)
        } else {
            try RegistryOptions.requirePass(try await registry.gate(images, release: version, policy: .gate), command: "promote")
        }

        let store = ReleaseStore(directory: options.releasesDirectory)
        let file = URL(fileURLWithPath: store.directory).appendingPathComponent("channels/\(channel).json")
        let now = ISO8601DateFormatter().string(from: Date())
        var document: JSONNode
        var before = "(none)"
        if FileManager.default.fileExists(atPath: file.path) {
            let current = try store.channel(channel)
            before = current.releaseVersion
            if !allowDowngrade, let old = ReleaseVersion(current.releaseVersion), let new = ReleaseVersion(version), new < old {
                throw InputError(
                    file: file.path, reason: "\(channel) points at \(current.releaseVersion), newer than \(version); give --allow-downgrade to move it back")
            }
            document = try JSONFile.read(file.path).root
        } else {
            guard create else {
                throw InputError(file: file.path, reason: "channel \(channel) does not exist; give --create to make it")
            }
            let origin = SourceLocation(line: 1, column: 1)
            document = JSONNode(.object([]), at: origin)
            document = document.setting(["channel"], to: .string(channel)) ?? document
            let branch = repoBranch ?? release.manifest.map(\.releaseBranch).flatMap { $0.isEmpty ? nil : $0 }
            if let branch { document = document.setting(["repoBranch"], to: .string(branch)) ?? document }
        }
        for (key, value) in [("releaseVersion", version), ("updatedAt", now)] + (repoBranch.map { [("repoBranch", $0)] } ?? []) {
            document = document.setting([key], to: .string(value)) ?? document
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data(JSONWriter.text(document).utf8), to: file.path)
        } catch {
            throw InputError(
                file: file.path, reason: "cannot write the channel (it is unchanged): \((error as? AtomicFile.Failure)?.reason ?? error.localizedDescription)")
        }
        Console.output("channel \(channel): \(before) -> \(version)")
    }

    /// The report must be a passing gate of this very release as it is now (`GateRecord.refusal`).
    func checkReport(_ report: String, images: [ResolvedImage]) throws(InputError) {
        let data = try InputFile.read(report, what: "gate report", maxBytes: JSONFile.maximumSize)
        do throws(GateRecord.Refusal) {
            let record = try GateRecord.read(data)
            if let refusal = record.refusal(release: version, current: images, now: Date(), maxAge: maxAge) { throw refusal }
        } catch {
            throw InputError(file: report, reason: error.description)
        }
    }
}
