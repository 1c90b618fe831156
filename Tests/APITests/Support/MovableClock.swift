import Beliefs
import Foundation

/// The current time, moved on by hand: what ages tokens in process without waiting.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset = Timespan.zero

    /// The real time plus how far the clock was moved.
    var now: @Sendable () -> Instant {
        { [self] in Instant.now() + lock.withLock { offset } }
    }

    func advance(by span: Timespan) {
        lock.withLock { offset = offset + span }
    }
}
