import ApplianceModel
import ApplianceStatus
import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

/// stdout is the product, stderr is for people.
enum Console {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("alga-release: \(text)\n".utf8))
    }

    /// A one-line progress indicator on a terminal; nil clears it.
    static func progress(_ text: String?) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text ?? "")".utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = RFC3339.encoding
        output(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
