import ControlProtocol
import Hummingbird

extension Request {
    /// Whether the boolean query parameter `name` (`?raw=1`, `?show_signing_keys=true`) is set, by the control
    /// API's one rule (``ControlAPI/isTrue(_:)``); absent means false.
    func queryFlag(_ name: String) -> Bool {
        uri.queryParameters[Substring(name)].map { ControlAPI.isTrue(String($0)) } ?? false
    }
}
