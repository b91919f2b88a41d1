import Foundation
import JSONDocument

/// `GET /v2/<name>/tags/list`.
public struct TagList: Decodable, Sendable {
    public var tags: [String]?
}
