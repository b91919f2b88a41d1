import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead
import NIOConcurrencyHelpers
import NIOCore
import ReleaseModel

/// One collection's result, encoded once and served to every request until the next. A class:
/// handing it to a request is one retain, not a copy of every field.
final class StatusEntry: Sendable {
    let document: StatusDocument
    let diagnostics: Diagnostics
    let statusJSON: ByteBuffer
    let overviewJSON: ByteBuffer
    let diagnosticsJSON: ByteBuffer
    /// When the collection that produced this entry ended (the age of a response counts from here).
    let collectedAt: Date

    init(document: StatusDocument, diagnostics: Diagnostics, collectedAt: Date) {
        self.document = document
        self.diagnostics = diagnostics
        statusJSON = JSONBody.encode(document)
        overviewJSON = JSONBody.encode(diagnostics.overview)
        diagnosticsJSON = JSONBody.encode(diagnostics)
        self.collectedAt = collectedAt
    }
}
