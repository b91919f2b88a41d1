import Foundation

public struct ContainerStatus: Decodable, Sendable, Equatable {
    public var name: String
    public var image: String?
    public var imageID: String?
    public var ready: Bool?
    public var started: Bool?
    var restartCount: Int?
    public var state: ContainerState?
    public var lastState: ContainerState?
}
