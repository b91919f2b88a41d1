import JSONDocument

/// What changes from one release to the next (`alga-release diff`): the manifest's fields, the
/// images, and what the appliance downloads for the upgrade. Pure: values in, the difference out.
public struct ReleaseDiff: Sendable, Encodable {
    public struct Field: Sendable, Encodable, Equatable {
        public var pointer: String
        /// Nil when the field is new in the second release.
        public var from: String?
        /// Nil when the second release has no such field.
        public var to: String?
    }

    public struct Image: Sendable, Encodable, Equatable {
        public enum Change: String, Sendable, Encodable { case added, removed, retagged }
        public var key: String
        public var change: Change
        public var from: String?
        public var to: String?
        /// From the locks, when given.
        public var fromDigest: String?
        public var toDigest: String?
        public var compressedSize: Int?
    }

    public var from: String
    public var to: String
    public var fields: [Field]
    public var images: [Image]
    /// Bytes the appliance pulls for the upgrade (both locks given; nil without): the blobs (config
    /// and layers) of `to`'s images that no image of `from` has, each counted once, as a node that
    /// keeps its layers pulls them. An entry of a lock written before blobs were recorded counts
    /// whole, when `from` lacks its digest.
    public var download: Int?

    public init(from: String, to: String, fields: [Field], images: [Image], download: Int?) {
        self.from = from
        self.to = to
        self.fields = fields
        self.images = images
        self.download = download
    }

    public var isEmpty: Bool { fields.isEmpty && images.isEmpty }

    /// Every scalar that differs, added or removed, by JSON pointer, in the order of the files.
    /// Objects are compared member by member; arrays item by item.
    public static func fields(_ a: JSONNode, _ b: JSONNode, at path: [String] = []) -> [Field] {
        switch (a.value, b.value) {
        case (.object(let left), .object(let right)):
            var out: [Field] = []
            for member in left {
                if let other = right.first(where: { $0.key == member.key }) {
                    out += fields(member.node, other.node, at: path + [member.key])
                } else {
                    out += leaves(member.node, at: path + [member.key]).map { Field(pointer: $0.0, from: $0.1, to: nil) }
                }
            }
            for member in right where !left.contains(where: { $0.key == member.key }) {
                out += leaves(member.node, at: path + [member.key]).map { Field(pointer: $0.0, from: nil, to: $0.1) }
            }
            return out
        case (.array(let left), .array(let right)):
            var out: [Field] = []
            for i in 0..<max(left.count, right.count) {
                if i < left.count && i < right.count {
                    out += fields(left[i], right[i], at: path + [String(i)])
                } else if i < left.count {
                    out += leaves(left[i], at: path + [String(i)]).map { Field(pointer: $0.0, from: $0.1, to: nil) }
                } else {
                    out += leaves(right[i], at: path + [String(i)]).map { Field(pointer: $0.0, from: nil, to: $0.1) }
                }
            }
            return out
        default:
            let (left, right) = (scalar(a), scalar(b))
            return left == right ? [] : [Field(pointer: JSONPointer(path).description, from: left, to: right)]
        }
    }

    static func leaves(_ node: JSONNode, at path: [String]) -> [(String, String)] {
        switch node.value {
        case .object(let members): members.flatMap { leaves($0.node, at: path + [$0.key]) }
        case .array(let items): items.enumerated().flatMap { leaves($0.element, at: path + [String($0.offset)]) }
        default: [(JSONPointer(path).description, scalar(node))]
        }
    }

    static func scalar(_ node: JSONNode) -> String {
        switch node.value {
        case .string(let s): s
        case .number(_, let literal): literal
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array, .object: node.value.summary
        }
    }

    /// The images by key: added, removed, or with another reference.
    public static func images(_ a: [ResolvedImage], _ b: [ResolvedImage], locks: (RegistryLock, RegistryLock)?) -> ([Image], Int?) {
        var out: [Image] = []
        for image in a {
            guard let other = b.first(where: { $0.key == image.key }) else {
                out.append(Image(key: image.key, change: .removed, from: image.ref.description, to: nil))
                continue
            }
            let fromDigest = locks?.0.entry(for: image.ref)?.digest
            let toEntry = locks?.1.entry(for: other.ref)
            if other.ref != image.ref || (fromDigest != nil && fromDigest != toEntry?.digest) {
                out.append(
                    Image(
                        key: image.key, change: .retagged, from: image.ref.description, to: other.ref.description, fromDigest: fromDigest,
                        toDigest: toEntry?.digest, compressedSize: toEntry?.compressedSize))
            }
        }
        for image in b where !a.contains(where: { $0.key == image.key }) {
            let entry = locks?.1.entry(for: image.ref)
            out.append(
                Image(key: image.key, change: .added, from: nil, to: image.ref.description, toDigest: entry?.digest, compressedSize: entry?.compressedSize))
        }
        guard let (lockA, lockB) = locks else { return (out, nil) }
        return (out, download(from: lockA, to: lockB, images: b))
    }

    /// What `download` says: see there.
    public static func download(from a: RegistryLock, to b: RegistryLock, images: [ResolvedImage]) -> Int {
        let had = Set(a.images.map(\.digest))
        var kept = Set(a.images.flatMap { $0.blobs ?? [] }.map(\.digest))
        var pulled: [RegistryLock.Blob] = []
        for image in images {
            guard let entry = b.entry(for: image.ref), !had.contains(entry.digest) else { continue }
            // An older lock's entry: the image whole, as one blob named by its digest.
            let blobs = entry.blobs ?? [RegistryLock.Blob(digest: entry.digest, size: entry.compressedSize ?? 0)]
            pulled += blobs.filter { kept.insert($0.digest).inserted }
        }
        return RegistryLock.Blob.total(pulled)
    }
}
