import JSONDocument

/// The tier an image belongs to, in the order Flux brings them up.
public enum Tier: String, Sendable, Codable, CaseIterable, Comparable {
    case platform, core, background

    public static func < (a: Tier, b: Tier) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where an inventory image's tag comes from.
public enum TagSource: Sendable, Equatable {
    /// `app.images.<key>` of the release manifest.
    case release(key: String)
    /// A tag fixed in the inventory (third-party and the project's own images).
    case pinned(tag: String?, digest: String?)

    public var description: String {
        switch self {
        case .release(let key): "release:app.images.\(key)"
        case .pinned: "pinned"
        }
    }
}

/// One entry of `releases/images.json`: an image the appliance runs, independent of any release.
public struct InventoryEntry: Sendable, Equatable {
    public var key: String
    public var repository: ImageReference
    public var source: TagSource
    public var tier: Tier
    public var loginBlocking: Bool
    public var components: [String]
    /// Installed by the bootstrap before Flux runs, so not part of the rendered tree.
    public var preFlux: Bool
    /// Where the entry is in images.json, for diagnostics.
    public var pointer: JSONPointer
    public var location: SourceLocation
}

/// An inventory image with its tag resolved against one release.
public struct ResolvedImage: Sendable, Equatable, Codable {
    public var ref: ImageReference
    public var key: String
    public var tier: Tier
    public var loginBlocking: Bool
    public var source: String
    public var components: [String]

    enum CodingKeys: String, CodingKey { case ref, key, tier, loginBlocking, source, components }

    public init(ref: ImageReference, key: String, tier: Tier, loginBlocking: Bool, source: String, components: [String]) {
        self.ref = ref
        self.key = key
        self.tier = tier
        self.loginBlocking = loginBlocking
        self.source = source
        self.components = components
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ref.description, forKey: .ref)
        try c.encode(key, forKey: .key)
        try c.encode(tier, forKey: .tier)
        try c.encode(loginBlocking, forKey: .loginBlocking)
        try c.encode(source, forKey: .source)
        try c.encode(components, forKey: .components)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .ref)
        do {
            ref = try ImageReference(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .ref, in: c, debugDescription: error.description)
        }
        key = try c.decode(String.self, forKey: .key)
        tier = try c.decode(Tier.self, forKey: .tier)
        loginBlocking = try c.decode(Bool.self, forKey: .loginBlocking)
        source = try c.decode(String.self, forKey: .source)
        components = try c.decode([String].self, forKey: .components)
    }
}

/// The single table of every image the appliance runs. The registry gate, the renderer and the
/// status collector all read it, so a repository or tier is written down exactly once.
public struct ImageInventory: Sendable {
    public var entries: [InventoryEntry]
    public var file: String
    /// The parsed document, for lint locations.
    public var document: JSONNode

    /// The contract of images.json, enforced with the same validator as release manifests.
    public static let schemaText = """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["images"],
          "properties": {
            "$comment": {"type": "string"},
            "images": {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["key", "repository", "tier", "loginBlocking", "components"],
                "properties": {
                  "key": {"type": "string", "pattern": "^[a-z][A-Za-z0-9]*$"},
                  "repository": {"type": "string", "minLength": 1},
                  "tagFrom": {"type": "string", "pattern": "^[a-z][A-Za-z0-9]*$"},
                  "tag": {"type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"},
                  "digest": {"type": "string", "pattern": "^sha256:[a-f0-9]{64}$"},
                  "tier": {"type": "string", "enum": ["platform", "core", "background"]},
                  "loginBlocking": {"type": "boolean"},
                  "components": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                  "preFlux": {"type": "boolean"},
                  "note": {"type": "string"}
                }
              }
            }
          }
        }
        """

