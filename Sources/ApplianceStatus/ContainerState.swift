import Foundation

public struct ContainerState: Decodable, Sendable, Equatable {
    public struct Waiting: Decodable, Sendable, Equatable {
        public var reason: String?
        public var message: String?
        public init(reason: String?, message: String?) {
            self.reason = reason
            self.message = message
        }
    }
    public struct Running: Decodable, Sendable, Equatable {
        public var startedAt: Date?
    }
    public struct Terminated: Decodable, Sendable, Equatable {
        public var exitCode: Int?
        public var reason: String?
        public var message: String?
        public var startedAt: Date?
        public var finishedAt: Date?
        public init(exitCode: Int?, reason: String?, message: String?, startedAt: Date?, finishedAt: Date?) {
            self.exitCode = exitCode
            self.reason = reason
            self.message = message
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }
    }
    public var waiting: Waiting?
    public var running: Running?
    public var terminated: Terminated?

    public init(waiting: Waiting?, running: Running?, terminated: Terminated?) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}
