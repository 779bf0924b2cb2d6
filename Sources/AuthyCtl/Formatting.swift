import Foundation

/// Human formats for table output.
enum Formatting {
    /// `2026-11-29 10:00:00` in the local time zone.
    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// The store's commit durability with what it means for an acknowledged delivery.
    static func durability(_ level: String?) -> String {
        switch level {
        case "full", "extra": "\(level!) (fsync per commit: acknowledged deliveries survive a power loss)"
        case "normal": "normal (no fsync per commit: a power loss may lose the last acknowledged deliveries)"
        case "off": "off (no fsync at all: an OS crash may lose deliveries or damage the database)"
        case let other?: other
        case nil: "not reported by this daemon"
        }
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        let (days, hours, minutes, secs) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)min" }
        if minutes > 0 { return "\(minutes)min \(secs)s" }
        return "\(secs)s"
    }
}
