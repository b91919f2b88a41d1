import Foundation
import JSONDocument

/// The Distribution error body, `{"errors":[{"code","message"}]}`.
struct RegistryErrors: Decodable {
    struct Entry: Decodable {
        var code: String?
        var message: String?
    }
    var errors: [Entry]?
}
