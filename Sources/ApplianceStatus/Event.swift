import Foundation

/// A core/v1 or events.k8s.io/v1 Event, read into one shape.
public struct Event: Decodable, Sendable, Equatable {
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String
    public var type: String?
    public var count: Int?
    /// When it last happened: lastTimestamp, then series.lastObservedTime, then eventTime, then the
    /// object's creationTimestamp (scheduler events carry only eventTime).
    public var time: Date?

    enum CodingKeys: String, CodingKey {
        case metadata, involvedObject, regarding, reason, message, note, type, count, lastTimestamp, deprecatedLastTimestamp, series, eventTime
        case deprecatedCount
    }
    struct Series: Decodable { var lastObservedTime: Date? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        involvedObject =
            try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject)
            ?? c.decodeIfPresent(ObjectReference.self, forKey: .regarding) ?? ObjectReference(kind: nil, name: nil, namespace: nil, uid: nil, fieldPath: nil)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? c.decodeIfPresent(String.self, forKey: .note) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type)
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? c.decodeIfPresent(Int.self, forKey: .deprecatedCount)
        let last = try c.decodeIfPresent(Date.self, forKey: .lastTimestamp) ?? c.decodeIfPresent(Date.self, forKey: .deprecatedLastTimestamp)
        let series = try c.decodeIfPresent(Series.self, forKey: .series)?.lastObservedTime
        time = try last ?? series ?? c.decodeIfPresent(Date.self, forKey: .eventTime) ?? metadata.creationTimestamp
    }
}