    /// Builds the inventory from a parsed images.json. Returns the diagnostics instead of throwing
    /// so that all problems are reported at once.
    public static func load(document: JSONNode, file: String) -> (ImageInventory?, [Diagnostic]) {
        // The schema is a constant of this module (every inventory test loads it), not input.
        let schemaRoot = try! JSONParser.parse(Array(schemaText.utf8)).root
        let schema = try! JSONSchema(schemaRoot)
        var diagnostics = schema.validate(document).map { Diagnostic(schema: $0, file: file) }
        guard diagnostics.isEmpty, case .array(let items)? = document["images"]?.value else {
            return (nil, diagnostics)
        }
        var entries: [InventoryEntry] = []
        var seenKeys: [String: JSONPointer] = [:]
        for (i, item) in items.enumerated() {
            let pointer = JSONPointer(["images", String(i)])
            func fail(_ member: String, _ message: String) {
                let node = item[member] ?? item
                diagnostics.append(
                    Diagnostic(
                        severity: .error, rule: "inventory.entry", file: file, pointer: pointer.appending(member),
                        location: node.location, message: message))
            }
            let key = item["key"]!.stringValue!
            if let first = seenKeys[key] {
                fail("key", "the key \"\(key)\" is already used by \(first); keys must be unique")
            }
            seenKeys[key] = pointer
            let repositoryText = item["repository"]!.stringValue!
            let repository: ImageReference
            do {
                repository = try ImageReference(parsing: repositoryText)
            } catch {
                fail("repository", error.description)
                continue
            }
            if repository.tag != nil || repository.digest != nil {
                fail("repository", "\"\(repositoryText)\" must name a repository only; put the tag in \"tag\" or \"tagFrom\" and the digest in \"digest\"")
                continue
            }
            let tagFrom = item["tagFrom"]?.stringValue
            let tag = item["tag"]?.stringValue
            let digest = item["digest"]?.stringValue
            let source: TagSource
            switch (tagFrom, tag) {
            case (let key?, nil):
                guard digest == nil else {
                    fail("digest", "a digest cannot be pinned for an image whose tag comes from the release (tagFrom)")
                    continue
                }
                source = .release(key: key)
            case (nil, let tag):
                source = .pinned(tag: tag, digest: digest)
            case (.some, .some):
                fail("tag", "give either \"tagFrom\" (a release key) or \"tag\" (a pinned tag), not both")
                continue
            }
            entries.append(
                InventoryEntry(
                    key: key, repository: repository, source: source,
                    tier: Tier(rawValue: item["tier"]!.stringValue!)!,
                    loginBlocking: item["loginBlocking"]!.value.boolValue,
                    components: item["components"]!.arrayValue.compactMap(\.stringValue),
                    preFlux: item["preFlux"]?.value.boolValue ?? false,
                    pointer: pointer, location: item.location))
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (ImageInventory(entries: entries, file: file, document: document), diagnostics)
    }

    /// Every image with its tag for `release`, in inventory order. Release keys the manifest does not
    /// define are reported, never silently skipped.
    public func resolve(for release: ReleaseManifest) -> (images: [ResolvedImage], missingKeys: [InventoryEntry]) {
        var images: [ResolvedImage] = []
        var missing: [InventoryEntry] = []
        for entry in entries {
            var ref = entry.repository
            switch entry.source {
            case .release(let key):
                guard let tag = release.tag(for: key) else {
                    missing.append(entry)
                    continue
                }
                ref.tag = tag
            case .pinned(let tag, let digest):
                ref.tag = tag
                ref.digest = digest
            }
            images.append(
                ResolvedImage(
                    ref: ref, key: entry.key, tier: entry.tier, loginBlocking: entry.loginBlocking,
                    source: entry.source.description, components: entry.components))
        }
        return (images, missing)
    }
}

extension JSONValue {
    var boolValue: Bool {
        if case .bool(let b) = self { return b }
        return false
    }
}

extension JSONNode {
    var arrayValue: [JSONNode] {
        if case .array(let items) = value { return items }
        return []
    }
}

extension Diagnostic {
    public init(schema violation: SchemaViolation, file: String) {
        self.init(
            severity: .error, rule: "schema.\(violation.keyword)", file: file, pointer: violation.pointer,
            location: violation.omitted == nil ? violation.location : nil, message: violation.message,
            found: violation.omitted == nil ? violation.found : nil, expected: violation.omitted == nil ? violation.expected : nil)
        omitted = violation.omitted
    }
}
