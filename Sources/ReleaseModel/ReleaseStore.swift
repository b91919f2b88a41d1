import Foundation
import JSONDocument

/// A releases directory: `<version>/release.json`, `schema.json`, `appliance.json` (the appliance
/// model, with its `appliance.schema.json`), `channels/*.json`.
public struct ReleaseStore: Sendable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    static let schemaName = "schema.json"
    static let modelName = ApplianceDeclaration.fileName
    static let modelSchemaName = "appliance.schema.json"
    static let channelsName = "channels"

    public var schemaFile: String { path(Self.schemaName) }
    public var modelFile: String { path(Self.modelName) }
    var channelsDirectory: String { path(Self.channelsName) }

    private func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// Release folders (those holding a release.json), oldest first by version precedence. Folders
    /// whose names are not versions sort after the versions, by name.
    public func releases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let withManifest = names.filter {
            FileManager.default.fileExists(atPath: (path($0) as NSString).appendingPathComponent("release.json"))
        }
        return withManifest.sorted { a, b in
            switch (ReleaseVersion(a), ReleaseVersion(b)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
    }

    public func channelNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: channelsDirectory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Reads one channel file with the rules the original's `readChannel` had.
    public func channel(_ name: String) throws(InputError) -> ReleaseChannel {
        let file = (channelsDirectory as NSString).appendingPathComponent("\(name).json")
        guard FileManager.default.fileExists(atPath: file) else {
            let known = channelNames()
            throw InputError(
                file: file,
                reason: "unknown channel \"\(name)\" (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        let parsed = try JSONFile.read(file)
        // A Python or Go reader takes another of two values than this one would: the file means two things.
        if let duplicate = parsed.duplicateKeys.first {
            throw InputError(
                file: file, reason: "this key is given twice; readers disagree on which value counts, so keep one",
                location: duplicate.location, pointer: duplicate.pointer)
        }
        let root = parsed.root
        guard case .object = root.value else {
            throw InputError(file: file, reason: "a channel file must be a JSON object", location: root.location)
        }
        if let declared = root["channel"], declared.stringValue != name {
            throw InputError(
                file: file, reason: "declares channel \(declared.value.summary), expected \"\(name)\" (the file's name)",
                location: declared.location, pointer: JSONPointer(["channel"]))
        }
        guard let version = root["releaseVersion"]?.stringValue, !version.isEmpty else {
            throw InputError(
                file: file, reason: "channel \(name) does not point to a release yet (expected a version string)",
                location: root["releaseVersion"]?.location ?? root.location, pointer: JSONPointer(["releaseVersion"]))
        }
        return ReleaseChannel(
            name: name, releaseVersion: version, repoBranch: root["repoBranch"]?.stringValue,
            updatedAt: root["updatedAt"]?.stringValue, file: file)
    }

    /// Whether a release argument is a path (anything with a '/', ending in .json, or `.`) rather
    /// than a version or `channel:NAME`.
    static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".json") || argument == "."
    }

    /// Resolves a release argument: `channel:NAME`, a path to a release.json or its folder
    /// (`isPath`), or a version under this directory.
    func locate(_ argument: String) throws(InputError) -> ReleaseLocation {
        if argument.hasPrefix("channel:") {
            try requireDirectory()
            let channel = try self.channel(String(argument.dropFirst("channel:".count)))
            var location = try version(channel.releaseVersion, via: channel.file)
            location.channel = channel
            return location
        }
        if Self.isPath(argument) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw InputError(file: argument, reason: "no such file or directory")
            }
            let file = isDirectory.boolValue ? (argument as NSString).appendingPathComponent("release.json") : argument
            // The other files of a releases folder are JSON too, and would fail the schema in confusing ways.
            let name = (file as NSString).lastPathComponent
            let parent = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
            if let what = [Self.modelName: "the appliance model", Self.modelSchemaName: "the appliance model's schema", Self.schemaName: "the release schema"][
                name] ?? (parent == Self.channelsName ? "a channel file" : nil)
            {
                throw InputError(file: file, reason: "is \(what), not a release manifest; give a <version>/release.json, its folder, a version or channel:NAME")
            }
            let folder = ((file as NSString).deletingLastPathComponent as NSString)
            let releasesDirectory = folder.deletingLastPathComponent.isEmpty ? "." : folder.deletingLastPathComponent
            let folderName = folder.lastPathComponent
            return ReleaseLocation(
                file: file, folderName: folderName.isEmpty || folderName == "." ? nil : folderName,
                releasesDirectory: releasesDirectory, channel: nil)
        }
        return try version(argument, via: nil)
    }

    /// How to name a release now that upstream publishes them in the registry (its git folder is gone).
    public static let registryHint =
        "; upstream's releases are in the registry now: name one as oci://ghcr.io/nine-minds/alga-appliance-release:stable (alga-release list oci://ghcr.io/nine-minds/alga-appliance-release lists them)"

    /// The releases folder is there; the message for a missing one says how to name a registry release.
    func requireDirectory() throws(InputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(
                file: directory,
                reason:
                    "no releases directory here (\(FileManager.default.currentDirectoryPath)); run from the repository root, give --releases-dir, or give the release as a path\(Self.registryHint)"
            )
        }
    }

    private func version(_ version: String, via channelFile: String?) throws(InputError) -> ReleaseLocation {
        let file = (path(version) as NSString).appendingPathComponent("release.json")
        try requireDirectory()
        guard FileManager.default.fileExists(atPath: file) else {
            let known = releases()
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            if let channelFile {
                throw InputError(
                    file: channelFile, reason: "points at release \(version), which does not exist under \(directory) (known: \(list))",
                    pointer: JSONPointer(["releaseVersion"]))
            }
            throw InputError(file: file, reason: "unknown release \"\(version)\" under \(directory) (known: \(list))")
        }
        return ReleaseLocation(file: file, folderName: version, releasesDirectory: directory, channel: nil)
    }
}
