import Foundation

/// The filters and paging of `GET /v1/events`, as URL query items (times already resolved to instants).
public struct EventListRequest: Sendable, Equatable {
    public var since: Date?
    public var until: Date?
    public var types: [String]
    /// A webhook name or Authy id.
    public var webhook: String?
    /// Keep the newest `limit` matches; 0 = all of them.
    public var limit: Int
    /// Newest first.
    public var reverse: Bool
    /// Keep the response open and stream events as they are stored.
    public var follow: Bool

    public static let defaultLimit = 100

    public init(since: Date? = nil, until: Date? = nil, types: [String] = [], webhook: String? = nil, limit: Int = defaultLimit, reverse: Bool = false, follow: Bool = false) {
        self.since = since
        self.until = until
        self.types = types
        self.webhook = webhook
        self.limit = limit
        self.reverse = reverse
        self.follow = follow
    }

    public var queryItems: [URLQueryItem] {
        var items: [URLQueryItem] = []
        if let since { items.append(URLQueryItem(name: "since", value: Timestamp.rfc3339(since))) }
        if let until { items.append(URLQueryItem(name: "until", value: Timestamp.rfc3339(until))) }
        for type in types { items.append(URLQueryItem(name: "type", value: type)) }
        if let webhook { items.append(URLQueryItem(name: "webhook", value: webhook)) }
        items.append(URLQueryItem(name: "limit", value: String(limit)))
        if reverse { items.append(URLQueryItem(name: "reverse", value: "1")) }
        if follow { items.append(URLQueryItem(name: "follow", value: "1")) }
        return items
    }

    /// The request path with its query string.
    public var path: String {
        var components = URLComponents()
        components.path = ControlAPI.eventsPath
        components.queryItems = queryItems
        return components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "")
    }

    /// Reads the query items back; a bad value is a ``ControlErrorResponse`` with `bad_request`.
    public init(queryItems: [(name: String, value: String)]) throws(ControlErrorResponse) {
        self.init()
        for (name, value) in queryItems {
            switch name {
            case "since", "until":
                guard let date = Timestamp.parseRFC3339(value) else {
                    throw ControlErrorResponse(code: ControlErrorCode.badRequest.rawValue, message: "\(name) must be an RFC 3339 time, got \(JSONText.quoted(value))")
                }
                if name == "since" { since = date } else { until = date }
            case "type": types.append(value)
            case "webhook": webhook = value
            case "limit":
                guard let number = Int(value), number >= 0 else {
                    throw ControlErrorResponse(code: ControlErrorCode.badRequest.rawValue, message: "limit must be a whole number ≥ 0, got \(JSONText.quoted(value))")
                }
                limit = number
            case "reverse": reverse = ControlAPI.isTrue(value)
            case "follow": follow = ControlAPI.isTrue(value)
            default:
                throw ControlErrorResponse(code: ControlErrorCode.badRequest.rawValue, message: "unknown query parameter \(JSONText.quoted(name))")
            }
        }
    }

}

extension ControlErrorResponse: Error {}
