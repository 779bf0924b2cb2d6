import EventStore
import WebhookVerification

extension ReceiverErrorCode {
    /// The answer's code for a store failure. An exhaustive switch, so that a new store code cannot reach an answer
    /// without a case of its own in the receiver's list (and so in the README's table).
    init(_ code: StoreError.Code) {
        switch code {
        case .unavailable: self = .storeUnavailable
        case .full: self = .storeFull
        case .busy: self = .storeBusy
        case .io: self = .storeIO
        case .corrupt: self = .storeCorrupt
        case .closed: self = .storeClosed
        case .failed: self = .storeFailed
        }
    }
}
