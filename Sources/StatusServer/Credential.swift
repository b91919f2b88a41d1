import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

enum Credential {
    case none
    case malformedAuthorization
    case bearer(Substring)
    case query(Substring)
    case cookie(String)

    init(_ request: Request) {
        if let header = request.headers[.authorization] {
            let prefix = "bearer "
            if header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix {
                self = .bearer(header.dropFirst(prefix.count).drop { $0 == " " })
            } else {
                self = .malformedAuthorization
            }
        } else if let token = request.uri.queryParameters["token"] {
            self = .query(token)
        } else if let cookie = request.cookies[SessionCookie.name] {
            self = .cookie(cookie.value)
        } else {
            self = .none
        }
    }
}
