import Foundation
import ReleaseModel
import YAMLInput
import Yams

#if canImport(Glibc)
import Glibc
#endif

/// What kustomize and Helm may read: files inside the root (the repository Flux syncs), judged by
/// their real paths, so a symbolic link out of the repository is as outside as `../../etc`. Flux's
/// kustomize-controller reads through a file system confined to the source's root; the plan runs
/// kustomize on the machine's, so before every build it reads each kustomization it would reach
/// and refuses, before kustomize runs, every entry that names a file outside the root, a remote
/// resource (a URL, a git repository: the plan is offline), or nothing at all. A chart folder
/// may hold no link out of the root either.
public struct TreeConfinement: Sendable {
    /// The root's real path.
    public let root: String

    /// Kustomization roots one build may reach, and entries a chart folder may hold: far more than
    /// any tree has, few enough that a hostile one ends quickly.
    public static let maximumKustomizations = 1_000
    public static let maximumChartEntries = 20_000
    /// A kustomization file is a few KiB.
    public static let maximumKustomizationBytes = 1 << 20

    /// Why a build or chart was refused; `description` is one line a person can act on.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case outside(file: String, entry: String)
        case remote(file: String, entry: String)
        case missing(file: String, entry: String)
        case unreadable(file: String, reason: String)
        case tooMany(limit: Int, what: String)

        public var description: String {
            switch self {
            case .outside(let file, let entry):
                "\(file) names \(entry), which is outside the repository (its real path leaves it, through .. or a link): Flux reads nothing outside its source, and neither does the plan"
            case .remote(let file, let entry):
                "\(file) names the remote resource \(entry): Flux's kustomize-controller fetches nothing remote, and the plan is made offline; vendor it into the repository"
            case .missing(let file, let entry): "\(file) names \(entry), which does not exist in the repository"
            case .unreadable(let file, let reason): "\(file): \(reason)"
            case .tooMany(let limit, let what): "more than \(limit) \(what): the plan stops there rather than read on"
            }
        }

        /// What the problem is about, for a `PlanProblem`.
        public var rule: PlanRule { if case .remote = self { .remoteResource } else { .outsideRepository } }
    }

    public init(root: URL) {
        self.root = Self.realPath(root.path) ?? root.standardizedFileURL.path
    }

    /// The real path of `path` (links resolved), nil when nothing is there.
    static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` exists and its real path is the root or inside it.
    public func contains(_ path: String) -> Bool {
        guard let real = Self.realPath(path) else { return false }
        return real == root || real.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// Every kustomization `directory` reaches, checked; nothing is run.
    public func checkBuild(of directory: String) throws(Refusal) {
        var queue = [directory]
        var seen = Set<String>()
        while let next = queue.popLast() {
            guard let real = Self.realPath(next), seen.insert(real).inserted else { continue }
            guard seen.count <= Self.maximumKustomizations else { throw .tooMany(limit: Self.maximumKustomizations, what: "kustomizations in one build") }
            queue += try directories(referencedBy: next)
        }
    }

    static let kustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// The kustomization of `directory`'s entries, each checked; the directories among them, to read next.
    func directories(referencedBy directory: String) throws(Refusal) -> [String] {
        guard contains(directory) else { throw .outside(file: directory, entry: directory) }
        let fm = FileManager.default
        guard let name = Self.kustomizationNames.first(where: { fm.fileExists(atPath: directory + "/" + $0) }) else {
            throw .missing(file: directory, entry: "a kustomization.yaml")
        }
        let file = directory + "/" + name
        guard contains(file) else { throw .outside(file: file, entry: file) }
        let node: Node?
        do {
            let data = try RegularFile.read(file, maxBytes: Self.maximumKustomizationBytes)
            node = try BoundedYAML.document(String(decoding: data, as: UTF8.self))
        } catch let refusal as RegularFile.Refusal {
            throw .unreadable(file: file, reason: "\(refusal)")
        } catch {
            throw .unreadable(file: file, reason: "\(error)")
        }
        var next: [String] = []
        for entry in Self.entries(of: node) {
            if entry.contains("://") || entry.hasPrefix("git@") || entry.hasPrefix("git::") { throw .remote(file: file, entry: entry) }
            let path = entry.hasPrefix("/") ? entry : directory + "/" + entry
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Self.looksRemote(entry) ? .remote(file: file, entry: entry) : .missing(file: file, entry: entry)
            }
            guard contains(path) else { throw .outside(file: file, entry: entry) }
            if isDirectory.boolValue { next.append(path) }
        }
        return next
    }

    /// Every entry of a kustomization that names a file or folder (or a remote resource): what
    /// kustomize loads. Inline patches and generator configurations are text, not names.
    public static func entries(of node: Node?) -> [String] {
        guard let node else { return [] }
        var entries: [String] = []
        func strings(_ key: String) -> [String] { node[key]?.sequence?.compactMap(\.string) ?? [] }
        for key in ["resources", "bases", "components", "crds", "configurations"] { entries += strings(key) }
        for key in ["patchesStrategicMerge", "generators", "transformers", "validators"] {
            entries += strings(key).filter { !$0.contains("\n") }
        }
        for key in ["patches", "patchesJson6902", "replacements"] {
            entries += node[key]?.sequence?.compactMap { $0["path"]?.string } ?? []
        }
        if let path = node["openapi"]?["path"]?.string { entries.append(path) }
        for key in ["configMapGenerator", "secretGenerator"] {
            for generator in node[key]?.sequence ?? [] {
                var sources = generator["files"]?.sequence?.compactMap(\.string) ?? []
                sources += generator["envs"]?.sequence?.compactMap(\.string) ?? []
                if let env = generator["env"]?.string { sources.append(env) }
                // `key=path` names the path after the first '='.
                entries += sources.map { source in source.split(separator: "=", maxSplits: 1).last.map(String.init) ?? source }
            }
        }
        if let home = node["helmGlobals"]?["chartHome"]?.string { entries.append(home) }
        for chart in node["helmCharts"]?.sequence ?? [] {
            if let repo = chart["repo"]?.string { entries.append(repo) }
        }
        return entries
    }

    /// An entry that is not a local path and reads as kustomize's remote targets are written
    /// (`github.com/org/repo//path?ref=v1`: a host first).
    static func looksRemote(_ entry: String) -> Bool {
        guard let first = entry.split(separator: "/").first, entry.contains("/") else { return false }
        return first.contains(".") && first != "." && first != ".."
    }

    /// A chart folder: inside the root, and every entry in it too (Helm reads them all).
    public func checkChart(_ directory: String) throws(Refusal) {
        guard contains(directory) else { throw .outside(file: directory, entry: directory) }
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        var count = 0
        while let relative = walker.nextObject() as? String {
            count += 1
            guard count <= Self.maximumChartEntries else { throw .tooMany(limit: Self.maximumChartEntries, what: "files in a chart folder") }
            let path = directory + "/" + relative
            if RegularFile.regularSize(path) == nil, !contains(path) {
                var info = stat()
                // A dangling link is as refused as one that leaves: Helm would follow either.
                if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { throw .outside(file: directory, entry: relative) }
            }
        }
    }
}
