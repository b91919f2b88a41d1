import JSONDocument

/// The release linter: pure rules over data already loaded. Each rule is one function so that what
/// it checks, and why, is in one named place.
public enum ReleaseLinter {
    /// Everything the rules look at.
    public struct Input: Sendable {
        public var manifest: ReleaseManifest
        public var document: JSONNode
        public var file: String
        /// The release's folder name, when it was read from `<dir>/release.json`.
        var folderName: String?
        public var inventory: ImageInventory?
        public var channels: [ReleaseChannel]
        var knownReleases: [String]
        /// Digests recorded by `check --write-lock`: a pin as good as one in the inventory.
        public var lock: RegistryLock?

        public init(
            manifest: ReleaseManifest, document: JSONNode, file: String, folderName: String?, inventory: ImageInventory?,
            channels: [ReleaseChannel], knownReleases: [String], lock: RegistryLock? = nil
        ) {
            self.lock = lock
            self.manifest = manifest
            self.document = document
            self.file = file
            self.folderName = folderName
            self.inventory = inventory
            self.channels = channels
            self.knownReleases = knownReleases
        }
    }

    public static func lint(_ input: Input) -> [Diagnostic] {
        tagGrammar(input) + tagLengths(input) + folderName(input) + copiedFields(input) + inventoryCoverage(input) + unpinnedImages(input)
            + channelTargets(input)
    }

    private static func warning(_ input: Input, _ rule: String, _ path: [String], _ message: String) -> Diagnostic {
        let pointer = JSONPointer(path)
        return Diagnostic(
            severity: .warning, rule: rule, file: input.file, pointer: pointer,
            location: input.document.node(at: pointer)?.location, message: message)
    }

    /// A tag the Distribution grammar does not allow is no tag any registry holds: an error (the
    /// release schema only asks for a non-empty string).
    static func tagGrammar(_ input: Input) -> [Diagnostic] {
        // An empty tag is the schema's finding already (minLength).
        input.manifest.imageTags.filter { !$0.tag.isEmpty && !ImageReference.isTag($0.tag) }.map { image in
            let pointer = JSONPointer(["app", "images", image.key])
            return Diagnostic(
                severity: .error, rule: "image.tag", file: input.file, pointer: pointer, location: input.document.node(at: pointer)?.location,
                message:
                    "\"\(image.tag)\" is not an image tag (letters, digits, _ . - only, at most 128, not starting with . or -): no registry can hold it")
        }
    }

    /// Short commit SHAs of different lengths for the same commit (`a2cbb430` vs `a2cbb43`): each image
    /// pipeline publishes its own tag format, so one of them is probably not the tag that was pushed.
    static func tagLengths(_ input: Input) -> [Diagnostic] {
        sameCommitTags(input.manifest.imageTags).map { short, long in
            warning(input, "lint.tag-length", ["app", "images", short.key], tagLengthMessage(short: short, long: long, in: "app.images"))
        }
    }

    /// Commit-hash tags of which one is a prefix of a longer other: the same commit written at two
    /// lengths (a2cbb43 and a2cbb430), which a registry matches literally. Git and registry
    /// releases alike.
    public static func sameCommitTags(_ tags: [(key: String, tag: String)]) -> [(short: (key: String, tag: String), long: (key: String, tag: String))] {
        let hashes = tags.filter { $0.tag.wholeMatch(of: /[0-9a-f]{7,40}/) != nil }
        return hashes.compactMap { short in
            hashes.first { $0.tag.count > short.tag.count && $0.tag.hasPrefix(short.tag) }.map { (short, $0) }
        }
    }

    public static func tagLengthMessage(short: (key: String, tag: String), long: (key: String, tag: String), in field: String) -> String {
        "tag \"\(short.tag)\" (\(short.tag.count) characters) looks like the same commit as \(field).\(long.key) "
            + "\"\(long.tag)\" (\(long.tag.count) characters); registries match tags literally, so check which one was pushed"
    }

    static func folderName(_ input: Input) -> [Diagnostic] {
        guard let folder = input.folderName, folder != input.manifest.releaseVersion else { return [] }
        return [
            warning(
                input, "lint.folder-name", ["releaseVersion"],
                "releaseVersion \"\(input.manifest.releaseVersion)\" differs from its folder name \"\(folder)\"; tools find releases by folder")
        ]
    }

