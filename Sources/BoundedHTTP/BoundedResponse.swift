import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One HTTP answer read to its end: status, headers and the whole body.
public struct BoundedResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
}
