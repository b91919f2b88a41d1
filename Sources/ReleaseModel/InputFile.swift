import Foundation
import JSONDocument

/// Reading one small input file, with the messages every command gives for it: missing, a
/// directory, too large (refused before reading), unreadable. `what` names the kind of file
/// ("lock file", "kubeconfig"), `hint` says how to get a right one.
public enum InputFile {
    public static func read(_ path: String, what: String, maxBytes: Int, hint: String? = nil) throws(InputError) -> Data {
        let help = hint.map { " (\($0))" } ?? ""
        do {
            return try RegularFile.read(path, maxBytes: maxBytes)
        } catch {
            switch error {
            case .missing: throw InputError(file: path, reason: "no such \(what)\(help)")
            case .directory: throw InputError(file: path, reason: "is a directory, not a \(what)\(help)")
            case .special(let kind): throw InputError(file: path, reason: "is a \(kind), not a \(what): only regular files are read\(help)")
            case .tooLarge(let size, _):
                throw InputError(
                    file: path,
                    reason: "is \(Self.describe(Int(clamping: size))) or more; a \(what) here is at most \(Self.describe(maxBytes)), so this is not one")
            case .link, .unreadable: throw InputError(file: path, reason: "\(error)")
            }
        }
    }

    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}
