import AsyncHTTPClient
import ControlProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// A failure of authyctl, with the exit status it maps to (sysexits.h) and one line for stderr.
public struct CtlError: Error, CustomStringConvertible {
    /// The daemon is not running or its socket is missing (EX_UNAVAILABLE).
    public static let unavailable: Int32 = 69
    /// The socket refuses this user (EX_NOPERM).
    public static let permission: Int32 = 77
    /// Bad arguments (EX_USAGE).
    public static let usage: Int32 = 64
    /// The daemon answered with an error.
    public static let failed: Int32 = 1

    public var exitCode: Int32
    public var message: String

    public init(exitCode: Int32, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public var description: String { message }
}

/// JSON over HTTP/1.1 on the daemon's Unix socket.
final class ControlClient: Sendable {
    let socketPath: String
    let http: HTTPClient

    init(socketPath: String) {
        self.socketPath = socketPath
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await http.shutdown()
    }

    /// Checks the socket before talking HTTP, so each way of failing gets its own clear message and exit code.
    func checkReachable() throws(CtlError) {
        var info = stat()
        guard stat(socketPath, &info) == 0 else {
            let failure = errno
            if failure == EACCES { throw permissionDenied("permission denied on its folder") }
            let reason = String(cString: strerror(failure))
            throw CtlError(exitCode: CtlError.unavailable, "cannot reach authy-webhooksd at \(socketPath): \(reason); is the service running?")
        }
        let code = UnixSocketProbe.connectError(path: socketPath)
        if code == ENAMETOOLONG {
            throw CtlError(exitCode: CtlError.usage, "the socket path \(socketPath) is too long for a Unix socket")
        }
        if code != 0 {
            if code == EACCES || code == EPERM { throw permissionDenied(String(cString: strerror(code))) }
            throw CtlError(exitCode: CtlError.unavailable, "cannot reach authy-webhooksd at \(socketPath): \(String(cString: strerror(code))); is the service running?")
        }
    }

    /// Names the group that grants access: the socket's, or its folder's when the folder itself is closed.
    private func permissionDenied(_ reason: String) -> CtlError {
        var info = stat()
        var group = "the socket's group"
        let folder = (socketPath as NSString).deletingLastPathComponent
        if (stat(socketPath, &info) == 0 || stat(folder.isEmpty ? "." : folder, &info) == 0), let entry = getgrgid(info.st_gid) {
            group = "group \(String(cString: entry.pointee.gr_name))"
        }
        return CtlError(exitCode: CtlError.permission, "permission denied on \(socketPath) (\(reason)): run as root or as a member of \(group)")
    }

    /// Sends a request and returns the streaming response (status already checked: an error answer is thrown).
    func send(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, timeout: TimeAmount? = .seconds(60)) async throws -> HTTPClientResponse {
        try checkReachable()
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: path) else {
            throw CtlError(exitCode: CtlError.usage, "cannot build a URL for the socket \(socketPath)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try ControlJSON.encoder().encode(body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout ?? .hours(24 * 365))
        } catch {
            throw CtlError(exitCode: CtlError.unavailable, "cannot reach authy-webhooksd at \(socketPath): \(error); is the service running?")
        }
        guard (200..<300).contains(response.status.code) else {
            let data = try? await response.body.collect(upTo: 1 << 20)
            let decoded = data.flatMap { try? ControlJSON.decoder().decode(ControlErrorResponse.self, from: Data($0.readableBytesView)) }
            let message = decoded.map { "\($0.error.message) [\($0.error.code)]" } ?? "the daemon answered \(response.status.code) \(response.status.reasonPhrase)"
            throw CtlError(exitCode: response.status.code == 403 ? CtlError.permission : CtlError.failed, message)
        }
        return response
    }

    /// Sends a request and decodes a JSON answer.
    func call<T: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as type: T.Type, timeout: TimeAmount? = .seconds(120)) async throws -> T {
        let response = try await send(method, path, body: body, timeout: timeout)
        let data = try await response.body.collect(upTo: 64 << 20)
        do {
            return try ControlJSON.decoder().decode(T.self, from: Data(data.readableBytesView))
        } catch {
            throw CtlError(exitCode: CtlError.failed, "the daemon's answer could not be read: \(error)")
        }
    }
}
