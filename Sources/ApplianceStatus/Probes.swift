import Foundation

/// What the API cannot tell: the clock of the observation, /readyz, the login probe, seeded users.
public struct Probes: Decodable, Sendable, Equatable {
    public struct LoginProbe: Codable, Sendable, Equatable {
        public var url: String?
        public var checked: Bool
        public var reachable: Bool
        public var statusCode: Int?
        public var location: String?
        public var error: String?

        public init(url: String?, checked: Bool, reachable: Bool, statusCode: Int?, location: String?, error: String?) {
            self.url = url
            self.checked = checked
            self.reachable = reachable
            self.statusCode = statusCode
            self.location = location
            self.error = error
        }
    }
    public var observedAt: Date?
    public var readyz: String?
    public var loginProbe: LoginProbe?

    /// The /readyz answer when it was read and is not `ok` (nil when it is ok or was not read).
    var readyzProblem: String? {
        guard let readyz, readyz.trimmingCharacters(in: .whitespacesAndNewlines) != "ok" else { return nil }
        return readyz
    }
    public var seededUsersCount: Int?

    public init(observedAt: Date?, readyz: String?, loginProbe: LoginProbe?, seededUsersCount: Int?) {
        self.observedAt = observedAt
        self.readyz = readyz
        self.loginProbe = loginProbe
        self.seededUsersCount = seededUsersCount
    }
}
