import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// Keeps idle and slow connections from starving the rest: a connection that has not sent a whole
/// request head within `headDeadline` (after it opened, or after its last answer) is closed, so a
/// slowloris trickling header bytes is cut however often it renews them; and when every slot of
/// the cap is taken, the connection idle longest (waiting for a head, not mid-answer) is closed
/// to make room, so 64 idle connections cannot keep a pull out for a minute.
public final class IdleConnections: Sendable {
    /// How long a connection may take to send a request head.
    public let headDeadline: TimeAmount

    struct Entry {
        var channel: any Channel
        /// Since when it waits for a request head; nil while a request is being answered.
        var idleSince: NIODeadline?
    }

    private let entries = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])

    public init(headDeadline: TimeAmount = .seconds(10)) {
        self.headDeadline = headDeadline
    }

    /// The channel handler each connection gets (after HTTP decoding).
    func handler() -> Handler { Handler(connections: self) }

    func register(_ id: ObjectIdentifier, channel: any Channel) {
        entries.withLockedValue { $0[id] = Entry(channel: channel, idleSince: .now()) }
    }

    func setIdle(_ id: ObjectIdentifier, _ idle: Bool) {
        entries.withLockedValue { $0[id]?.idleSince = idle ? .now() : nil }
    }

    func remove(_ id: ObjectIdentifier) {
        _ = entries.withLockedValue { $0.removeValue(forKey: id) }
    }

    /// Closes the connection that has waited longest for a request head, if any waits.
    public func closeLongestIdle() {
        let victim = entries.withLockedValue { entries -> (any Channel)? in
            guard let (id, entry) = entries.filter({ $0.value.idleSince != nil }).min(by: { $0.value.idleSince! < $1.value.idleSince! }) else {
                return nil
            }
            entries.removeValue(forKey: id)
            return entry.channel
        }
        victim?.close(promise: nil)
    }

    /// Marks its connection busy from a request head to the end of the answer, idle otherwise, and
    /// closes it when a head does not come in time.
    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        let connections: IdleConnections
        var deadline: Scheduled<Void>?

        init(connections: IdleConnections) { self.connections = connections }

        var id: ObjectIdentifier { ObjectIdentifier(self) }

        func handlerAdded(context: ChannelHandlerContext) {
            connections.register(id, channel: context.channel)
            arm(context)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            deadline?.cancel()
            connections.remove(id)
        }

        func channelInactive(context: ChannelHandlerContext) {
            deadline?.cancel()
            connections.remove(id)
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) {
                deadline?.cancel()
                deadline = nil
                connections.setIdle(id, false)
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) {
                connections.setIdle(id, true)
                arm(context)
            }
            context.write(data, promise: promise)
        }

        /// Closes the connection unless a request head comes within the deadline.
        func arm(_ context: ChannelHandlerContext) {
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: connections.headDeadline) { channel.close(promise: nil) }
        }
    }
}

/// The cap on open connections for `serve-bundle`: at the cap, the longest-idle connection is
/// closed to make room (`IdleConnections`); further connections wait in the listen backlog.
struct BundleConnectionLimit: AvailableConnectionsDelegate {
    let maxConnections: Int
    let idle: IdleConnections
    private(set) var open = 0

    init(maxConnections: Int, idle: IdleConnections) {
        self.maxConnections = maxConnections
        self.idle = idle
    }

    mutating func connectionOpened() {
        open += 1
        if open >= maxConnections { idle.closeLongestIdle() }
    }

    mutating func connectionClosed() { open = max(0, open - 1) }

    func isAcceptingNewConnections() -> Bool { open < maxConnections }
}
