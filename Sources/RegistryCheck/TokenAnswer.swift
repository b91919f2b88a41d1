import AsyncHTTPClient
import BoundedHTTP
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RegistryRules

/// The token endpoint's answer (Distribution token spec; OAuth2's `access_token` accepted).
struct TokenAnswer: Decodable {
    var token: String?
    var accessToken: String?
    var expiresIn: Double?
    enum CodingKeys: String, CodingKey {
        case token
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }
}
