import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import WebhookVerification

/// Bounds how long a client may take to send a request, on the connection's own event loop:
///
/// - the first request head must be complete within the timeout of accept, or the connection is closed (nothing
///   to answer yet). Why: Hummingbird's idle timeout counts from the last complete HTTP part, so a client that
///   trickles the bytes of a head that never ends (slowloris) would keep its slot of `MaxConnections=` for the
///   whole `IdleTimeout=`;
/// - each request's body must be complete within the timeout of its head, or ``DeadlineExceeded`` is raised in the
///   pipeline: the handler reading the body gets it as the body's error and answers 408, then the connection
///   closes;
/// - on a kept-alive connection, the next head must be complete within the timeout of its first bytes; until they
///   come, the connection is idle and `IdleTimeout=` applies. The HTTP parts cannot tell waiting from a head that
///   trickles in, so a ``RequestStartObserver`` placed before the HTTP decoder reports when bytes arrive.
///
/// It also answers a head larger than `MaxHeaderSize=` with 431 and a JSON error naming the limit, then closes
/// (Hummingbird answers every parse error with a bare 400).
///
/// Why here and not around the body read in the handler: a timer on the event loop costs a heap insert per
/// request, where racing the read against `Task.sleep` in a task group cost two child tasks and a dispatch timer,
/// about 5 % of the CPU of every delivery.
final class RequestReadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundIn
    typealias OutboundOut = HTTPConnectionStateHandler.OutboundIn

    private enum Phase {
        /// Bytes of a head are arriving (or, on a new connection, expected): closing is the only answer.
        case awaitingHead
        /// A head arrived; its body (and end) must follow in time.
        case readingBody
        /// Between requests: `IdleTimeout=` applies.
        case idle
    }

    private let timeout: TimeAmount
    private let maxHeaderSize: Int
    private var deadline: Scheduled<Void>?
    private var phase = Phase.awaitingHead

    /// - Parameters:
    ///   - timeout: `ReadTimeout=`.
    ///   - maxHeaderSize: `MaxHeaderSize=`, named in the 431 answer to a head larger than it.
    init(timeout: TimeAmount, maxHeaderSize: Int) {
        self.timeout = timeout
        self.maxHeaderSize = maxHeaderSize
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let observer = RequestStartObserver { [weak self] in self?.bytesArrived(context) }
        try? context.pipeline.syncOperations.addHandler(observer, position: .first)
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

    /// A head too large for the decoder: answered 431 (Request Header Fields Too Large) with the limit, then closed,
    /// as the rest of the stream cannot be parsed. Other errors go on to Hummingbird.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        disarm()
        let body = JSONResponse.errorBody(
            code: ReceiverErrorCode.headerTooLarge.rawValue,
            message: "the request line and headers are larger than MaxHeaderSize=\(maxHeaderSize) bytes, or have more than 100 fields")
        let buffer = context.channel.allocator.buffer(string: body)
        let head = HTTPResponse(
            status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
            headerFields: [.contentType: "application/json", .contentLength: String(buffer.readableBytes), .connection: "close"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Bytes reached the connection: if it was idle between requests, the next head has started.
    private func bytesArrived(_ context: ChannelHandlerContext) {
        guard phase == .idle else { return }
        phase = .awaitingHead
        armHeadDeadline(context)
    }

    private func armHeadDeadline(_ context: ChannelHandlerContext) {
        guard deadline == nil, phase == .awaitingHead else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

/// Sits first in the pipeline, before the HTTP decoder, and reports each read of raw bytes to
/// ``RequestReadDeadlineHandler`` (on the connection's event loop).
final class RequestStartObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let onBytes: () -> Void

    init(onBytes: @escaping () -> Void) {
        self.onBytes = onBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onBytes()
        context.fireChannelRead(data)
    }
}
