import AuthyWebhooksConfig
import EventStore
import Foundation

/// What becomes of a job after an attempt: `RetrySchedule=` with ±20 % jitter, a handler's `Retry-After` as a floor.
enum RetryDecision {
    /// - Parameter round: attempts since the job was queued, this one included.
    static func result(of response: ForwardResponse, round: Int, schedule: [Duration], now: Date,
                       jitter: Double = Double.random(in: -0.2...0.2)) -> (ForwardAttemptResult, Date?) {
        switch response.verdict {
        case .delivered: return (.delivered, nil)
        case .refused: return (.dead, nil)
        case .failed(let notBefore):
            guard round >= 1, round <= schedule.count else { return (.dead, nil) }
            var wait = schedule[round - 1].timeInterval * (1 + jitter)
            if let notBefore { wait = max(wait, notBefore.timeInterval) }
            return (.retry, now.addingTimeInterval(wait))
        }
    }
}
