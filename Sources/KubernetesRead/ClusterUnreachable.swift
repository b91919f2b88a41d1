import ApplianceModel
import ApplianceStatus
import AsyncHTTPClient
import BoundedHTTP
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL
import ReleaseModel

/// The cluster could not be asked (exit 3), as opposed to a snapshot that could not be read (exit 2).
public struct ClusterUnreachable: Error, Sendable, CustomStringConvertible {
    public var server: String
    public var reason: String
    public var description: String { "\(server): \(reason)" }
}
