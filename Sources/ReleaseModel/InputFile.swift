import Foundation
import JSONDocument

/// Reading one small input file, with the messages every command gives for it: missing, a
/// directory, too large (refused before reading), unreadable. `what` names the kind of file
/// ("lock file", "kubeconfig"), `hint` says how to get a right one.
public enum InputFile {
    public static func read(_ path: String, what: String, maxBytes: Int, hint: String? = nil) throws(InputError) -> Data {
        let help = hint.map { " (\($0))" } ?? ""
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, reason: "no such \(what)\(help)")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, reason: "is a directory, not a \(what)\(help)") }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxBytes else {
            throw InputError(file: path, reason: "is \(Self.describe(size)); a \(what) here is at most \(Self.describe(maxBytes)), so this is not one")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, reason: "cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte past the limit: a file that grows while it is read is still refused.
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw InputError(file: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= maxBytes else {
            throw InputError(file: path, reason: "grew past \(Self.describe(maxBytes)) while it was read; a \(what) here is at most that")
        }
        return data
    }

    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}
