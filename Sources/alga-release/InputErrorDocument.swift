import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

/// The machine-readable form of an input error, so `--format json` keeps stdout one JSON document.
struct InputErrorDocument: Encodable {
    var error: InputError
    var exitCode = ExitStatus.unusableInput

    enum CodingKeys: String, CodingKey { case error, exitCode }
    enum ErrorKeys: String, CodingKey { case file, reason, line, column, pointer }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(exitCode, forKey: .exitCode)
        var e = c.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
        try e.encode(error.file, forKey: .file)
        try e.encode(error.reason, forKey: .reason)
        try e.encodeIfPresent(error.location?.line, forKey: .line)
        try e.encodeIfPresent(error.location?.column, forKey: .column)
        try e.encodeIfPresent(error.pointer?.description, forKey: .pointer)
    }
}

extension InputErrorDocument {
    /// Runs `body`; when stdout must be JSON, an input error is also written there as a document.
    static func reporting<T>(json: Bool, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InputError {
            if json { try Console.json(InputErrorDocument(error: error)) }
            throw error
        }
    }

    /// The same for work that awaits (a plan runs Helm and kustomize).
    static func reporting<T>(json: Bool, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as InputError {
            if json { try Console.json(InputErrorDocument(error: error)) }
            throw error
        }
    }
}
