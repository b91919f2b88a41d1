import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead
import NIOConcurrencyHelpers
import NIOCore
import ReleaseModel

enum JSONBody {
    static func encode<T: Encodable>(_ value: T) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = RFC3339.encoding
        // Every value here is plain data; an encoding failure would be a programming error.
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"encoding_failed"}"#.utf8)
        return ByteBuffer(bytes: data)
    }
}
