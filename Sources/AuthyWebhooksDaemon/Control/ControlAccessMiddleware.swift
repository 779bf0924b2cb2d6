import AuthyWebhooksConfig
import ControlProtocol
import Foundation
import Hummingbird

/// Checks every control request against the caller's `SO_PEERCRED`, so the socket's file mode is not the only
/// gate (a `SocketMode=0666` or a copied socket path must not open it to everyone):
/// - reading (`GET`: status, events) is for root, the daemon's own user and members of the socket's group
///   (`[Control] SocketGroup=`, else the daemon's group) or of `AdminGroup=`;
/// - changing things (every other method: webhooks create/delete/sync, events simulate/prune) and seeing signing
///   keys is for root, the daemon's own user and members of `[Control] AdminGroup=` (empty: nobody else).
/// A refused caller gets 403 `permission_denied` naming what it needs; authyctl turns that into exit 77.
struct ControlAccessMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    let state: DaemonState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let peer: PeerCredentials
        do {
            peer = try await PeerCredentials.of(context.channel)
        } catch {
            throw ControlFailure(.forbidden, .permissionDenied, "the control socket could not tell who is calling, so the request is refused")
        }
        let policy = ControlAccessPolicy(control: state.configuration.control, daemonUID: UInt32(geteuid()), daemonGID: UInt32(getegid()))
        let needsAdmin = Self.changesSomething(request)
        if let refusal = needsAdmin ? policy.refuseChange(peer) : policy.refuseRead(peer) {
            let action = Self.describe(request)
            context.logger.notice("control socket: refused \(action) to \(peer): \(refusal)")
            throw ControlFailure(.forbidden, .permissionDenied, "permission denied: \(action) \(refusal)")
        }
        return try await next(request, context)
    }

    /// Anything but a plain read changes something; `show_signing_keys` reveals secrets and counts as a change.
    static func changesSomething(_ request: Request) -> Bool {
        if request.method == .get || request.method == .head {
            return request.queryFlag("show_signing_keys")
        }
        return true
    }

    /// The authyctl command a request comes from, for the refusal message.
    static func describe(_ request: Request) -> String {
        let path = request.uri.path
        switch (request.method, path) {
        case (.post, ControlAPI.prunePath): return "events prune"
        case (.post, ControlAPI.simulatePath): return "events simulate"
        case (.post, ControlAPI.syncPath): return "webhooks sync"
        case (.post, ControlAPI.webhooksPath): return "webhooks create"
        case (.get, ControlAPI.webhooksPath) where changesSomething(request): return "webhooks list --show-signing-keys"
        case (.delete, _) where path.hasPrefix(ControlAPI.webhooksPath + "/"): return "webhooks delete"
        case (.delete, _) where path.hasPrefix(ControlAPI.forwardPath + "/"): return "forward drop"
        case (.post, _) where path.hasPrefix(ControlAPI.forwardPath + "/"): return "forward " + (path.split(separator: "/").last.map(String.init) ?? "")
        case (.get, _) where path.hasPrefix(ControlAPI.forwardPath): return "forward status"
        case (.get, ControlAPI.statusPath): return "status"
        case (.get, _) where path.hasPrefix(ControlAPI.eventsPath): return "events"
        case (.get, _) where path.hasPrefix(ControlAPI.webhooksPath): return "webhooks list"
        default: return "\(request.method) \(path)"
        }
    }
}

/// Who may read and who may change things, from `[Control]` and the daemon's own identity.
struct ControlAccessPolicy {
    let control: ControlSettings
    let daemonUID: UInt32
    let daemonGID: UInt32

    /// nil when `peer` may read; else the end of a sentence saying what is needed.
    func refuseRead(_ peer: PeerCredentials) -> String? {
        if isPrivileged(peer) { return nil }
        let name = control.socketGroup ?? UserDatabase.groupName(daemonGID)
        let gid = control.socketGroup.map(UserDatabase.groupID(named:)) ?? daemonGID
        if let gid, peer.isMember(of: gid) { return nil }
        // Whoever may change things may read them.
        if let admin = control.adminGroup.flatMap(UserDatabase.groupID(named:)), peer.isMember(of: admin) { return nil }
        return "needs root or membership of group \(name) (the control socket's group, [Control] SocketGroup=)"
    }

    /// nil when `peer` may change things; else the end of a sentence saying what is needed.
    func refuseChange(_ peer: PeerCredentials) -> String? {
        if isPrivileged(peer) { return nil }
        guard let group = control.adminGroup else {
            return "needs root: [Control] AdminGroup= is empty, so only root may change things"
        }
        guard let gid = UserDatabase.groupID(named: group) else {
            return "needs root: [Control] AdminGroup=\(group) names no existing group"
        }
        if peer.isMember(of: gid) { return nil }
        return "needs root or membership of group \(group) ([Control] AdminGroup=)"
    }

    /// Root, and the daemon's own user (who owns the process anyway: the developer running it by hand).
    private func isPrivileged(_ peer: PeerCredentials) -> Bool {
        peer.uid == 0 || peer.uid == daemonUID
    }
}
