/// In-memory state of the fake Authy API: the webhooks, the queue of injected failures and the log of what arrived.
/// Tests reach in to seed webhooks, inject failures and inspect requests.
public actor FakeAuthyState {
    /// The App API Key every call must carry as `app_api_key`.
    public nonisolated let appAPIKey: String
    /// The Access Key every call must carry as `access_key`.
    public nonisolated let accessKey: String
    /// The key the fake checks signatures with.
    public nonisolated let apiSigningKey: String

    /// The webhooks, in creation order.
    public private(set) var webhooks: [FakeWebhook] = []
    /// Every API request received, in arrival order.
    public private(set) var requestLog: [FakeRequestRecord] = []
    private var failures: [FakeFailure] = []

    /// An empty fake accepting these keys.
    public init(appAPIKey: String, accessKey: String, apiSigningKey: String) {
        self.appAPIKey = appAPIKey
        self.accessKey = accessKey
        self.apiSigningKey = apiSigningKey
    }

    /// Adds a webhook directly, as if it had been made in the Twilio console.
    public func seed(_ webhook: FakeWebhook) {
        webhooks.append(webhook)
    }

    /// Removes webhooks directly (all by default), as if deleted in the Twilio console behind the daemon's back.
    public func removeAll(where shouldRemove: @Sendable (FakeWebhook) -> Bool = { _ in true }) {
        webhooks.removeAll(where: shouldRemove)
    }

    /// Queues failures; each is served, in order, to one of the next API requests before normal handling.
    public func enqueueFailures(_ failures: [FakeFailure]) {
        self.failures.append(contentsOf: failures)
    }

    /// How many injected failures are still queued.
    public var pendingFailureCount: Int { failures.count }

    func nextFailure() -> FakeFailure? {
        failures.isEmpty ? nil : failures.removeFirst()
    }

    func create(name: String, url: String, events: [String]) -> FakeWebhook {
        let webhook = FakeWebhook(name: name, url: url, events: events)
        webhooks.append(webhook)
        return webhook
    }

    /// Removes the webhook `id`; false if there was none.
    func delete(id: String) -> Bool {
        guard let index = webhooks.firstIndex(where: { $0.id == id }) else { return false }
        webhooks.remove(at: index)
        return true
    }

    /// Appends a record and returns its index, so the status can be filled in once answered.
    func record(_ record: FakeRequestRecord) -> Int {
        requestLog.append(record)
        return requestLog.count - 1
    }

    func finish(_ index: Int, status: Int) {
        requestLog[index].status = status
    }
}
