import HummingbirdCore
import NIOCore

/// Closes a receiver connection whose first request head has not fully arrived within `[Receiver] ReadTimeout=`.
///
/// Why: Hummingbird's idle timeout counts from the last complete HTTP part, so a client that trickles the bytes of
/// a head that never ends (slowloris) kept its connection, and a slot of `MaxConnections=`, for the whole
/// `IdleTimeout=` (60 s by default) instead of the `ReadTimeout=` the configuration promises. The body is already
/// bounded by `ReadTimeout=` in ``ReceiverResponder``. A later request on a kept-alive connection is bounded by
/// `IdleTimeout=`, as before: at this level, waiting for it and receiving it slowly look the same.
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundIn

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var headArrived = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            headArrived = true
            disarm()
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headArrived else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
