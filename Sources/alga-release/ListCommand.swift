import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List releases (oldest first, by SemVer precedence: 1.0-rc5 < 1.0-rc5.1 < 1.0 < 1.0.1) and channels.",
        discussion: """
            Example: alga-release list --format json

            Exit 0 with the list; 2 when the releases directory is missing, a file, or holds no release and no channel; 64 on usage errors.
            """)

    @Option(name: .customLong("releases-dir"), help: "The releases directory, relative to the working directory.")
    var releasesDirectory: String = "releases"

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
        let store = ReleaseStore(directory: releasesDirectory)
        try format.reportingInputErrors {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: releasesDirectory, isDirectory: &isDirectory) else {
                throw InputError(file: releasesDirectory, reason: "no such releases directory (--releases-dir, relative to the working directory)")
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
}
