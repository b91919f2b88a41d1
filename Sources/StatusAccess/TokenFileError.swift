import Crypto
import Foundation

/// A problem with the token file, said without its contents.
public struct TokenFileError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
