import ApplianceModel
import Foundation
import ReleaseModel
import Yams

/// One broken invariant in a rendered tree.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var rule: String
    public var message: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): error: \(message) [\(rule)]" }
}
