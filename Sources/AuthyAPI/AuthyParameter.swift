/// One form parameter of a webhooks-API call: a name with one value, or an array parameter (e.g. `events[]`) whose
/// values stay together, in their order, when the parameters are canonicalized.
public struct AuthyParameter: Sendable, Equatable {
    /// The parameter name exactly as sent, before form encoding (for an array parameter including `[]`).
    public let name: String
    /// The values, in the order they are sent.
    public let values: [String]

    /// A single-valued parameter.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.values = [value]
    }

    /// An array parameter, sent once per value (`events[]=a&events[]=b`).
    public init(_ name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}
