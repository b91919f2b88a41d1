import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

/// The request context: Hummingbird's core storage plus the peer address, which the throttle keys on.
public struct StatusRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's IP; no proxy sits in front of the appliance, so forwarded headers are ignored.
    let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Only the sign-in form has a body, and a token is small.
    public var maxUploadSize: Int { 4096 }
}

extension URI {
    /// This URL's path and query without `token=`; what a `?token=` link redirects to.
    var pathAndQueryWithoutToken: String {
        let kept = (query ?? "").split(separator: "&").filter { !($0 == "token" || $0.hasPrefix("token=")) }
        return kept.isEmpty ? path : "\(path)?\(kept.joined(separator: "&"))"
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
