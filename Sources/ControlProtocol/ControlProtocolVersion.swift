import Foundation

/// The version of the control protocol`s client, printed by `authyctl --version` (the daemon reports its own in
/// `authyctl status`).
public enum ControlProtocolVersion {
    public static let string = "0.1.0"
}
