import Hummingbird
import NIOCore

/// Request context of the control socket: keeps the channel so a handler can ask who is calling (SO_PEERCRED).
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
