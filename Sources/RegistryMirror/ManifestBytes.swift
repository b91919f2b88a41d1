import Foundation

/// A manifest or index exactly as the source served it: pushed byte for byte, so its digest, and
/// every reference to it, stay the same at the target.
struct ManifestBytes: Sendable {
    var digest: String
    var bytes: Data
    var mediaType: String
}
