import Foundation
import JSONDocument

/// A config blob: only the platform is read.
public struct ImageConfig: Decodable, Sendable {
    public var os: String
    public var architecture: String
    public var variant: String?
}
