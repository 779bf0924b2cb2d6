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

    /// Checks the socket file before talking HTTP, without connecting: a connection here would take one of the
    /// control socket's `MaxConnections=` slots only to be dropped. A missing file or a closed folder gets its own
    /// message and exit code; everything else is learned from the one real connection (see `unreachable`).
    func checkSocketFile() throws(CtlError) {
        guard socketPath.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw CtlError(exitCode: CtlError.usage, "the socket path \(socketPath) is too long for a Unix socket")
        }
        var info = stat()
        guard stat(socketPath, &info) == 0 else {
            let failure = errno
            if failure == EACCES { throw permissionDenied("permission denied on its folder") }
            throw notRunning(failure)
        }
    }

    /// Explains a request whose connection failed. AsyncHTTPClient wraps the connect's errno in types that vary by
    /// version, so the socket is probed once more to name the cause: nothing accepts there (that probe takes no slot
    /// from a daemon that is not serving), or something does, and the request failed for `error`.
    private func unreachable(_ error: any Error) -> CtlError {
        let code = UnixSocketProbe.connectError(path: socketPath)
        if code == EACCES || code == EPERM { return permissionDenied(String(cString: strerror(code))) }
        if code != 0 { return notRunning(code) }
        return CtlError(exitCode: CtlError.unavailable, "cannot reach authy-webhooksd at \(socketPath): \(error); is the service running?")
    }

    private func notRunning(_ code: Int32) -> CtlError {
        CtlError(exitCode: CtlError.unavailable, "cannot reach authy-webhooksd at \(socketPath): \(String(cString: strerror(code))); is the service running?")
    }

    /// Names the group that grants access: the socket's, or its folder's when the folder itself is closed.
    private func permissionDenied(_ reason: String) -> CtlError {
        var info = stat()
        var group = "the socket's group"
        let folder = (socketPath as NSString).deletingLastPathComponent
        if stat(socketPath, &info) == 0 || stat(folder.isEmpty ? "." : folder, &info) == 0 {
            group = "group \(UserDatabase.groupName(UInt32(info.st_gid)))"
        }
        return CtlError(exitCode: CtlError.permission, "permission denied on \(socketPath) (\(reason)): run as root or as a member of \(group)")
    }

    /// Sends a request and returns the streaming response (status already checked: an error answer is thrown).
    func send(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, timeout: TimeAmount? = .seconds(60)) async throws -> HTTPClientResponse {
        try checkSocketFile()
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
            throw unreachable(error)
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
