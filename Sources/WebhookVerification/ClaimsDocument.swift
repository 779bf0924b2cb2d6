/// The verified claims, read as leniently as their shape allows.
struct ClaimsDocument {
    /// Why unreadable claims could not be stored verbatim; fixed ASCII texts, stored in the fallback payload.
    enum Unstorable: String {
        case notJSON = "the claims are not valid UTF-8 JSON text"
        case tooDeep = "the claims nest deeper than allowed"
    }

    let bytes: [UInt8]
    /// The parsed claims when they are a strict JSON object (no duplicate keys) within `DeliveryVerifier.maxDepth`;
    /// nil for anything else, which is still a genuine delivery (see `eventItems`).
    let object: JSONDocument?

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let document = try? StrictJSON.parse(bytes, maxDepth: DeliveryVerifier.maxDepth)
        object = document.flatMap { $0.kind($0.root) == .object ? $0 : nil }
    }

    /// One item per element of `params.events`, or the single fallback item (and `false`) when there is no such array.
    func eventItems() -> (items: [DeliveryEventItem], readable: Bool) {
        guard let document = object,
            let params = document.member(document.root, "params"),
            let events = document.member(params, "events"),
            document.kind(events) == .array
        else { return ([fallbackItem()], false) }

        let items = document.elements(events).map { element in
            guard document.kind(element) == .object else {
                return DeliveryEventItem(
                    type: nil, occurredAt: nil, requestID: nil, payloadJSON: document.rawBytes(element))
            }
            let request = document.member(element, "request")
            return DeliveryEventItem(
                type: document.member(element, "event").flatMap { document.string($0) },
                occurredAt: document.member(element, "time").flatMap { Self.text(document, $0) },
                requestID: request.flatMap { document.member($0, "id") }.flatMap { Self.text(document, $0) },
                payloadJSON: document.rawBytes(element))
        }
        return (items, true)
    }

    /// A string's value or a number's JSON text; nil for anything else.
    private static func text(_ document: JSONDocument, _ node: Int) -> String? {
        switch document.kind(node) {
        case .string: document.string(node)
        case .number: document.rawText(node)
        default: nil
        }
    }

    /// The whole claims when they are storable JSON text, else a description (see `DeliveryEventItem`).
    private func fallbackItem() -> DeliveryEventItem {
        let payload: [UInt8]
        do throws(StrictJSONError) {
            try StrictJSON.validate(bytes, maxDepth: DeliveryVerifier.fallbackMaxDepth, allowDuplicateKeys: true)
            payload = bytes
        } catch {
            let reason: Unstorable = error.kind == .tooDeep ? .tooDeep : .notJSON
            payload = Array(#"{"unreadable_claims":"\#(reason.rawValue)"}"#.utf8)
        }
        return DeliveryEventItem(type: nil, occurredAt: nil, requestID: nil, payloadJSON: payload)
    }
}
