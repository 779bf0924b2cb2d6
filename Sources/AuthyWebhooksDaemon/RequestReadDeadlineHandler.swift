import HummingbirdCore
import NIOCore

/// Bounds how long a client may take to send a request, on the connection's own event loop:
///
/// - the first request head must be complete within the timeout of accept, or the connection is closed (nothing
///   to answer yet). Why: Hummingbird's idle timeout counts from the last complete HTTP part, so a client that
///   trickles the bytes of a head that never ends (slowloris) would keep its slot of `MaxConnections=` for the
///   whole `IdleTimeout=`;
/// - each request's body must be complete within the timeout of its head, or ``DeadlineExceeded`` is raised in the
///   pipeline: the handler reading the body gets it as the body's error and answers 408, then the connection
///   closes.
///
/// A later request on a kept-alive connection is bounded by `IdleTimeout=` until its head arrives: at this level,
/// waiting for it and receiving it slowly look the same.
///
/// Why here and not around the body read in the handler: a timer on the event loop costs a heap insert per
/// request, where racing the read against `Task.sleep` in a task group cost two child tasks and a dispatch timer,
/// about 5 % of the CPU of every delivery.
final class RequestReadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundIn

    private enum Phase {
        /// No head yet on this connection: closing is the only answer.
        case awaitingFirstHead
        /// A head arrived; its body (and end) must follow in time.
        case readingBody
        /// Between requests: `IdleTimeout=` applies.
        case idle
    }

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var phase = Phase.awaitingFirstHead

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHeadDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        armHeadDeadline(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            disarm()
            phase = .readingBody
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                context.fireErrorCaught(DeadlineExceeded())
            }
        case .end:
            disarm()
            phase = .idle
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    private func armHeadDeadline(_ context: ChannelHandlerContext) {
        guard deadline == nil, phase == .awaitingFirstHead else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
