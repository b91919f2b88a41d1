import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text, json
}

extension OutputFormat {
    func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
        try InputErrorDocument.reporting(json: self == .json, body)
    }
}
