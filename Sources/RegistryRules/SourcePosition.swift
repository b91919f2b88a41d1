import ApplianceModel
import Foundation
import ReleaseModel

/// Where a finding points in the repository, for annotations (`file=...,line=...`).
public struct SourcePosition: Sendable, Equatable {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}
