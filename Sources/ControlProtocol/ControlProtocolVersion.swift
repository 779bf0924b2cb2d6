import Foundation

/// The version of authy-webhooksd and authyctl, one literal for both binaries: `--version` of each, the control
/// API's version header and `authyctl status`. Here because both link ControlProtocol.
public enum ControlProtocolVersion {
    public static let string = "0.1.0"
}
