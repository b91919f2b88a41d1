import ArgumentParser
import JSONDocument
import ReleaseModel

struct ValidationDocument: Encodable {
    var release: String
    var file: String
    var valid: Bool
    var strict: Bool
    var errors: Int
    var warnings: Int
    var diagnostics: [Diagnostic]
    /// A registry release: the manifest digest that was read (and validated).
    var manifestDigest: String?
}
