import Foundation
import JSONDocument

/// `GET /v2/<name>/tags/list`.
struct TagList: Decodable {
    var tags: [String]?
}
