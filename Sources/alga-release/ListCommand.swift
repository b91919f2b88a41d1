import ArgumentParser
import Foundation
import JSONDocument
import RegistryCheck
import ReleaseModel
import TextFormat

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List releases (oldest first, by SemVer precedence: 1.0-rc5 < 1.0-rc5.1 < 1.0 < 1.0.1) and channels.",
        discussion: """
            Example: alga-release list --format json

            Exit 0 with the list; 2 when the releases directory is missing, a file, or holds no release and no channel; 64 on usage errors.
            """)

    @Argument(help: "A registry release repository, oci://HOST/REPO: its version and channel tags (default: the git releases of --releases-dir).")
    var repository: String?

    @Option(name: .customLong("releases-dir"), help: "The releases directory, relative to the working directory.")
    var releasesDirectory: String = "releases"

    @OptionGroup(title: "Registry options (oci://...)") var registry: RegistryOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    struct ChannelEntry: Encodable {
        var name: String
        var releaseVersion: String?
        var repoBranch: String?
        var exists: Bool
        var problem: String?
        /// The file is fine but names no release yet (`releaseVersion` null or empty).
        var unreleased = false
    }

    func run() async throws {
        if let repository { return try await listRegistry(repository) }
        let store = ReleaseStore(directory: releasesDirectory)
        try format.reportingInputErrors {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: releasesDirectory, isDirectory: &isDirectory) else {
                throw InputError(
                    file: releasesDirectory,
                    reason: "no such releases directory (--releases-dir, relative to the working directory)\(ReleaseStore.registryHint)")
            }
            guard isDirectory.boolValue else {
                throw InputError(file: releasesDirectory, reason: "is a file; --releases-dir takes the folder that holds <version>/release.json and channels/")
            }
            guard !store.releases().isEmpty || !store.channelNames().isEmpty else {
                throw InputError(
                    file: releasesDirectory, reason: "holds no release (<version>/release.json) and no channel (channels/*.json): is it the releases folder?")
            }
        }
        let releases = store.releases()
        let channels = store.channelNames().map { name -> ChannelEntry in
            do {
                let channel = try store.channel(name)
                return ChannelEntry(
                    name: name, releaseVersion: channel.releaseVersion, repoBranch: channel.repoBranch,
                    exists: releases.contains(channel.releaseVersion), problem: nil)
            } catch {
                return ChannelEntry(
                    name: name, releaseVersion: nil, repoBranch: nil, exists: false, problem: "\(error)",
                    unreleased: (error as? InputError)?.pointer == JSONPointer(["releaseVersion"]))
            }
        }
        switch format {
        case .json:
            struct Document: Encodable {
                var releases: [String]
                var channels: [ChannelEntry]
            }
            try Console.json(Document(releases: releases, channels: channels))
        case .text:
            // One release per line, then one channel per line in the channel:NAME form commands accept.
            var lines = releases
            for channel in channels {
                if channel.problem != nil, channel.unreleased {
                    lines.append("channel:\(channel.name) -> (no release yet)")
                } else if let problem = channel.problem {
                    lines.append("channel:\(channel.name) -> (unreadable: \(problem))")
                } else {
                    let branch = channel.repoBranch.map { " (branch \($0))" } ?? ""
                    lines.append("channel:\(channel.name) -> \(channel.releaseVersion!)\(branch)\(channel.exists ? "" : " (release missing)")")
                }
            }
            Console.output(lines.joined(separator: "\n"))
        }
    }

    struct RegistryListing: Encodable {
        var repository: String
        var tags: [RegistryReleaseReader.Tag]
    }

    /// `list oci://HOST/REPO`: every tag, the manifest it names and the release version it says.
    func listRegistry(_ argument: String) async throws {
        let ref = try format.reportingInputErrors { try RegistryReleaseInput.reference(argument, requireReference: false) }
        switch await RegistryReleaseReader.list(ref, options: try registry.source()) {
        case .failure(.registry(let result)) where [.unreachable, .rateLimited].contains(result.status):
            Console.error("error: \(argument): the registry could not be asked (\(result.status.rawValue)): \(result.detail)")
            throw ExitCode(ExitStatus.indeterminate)
        case .failure(let failure):
            throw try format.reportingInputErrors { InputError(file: argument, reason: failure.description) }
        case .success(let tags):
            switch format {
            case .json: try Console.json(RegistryListing(repository: argument, tags: tags))
            case .text:
                let rows = tags.map { tag in
                    [
                        tag.tag, tag.version.map { ReleaseVersion(tag.tag) != nil ? "version" : "channel \(tag.channel ?? "?") -> \($0)" } ?? "-",
                        tag.version ?? "-", tag.digest ?? "-", tag.problem ?? "",
                    ]
                }
                Console.output(
                    "\(argument): \(tags.count) tag\(tags.count == 1 ? "" : "s")\n"
                        + TextTable.render(header: ["TAG", "NAMES", "VERSION", "DIGEST", "PROBLEM"], rows: rows))
            }
        }
    }
}
