import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small HTTP/1.1 server on 127.0.0.1 whose every answer is decided by a closure: the token
/// server for the registry's `auth: token` mode, and the faults a real registry will not produce
/// (429 with Retry-After, 503 then success, resets, silence, redirects).
public final class LoopbackHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// When the whole request had arrived: tests read schedules (retry waits) from here, not from timers of their own.
        public var receivedAt: ContinuousClock.Instant = .now

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
        /// Query parameters in order; a name may repeat (`scope`).
        public var query: [(String, String)] {
            guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
            return q.split(separator: "&").map { pair in
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                return (kv[0], kv.count > 1 ? kv[1] : "")
            }
        }
    }

    public enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
        /// Drop the connection without an answer.
        case close
        /// Never answer: the client's deadline must end the wait.
        case hang
        /// The head at once, then the body one byte every `interval` (a slow-loris server): only a
        /// deadline that covers the body ends the wait.
        case drip(status: Int, headers: [(String, String)] = [], body: [UInt8], interval: TimeAmount = .seconds(1))
    }

    public typealias Handler = @Sendable (Request) async -> Reply

    private let channel: any Channel
    public let port: Int
    private let recorded = NIOLockedValueBox<[Request]>([])

    public var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }
    private let isTLS: Bool

    /// Every request received so far, in order.
    public var requests: [Request] { recorded.withLockedValue { $0 } }

    /// - Parameter tls: serve HTTPS (for a fake API server: a client-certificate check is set up
    ///   through the configuration's `certificateVerification` and `trustRoots`).
    public init(tls: TLSConfiguration? = nil, handler: @escaping Handler) async throws {
        let recorded = self.recorded
        let context = try tls.map { try NIOSSLContext(configuration: $0) }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                do {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                return channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RequestHandler(handler: handler, recorded: recorded))
                }
            }
        isTLS = tls != nil
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    public func stop() async {
        try? await channel.close()
    }
}

private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: LoopbackHTTPServer.Handler
    let recorded: NIOLockedValueBox<[LoopbackHTTPServer.Request]>
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(handler: @escaping LoopbackHTTPServer.Handler, recorded: NIOLockedValueBox<[LoopbackHTTPServer.Request]>) {
        self.handler = handler
        self.recorded = recorded
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = LoopbackHTTPServer.Request(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            recorded.withLockedValue { $0.append(request) }
            let handler = self.handler
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let promise = context.eventLoop.makePromise(of: LoopbackHTTPServer.Reply.self)
            promise.completeWithTask { await handler(request) }
            promise.futureResult.whenSuccess { reply in
                let (handler, context) = bound.value
                handler.write(reply, isHead: head.method == .HEAD, context: context)
            }
        }
    }

    func write(_ reply: LoopbackHTTPServer.Reply, isHead: Bool, context: ChannelHandlerContext) {
        switch reply {
        case .hang:
            return
        case .close:
            context.close(promise: nil)
        case .drip(let status, let headers, let body, let interval):
            var h = HTTPHeaders(headers)
            if !h.contains(name: "Content-Length") { h.add(name: "Content-Length", value: String(body.count)) }
            context.writeAndFlush(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h))), promise: nil)
            if isHead {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            drip(body[...], every: interval, context: context)
        case .respond(let status, let headers, let body):
            var h = HTTPHeaders(headers)
            if !h.contains(name: "Content-Length") { h.add(name: "Content-Length", value: String(body.count)) }
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !isHead && !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func drip(_ rest: ArraySlice<UInt8>, every interval: TimeAmount, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard let byte = rest.first else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: [byte])))), promise: nil)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: interval) {
            let (handler, context) = bound.value
            handler.drip(rest.dropFirst(), every: interval, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
