import Foundation

public struct ObjectMeta: Decodable, Sendable, Equatable {
    public var name: String
    public var namespace: String?
    var uid: String?
    var generation: Int?
    public var creationTimestamp: Date?
    var deletionTimestamp: Date?
    public var labels: [String: String]
    public var annotations: [String: String]
    var ownerReferences: [OwnerReference]

    enum CodingKeys: String, CodingKey { case name, namespace, uid, generation, creationTimestamp, deletionTimestamp, labels, annotations, ownerReferences }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        uid = try c.decodeIfPresent(String.self, forKey: .uid)
        generation = try c.decodeIfPresent(Int.self, forKey: .generation)
        creationTimestamp = try c.decodeIfPresent(Date.self, forKey: .creationTimestamp)
        deletionTimestamp = try c.decodeIfPresent(Date.self, forKey: .deletionTimestamp)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences) ?? []
    }
}
