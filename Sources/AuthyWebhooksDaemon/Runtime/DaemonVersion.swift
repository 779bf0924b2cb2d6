/// The version both binaries report (`--version`, the control API's version header, `authyctl status`).
public enum DaemonVersion {
    public static let string = "0.1.0"
}
