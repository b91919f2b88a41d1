import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead
import NIOConcurrencyHelpers
import NIOCore
import ReleaseModel

/// One collection's result, encoded once and served to every request until the next. A class:
/// handing it to a request is one retain, not a copy of every field.
public final class StatusEntry: Sendable {
    public let document: StatusDocument
    public let diagnostics: Diagnostics
    public let statusJSON: ByteBuffer
    public let overviewJSON: ByteBuffer
    public let diagnosticsJSON: ByteBuffer
    /// When the collection that produced this entry ended (the age of a response counts from here).
    public let collectedAt: Date

    init(document: StatusDocument, diagnostics: Diagnostics, collectedAt: Date) {
        self.document = document
        self.diagnostics = diagnostics
        statusJSON = JSONBody.encode(document)
        overviewJSON = JSONBody.encode(diagnostics.overview)
        diagnosticsJSON = JSONBody.encode(diagnostics)
        self.collectedAt = collectedAt
    }
}
