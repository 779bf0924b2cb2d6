import Hummingbird
import NIOCore

extension Request {
    /// The whole body, at most `limit` bytes, within `timeout`: both servers read bodies this way, so a client can
    /// neither send too much nor hold a request open by sending slowly. Throws `NIOTooManyBytesError` past the
    /// limit and ``DeadlineExceeded`` past the timeout.
    func collectBody(upTo limit: Int, within timeout: Duration) async throws -> ByteBuffer {
        let body = self.body
        return try await withDeadline(timeout) { try await body.collect(upTo: limit) }
    }
}
