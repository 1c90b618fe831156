import API
import Beliefs
import Jobs
import Testing

/// A worker lives while it is heard from within the allowed silence and its loop has not ended.
@Suite struct WorkerLivenessTests {
    let start = Instant(secondsSinceEpoch: 1_600_000_000)

    @Test func aWorkerHeardFromRecentlyLives() {
        let liveness = WorkerLiveness(allowedSilence: .seconds(30))
        #expect(liveness.states(at: start).isEmpty, "no worker runs in this process yet")
        liveness.heard(from: .scheduling, at: start)
        #expect(liveness.states(at: start + .seconds(30))[.scheduling]?.alive == true)
        #expect(liveness.states(at: start + .seconds(12))[.scheduling]?.silentSeconds == 12)
    }

    @Test func aSilentWorkerIsDead() {
        let liveness = WorkerLiveness(allowedSilence: .seconds(30))
        liveness.heard(from: .forecasting, at: start)
        #expect(liveness.states(at: start + .seconds(31))[.forecasting]?.alive == false)
        liveness.heard(from: .forecasting, at: start + .seconds(40))
        #expect(liveness.states(at: start + .seconds(41))[.forecasting]?.alive == true, "heard again, alive again")
    }

    @Test func aWorkerWhoseLoopEndedIsDeadAtOnce() {
        let liveness = WorkerLiveness(allowedSilence: .seconds(30))
        liveness.heard(from: .scheduling, at: start)
        liveness.stopped(.scheduling, at: start + .seconds(1))
        #expect(liveness.states(at: start + .seconds(1))[.scheduling]?.alive == false)
    }
}
