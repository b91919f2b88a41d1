import ApplianceStatus
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// The sign-in form's fields (`application/x-www-form-urlencoded`).
struct LoginForm: Decodable {
    var token: String?
    var next: String?
}
