import Foundation
import Logging

/// The process-wide log level every handler made by ``SystemdLogging`` follows, so a reload (SIGHUP) that
/// changes `[Log] Level=` reaches loggers that were created long before it.
final class SharedLogLevel: @unchecked Sendable {
    // @unchecked: `level` is only touched under `lock`.
    private let lock = NSLock()
    private var level: Logger.Level

    init(_ level: Logger.Level) {
        self.level = level
    }

    /// The level shared by all loggers that did not set their own.
    var current: Logger.Level {
        get { lock.withLock { level } }
        set { lock.withLock { level = newValue } }
    }

    /// The one instance ``SystemdLogging`` and the handlers' default initialisers use.
    static let process = SharedLogLevel(.info)
}

/// The level logic both handlers share: follow the shared level until someone sets this logger's own, because
/// swift-log requires a level set on one `Logger` to leave every other `Logger` alone.
struct HandlerLogLevel: Sendable {
    let shared: SharedLogLevel
    var own: Logger.Level?

    var effective: Logger.Level {
        get { own ?? shared.current }
        set { own = newValue }
    }
}
