/// `[Log]`: how much the daemon logs.
public struct LogSettings: Sendable, Equatable {
    /// `Level=`: the lowest level written. Default `info`.
    public var level: LogLevelSetting

    /// Every default of `[Log]`.
    public static let `default` = LogSettings(level: .info)
}

/// `[Log] Level=` values, in swift-log's order from most to least verbose.
public enum LogLevelSetting: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
