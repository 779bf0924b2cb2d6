import HTTPTypes
import HummingbirdCore
import NIOCore

/// Reports one connection's state to its listener's ``ConnectionSlots``, and closes the connection when the
/// listener needs its slot: after an answer given while every slot is taken (the answer says `Connection: close`,
/// so the client does not send its next request into a closing connection), or later, if it is the longest idle
/// when a new connection fills the last slot.
///
/// A connection is idle once it has answered every request head it received, and busy from the next head on. A
/// new connection is busy until its first answer: until its first head is complete, `ReadTimeout=` bounds it
/// (``RequestReadDeadlineHandler``). Closing an idle kept-alive connection is what `IdleTimeout=` does anyway;
/// HTTP/1.1 clients expect it at any time between requests (RFC 9112, section 9.5).
final class IdleConnectionReclaimer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundIn
    typealias OutboundIn = HTTPConnectionStateHandler.OutboundIn
    typealias OutboundOut = HTTPConnectionStateHandler.OutboundIn

    private let slots: ConnectionSlots
    /// Request heads received and not answered yet (HTTP/1.1 pipelining allows several).
    private var unanswered = 0
    /// What ``ConnectionSlots`` calls to close this connection, made once per connection rather than per answer;
    /// set exactly while the connection holds one of the slots (from active to inactive).
    private var reclaim: ConnectionSlots.Reclaim?
    private var holdsSlot: Bool { reclaim != nil }
    /// The answer being written said `Connection: close`: the connection ends with it.
    private var closesAfterAnswer = false

    init(slots: ConnectionSlots) {
        self.slots = slots
    }

    private var id: ObjectIdentifier { ObjectIdentifier(self) }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { takeSlot(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        releaseSlot()
    }

    func channelActive(context: ChannelHandlerContext) {
        takeSlot(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        releaseSlot()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            if unanswered == 0 { slots.becameBusy(id) }
            unanswered += 1
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where unanswered == 1 && holdsSlot && head.status.kind != .informational && slots.areAllTaken:
            // Every slot is taken, so somebody may be waiting for one: this connection ends with this answer (the
            // final one: a 100 Continue before it must not say close).
            head.headerFields[.connection] = "close"
            closesAfterAnswer = true
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where unanswered > 0:
            unanswered -= 1
            if unanswered == 0, closesAfterAnswer {
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                written.futureResult.cascade(to: promise)
                context.write(data, promise: written)
                return
            }
            if unanswered == 0, let reclaim {
                slots.becameIdle(id, reclaim: reclaim)
            }
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    /// Runs on this connection's event loop when ``ConnectionSlots`` picked it: a head may have arrived since.
    private func closeIfIdle(context: ChannelHandlerContext) {
        guard holdsSlot, unanswered == 0, context.channel.isActive else { return }
        context.close(promise: nil)
    }

    private func takeSlot(_ context: ChannelHandlerContext) {
        guard !holdsSlot else { return }
        let connection = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        reclaim = { [eventLoop = context.eventLoop] in
            eventLoop.execute { connection.value.handler.closeIfIdle(context: connection.value.context) }
        }
        slots.opened()?()
    }

    private func releaseSlot() {
        guard holdsSlot else { return }
        reclaim = nil  // it holds this handler and its context
        slots.closed(id)
    }
}