    /// Fields that name another release: the sign of a manifest copied from its predecessor.
    static func copiedFields(_ input: Input) -> [Diagnostic] {
        let version = input.manifest.releaseVersion
        var found: [Diagnostic] = []
        if !input.manifest.appVersion.isEmpty && input.manifest.appVersion != version {
            let other = input.knownReleases.contains(input.manifest.appVersion) ? "names another release" : "differs from releaseVersion"
            found.append(
                warning(
                    input, "lint.copied-field", ["app", "version"],
                    "app.version \"\(input.manifest.appVersion)\" \(other) (this manifest is \(version)); was it copied and not updated?"))
        }
        if let path = input.manifest.isoLocalPath {
            let named = path.split(separator: "/").map(String.init).filter { ReleaseVersion($0) != nil }
            if let stale = named.first(where: { $0 != version }) {
                found.append(
                    warning(
                        input, "lint.copied-field", ["os", "iso", "localPath"],
                        "os.iso.localPath \"\(path)\" names release \(stale), not \(version); the ISO of another release would be used"))
            }
        }
        return found
    }

    /// Every release key must map to an inventory image and every inventory key must be in the release;
    /// an unmapped tag is exactly how an image escapes the gate.
    static func inventoryCoverage(_ input: Input) -> [Diagnostic] {
        guard let inventory = input.inventory else { return [] }
        var found: [Diagnostic] = []
        let mapped = Set(
            inventory.entries.compactMap { entry -> String? in
                if case .release(let key) = entry.source { return key }
                return nil
            })
        for (key, _) in input.manifest.imageTags where !mapped.contains(key) {
            let pointer = JSONPointer(["app", "images", key])
            found.append(
                Diagnostic(
                    severity: .error, rule: "inventory.unmapped-key", file: input.file, pointer: pointer,
                    location: input.document.node(at: pointer)?.location,
                    message: "app.images.\(key) is not used by any image in \(inventory.file); add an entry with \"tagFrom\": \"\(key)\""))
        }
        for entry in inventory.entries {
            if case .release(let key) = entry.source, input.manifest.tag(for: key) == nil {
                // Reported where the key is written (the inventory's tagFrom), with the keys the release has.
                let pointer = entry.pointer.appending("tagFrom")
                let keys = input.manifest.imageTags.map(\.key).sorted()
                found.append(
                    Diagnostic(
                        severity: .error, rule: "inventory.missing-key", file: inventory.file, pointer: pointer,
                        location: inventory.document.node(at: pointer)?.location ?? entry.location,
                        message:
                            "image \(entry.repository) takes its tag from app.images.\(key), which \(input.file) does not define (it has \(keys.isEmpty ? "no app.images" : keys.joined(separator: ", ")))"
                    ))
            }
        }
        return found
    }

    static func unpinnedImages(_ input: Input) -> [Diagnostic] {
        guard let inventory = input.inventory else { return [] }
        return inventory.entries.compactMap { entry in
            guard case .pinned(let tag, let digest) = entry.source else { return nil }
            let pointer = entry.pointer.appending(tag == nil ? "repository" : "tag")
            let location = inventory.document.node(at: pointer)?.location ?? entry.location
            let name = "\(entry.repository)\(tag.map { ":" + $0 } ?? "")"
            let message: String
            if tag == nil || tag == "latest" {
                message =
                    "\(name) uses a mutable tag (\(tag ?? "no tag, so latest")) and no digest: each node may run a different image; pin a version tag and its digest"
            } else if digest == nil, !(input.lock?.images.contains { $0.ref == name && !$0.digest.isEmpty } ?? false) {
                message = "\(name) has no digest pin: the tag can be moved; add \"digest\" (alga-release check --write-lock records it)"
            } else {
                return nil
            }
            return Diagnostic(
                severity: .warning, rule: tag == nil || tag == "latest" ? "lint.mutable-tag" : "lint.no-digest", file: inventory.file,
                pointer: pointer, location: location, message: message)
        }
    }

    static func channelTargets(_ input: Input) -> [Diagnostic] {
        input.channels.filter { !input.knownReleases.contains($0.releaseVersion) }.map { channel in
            Diagnostic(
                // An error: the message is what happens (installs fail), not a matter of taste.
                severity: .error, rule: "lint.channel-target", file: channel.file, pointer: JSONPointer(["releaseVersion"]),
                message: "channel \(channel.name) points at release \(channel.releaseVersion), which does not exist; installs from this channel fail")
        }
    }
}
