import Foundation

/// A failure of the store, with a stable code.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifiers of store failures.
    public enum Code: String, Sendable {
        /// The database could not be opened or migrated.
        case unavailable = "store_unavailable"
        /// The disk (or the database's size limit) is full: retry later.
        case full = "store_full"
        /// Another process holds the write lock past the busy timeout: retry later.
        case busy = "store_busy"
        /// An I/O error, read-only file system or similar: retry later.
        case io = "store_io"
        /// The file is not a database or is damaged.
        case corrupt = "store_corrupt"
        /// The store was closed.
        case closed = "store_closed"
        /// Anything else.
        case failed = "store_failed"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
