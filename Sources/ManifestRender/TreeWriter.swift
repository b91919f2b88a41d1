import Foundation
import ReleaseModel

/// Writing a rendered tree: compare, or replace the directory whole.
public enum TreeWriter {
    /// Files under `directory` that the render owns: every `*.yaml`, by path relative to it.
    public static func files(in directory: String) -> [String: String] {
        var files: [String: String] = [:]
        for (relative, url) in yamlFiles(under: directory) ?? [] {
            files[relative] = (try? RegularFile.read(url.path, maxBytes: JSONFile.maximumSize)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return files
    }

    /// Every `*.yaml` below `directory`, with its path relative to it; nil when the directory cannot be read.
    static func yamlFiles(under directory: String) -> [(relative: String, url: URL)]? {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return nil }
        var found: [(String, URL)] = []
        for case let url as URL in enumerator where url.pathExtension == "yaml" {
            found.append((String(url.standardizedFileURL.path.dropFirst(root.path.count + 1)), url))
        }
        return found
    }

    /// Every difference between `files` and what `directory` holds, stale files included.
    public static func drift(_ files: [String: String], against directory: String) -> [Drift] {
        drift(files, committed: self.files(in: directory))
    }

    static func drift(_ files: [String: String], committed: [String: String]) -> [Drift] {
        var drifts: [Drift] = []
        for path in Set(files.keys).union(committed.keys).sorted() where files[path] != committed[path] {
            let old = committed[path]
            let new = files[path]
            drifts.append(
                Drift(
                    path: path,
                    diff: UnifiedDiff.diff(
                        old: old ?? "", new: new ?? "", oldName: old == nil ? "/dev/null" : "a/\(path)", newName: new == nil ? "/dev/null" : "b/\(path)")))
        }
        return drifts
    }

    /// Writes the tree to `directory` only if something differs: it is built whole in a sibling
    /// temporary directory and swapped in with renames, so a reader (or a crash) never sees half of it.
    /// Returns the paths that changed.
    @discardableResult
    public static func write(_ files: [String: String], to directory: String) throws -> [String] {
        let committed = self.files(in: directory)
        let changes = drift(files, committed: committed).map(\.path)
        guard !changes.isEmpty else { return [] }
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).render-\(UUID().uuidString)")
        do {
            // Files the render does not own (a README, say) are carried over untouched.
            if FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.copyItem(at: target, to: staging)
                for stale in committed.keys where files[stale] == nil {
                    try FileManager.default.removeItem(at: staging.appendingPathComponent(stale))
                }
            }
            for (path, text) in files {
                let url = staging.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.moveItem(at: target, to: old) }
            try FileManager.default.moveItem(at: staging, to: target)
            try? FileManager.default.removeItem(at: old)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        return changes
    }
}
