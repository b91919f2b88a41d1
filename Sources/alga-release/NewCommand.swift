import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

struct NewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new release from the previous one, with every field that names the release derived from its version.",
        discussion: """
            releaseVersion, app.version, app.releaseBranch and os.iso.localPath say VERSION where they named the previous release (the fields lint.copied-field checks); generatedAt is now (UTC) unless --date; the image tags are the previous release's unless --set KEY=TAG. VERSION must be newer than --from by the project's version order (unless --allow-older) and must not exist. The result is validated with the releases folder's schema and model first; an invalid one is not written. The file is written atomically, and what changed is printed.

            --check gates the new release's images first, as `check 1.0-rc6 --policy gate` would with the same registry options (--mirror, credentials, --timeout, ...); unless the verdict is pass, the check's report is printed and nothing is written.

            Example: alga-release new 1.0-rc6 --from 1.0-rc5.1 --set algaCore=b7d1e2f0 --check

            Exit 0 written; 1 the result is invalid or, with --check, an image fails the gate (nothing written); 3 with --check, a registry could not be asked (nothing written); 2 unusable input (an existing VERSION, an older one, an unknown key, an unreadable --from); 64 on usage errors.
            """)

    @Argument(help: "The new release's version (e.g. 1.0-rc6).")
    var version: String

    @Option(help: "The release to start from (a version, channel:NAME, or a path).")
    var from: String

    @Option(name: .customLong("set"), help: "Retag an image: KEY=TAG, KEY one of the release's app.images keys. Repeatable.")
    var sets: [String] = []

    @Option(help: "generatedAt, RFC 3339 (default: now, UTC).")
    var date: String?

    @Flag(help: "Allow a version that is not newer than --from.")
    var allowOlder = false

    @Flag(help: "Gate the new release's images first (policy gate, with the registry options below); write nothing unless it passes.")
    var check = false

    @OptionGroup var options: ReleaseOptions

    /// For `--check`: as `check` asks registries.
    @OptionGroup(title: "Registry options (with --check)") var registry: RegistryOptions

    func validate() throws {
        guard ReleaseVersion(version) != nil else { throw ValidationError("\(version) is not a release version (e.g. 1.0-rc6, 1.1.0)") }
        for set in sets where set.split(separator: "=", maxSplits: 1).count != 2 { throw ValidationError("--set takes KEY=TAG, not \(set)") }
        if let date, !Formats.isDateTime(date) { throw ValidationError("--date must be an RFC 3339 date-time (2026-12-01T00:00:00Z), not \(date)") }
    }

    func run() async throws {
        let store = ReleaseStore(directory: options.releasesDirectory)
        let target = URL(fileURLWithPath: store.directory).appendingPathComponent(version)
        guard !FileManager.default.fileExists(atPath: target.path) else {
            throw InputError(file: target.path, reason: "exists already: new never overwrites a release (edit it, or choose another version)")
        }
        let previous = try options.validate(from)
        guard let document = previous.document else {
            throw InputError(file: previous.location.file, reason: "cannot be read as a release manifest; fix it first (alga-release validate)")
        }
        if !allowOlder, let new = ReleaseVersion(version), let old = ReleaseVersion(previous.release), !(old < new) {
            throw InputError(
                file: previous.location.file, reason: "\(version) is not newer than \(previous.release); give --allow-older to write it anyway")
        }
        let tags = Dictionary(
            sets.map { set in
                let parts = set.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts[1])
            }
        ) { $1 }
        let generatedAt = date ?? ISO8601DateFormatter().string(from: Date())
        let draft: (manifest: JSONNode, changes: [ReleaseDraft.Change])
        do {
            draft = try ReleaseDraft.derive(from: document, version: version, generatedAt: generatedAt, tags: tags)
        } catch {
            throw InputError(file: previous.location.file, reason: error.description)
        }
        let text = JSONWriter.text(draft.manifest)

        // Validated where it will live, before anything is written there: a scratch folder named
        // like the release, with the real releases folder's schema and model.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("alga-new-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let candidate = scratch.appendingPathComponent(version).appendingPathComponent("release.json")
        do {
            try FileManager.default.createDirectory(at: candidate.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: candidate)
        } catch {
            throw InputError(file: candidate.path, reason: "cannot write a scratch copy: \(error.localizedDescription)")
        }
        let report = try ReleaseValidator.validate(candidate.path, releasesDirectory: store.directory, modelFile: options.model, lockFile: nil)
        guard report.errors.isEmpty else {
            for error in report.errors { Console.output(error.formatted) }
            Console.error("new: \(version) would not be valid (\(report.errors.count) error\(report.errors.count == 1 ? "" : "s")); nothing written")
            throw ExitCode(ExitStatus.failed)
        }
        var gateLine: String?
        if check, let images = report.images {
            let gate = try await registry.gate(images, release: version, policy: .gate)
            try RegistryOptions.requirePass(gate, command: "new")
            gateLine = "gate: pass (\(gate.images.count) image\(gate.images.count == 1 ? "" : "s") present)"
        }

        // Atomic: the file appears whole or not at all, and its folder only with it.
        let file = target.appendingPathComponent("release.json")
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
            try AtomicFile.write(Data(text.utf8), to: file.path)
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw InputError(
                file: file.path,
                reason: "cannot write the release (nothing was written): \((error as? AtomicFile.Failure)?.reason ?? error.localizedDescription)")
        }
        var lines = ["wrote \(file.path) from \(previous.release):"]
        lines += draft.changes.map { "  \($0.pointer): \($0.from) -> \($0.to)" }
        if let gateLine { lines.append(gateLine) }
        Console.output(lines.joined(separator: "\n"))
    }
}
