import Foundation
import JSONDocument

/// Reading files for the release model: one place for the size limit and the messages that turn
/// "it did not work" into "this file, this reason".
public enum JSONFile {
    /// Release manifests, channels and the inventory are a few KiB; anything this big is the wrong file.
    public static let maximumSize = 4 << 20

    public static func read(_ path: String) throws(InputError) -> ParsedJSON {
        let data = try InputFile.read(path, what: "JSON file", maxBytes: maximumSize)
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw InputError(
                file: path, reason: "not valid JSON: \(error.message)\(error.pointer.tokens.isEmpty ? "" : " (inside \(error.pointer))")",
                location: error.location, pointer: error.pointer)
        }
    }
}
