import Foundation
import JSONDocument

/// A config blob: only the platform is read.
struct ImageConfig: Decodable {
    var os: String
    var architecture: String
    var variant: String?
}
