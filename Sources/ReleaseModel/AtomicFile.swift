import Foundation

/// Writing a file whole or not at all: a temporary file beside it, then rename(2), which replaces
/// the old file in one step. A reader, or a run interrupted halfway (a full disk, a file-size
/// limit), sees the old file or the new one, never half of one; a failed write removes its
/// temporary file. The one way the tool replaces a file a person keeps (locks, releases, channels).
public enum AtomicFile {
    /// Why a write did not happen; the file at `path` is as it was.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path) (it is unchanged): \(reason)" }
    }

    public static func write(_ data: Data, to path: String) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: path, reason: reason)
        }
    }
}
