import Beliefs
import Synchronization

/// A site clock that a test moves by hand: time passes only when the test says so, never by sleeping.
final class SiteClock: Sendable {
    private let current: Mutex<Instant>

    init(_ start: Instant = TestSite.now) {
        current = Mutex(start)
    }

    var now: @Sendable () -> Instant {
        { [self] in current.withLock { $0 } }
    }

    func advance(by span: Timespan) {
        current.withLock { $0 = $0 + span }
    }
}
