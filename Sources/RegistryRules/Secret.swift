import Foundation
import ReleaseModel

/// A secret that never prints itself: `description`, `debugDescription` and string interpolation
/// all show a placeholder, so a credential cannot end up in a log line or an error by accident.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String
    public init(_ value: String) { self.value = value }
    public func reveal() -> String { value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
