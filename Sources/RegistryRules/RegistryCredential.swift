import Foundation
import ReleaseModel

/// Credentials for one registry and where they came from (said in reports; the secret never is).
public struct RegistryCredential: Sendable, Equatable {
    public var username: String
    public var password: Secret
    public var origin: String

    public init(username: String, password: Secret, origin: String) {
        self.username = username
        self.password = password
        self.origin = origin
    }

    public var basicHeader: String {
        "Basic " + Data("\(username):\(password.reveal())".utf8).base64EncodedString()
    }
}
