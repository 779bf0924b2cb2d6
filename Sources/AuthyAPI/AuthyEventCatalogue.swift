/// The event names Authy documents for webhooks, and the names seen elsewhere that no source confirms as webhook events.
///
/// Source: the public demo AuthySE/webhooks-api README and the C# port's constants (reference section 5).
/// Unknown names are refused on create only (with an explicit override); a receiver must never reject them.
public enum AuthyEventCatalogue {
    /// The 23 documented webhook event names, sorted.
    public static let knownEvents: [String] = [
        "account_recovery_approved",
        "account_recovery_canceled",
        "account_recovery_started",
        "custom_message_not_allowed",
        "device_registration_completed",
        "one_touch_request_responded",
        "phone_change_canceled",
        "phone_change_pin_sent",
        "phone_change_requested",
        "phone_verification_code_is_invalid",
        "phone_verification_code_is_valid",
        "phone_verification_failed",
        "phone_verification_not_found",
        "phone_verification_started",
        "suspended_account",
        "token_invalid",
        "token_verified",
        "too_many_code_verifications",
        "too_many_phone_verifications",
        "totp_token_sent",
        "user_added",
        "user_phone_changed",
        "user_removed",
    ]

    /// Names seen in Authy material but not confirmed as webhook events (unconfirmed: Authy may or may not accept them).
    public static let unconfirmedEvents: [String] = [
        "multidevice_setting_changed",
        "totp_token_sent_via_call",
        "unlock_method_changed",
        "user_account_deleted",
        "user_registration_completed",
    ]

    private static let knownSet = Set(knownEvents)
    private static let unconfirmedSet = Set(unconfirmedEvents)

    /// Whether `name` is one of the 23 documented event names (exact, case-sensitive match).
    public static func isKnown(_ name: String) -> Bool {
        knownSet.contains(name)
    }

    /// Whether `name` is one of the names seen elsewhere but unconfirmed as a webhook event.
    public static func isUnconfirmed(_ name: String) -> Bool {
        unconfirmedSet.contains(name)
    }
}
