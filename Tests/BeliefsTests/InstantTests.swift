import Beliefs
import Testing

@Suite struct InstantTests {
    @Test func secondsInitialiserCountsWholeSeconds() {
        #expect(Instant(secondsSinceEpoch: 90).microsecondsSinceEpoch == 90_000_000)
        #expect(Instant(secondsSinceEpoch: -1).microsecondsSinceEpoch == -1_000_000)
        #expect(Instant.epoch.microsecondsSinceEpoch == 0)
    }

    @Test func addingAndSubtractingTimespansMovesTheInstant() {
        let start = Instant.may1(13, 0)
        #expect(start + .minutes(15) == .may1(13, 15))
        #expect(start - .hours(6) == .may1(7, 0))
        #expect(start + -Timespan.minutes(10) == .may1(12, 50))
        #expect(start - -Timespan.minutes(10) == .may1(13, 10))
        #expect(start + .zero == start)
    }

    @Test func differenceOfInstantsIsSigned() {
        #expect(Instant.may1(13, 45) - Instant.may1(7, 45) == .hours(6))
        #expect(Instant.may1(7, 45) - Instant.may1(13, 45) == -Timespan.hours(6))
        #expect(Instant.may1(13, 0) - Instant.may1(13, 0) == .zero)
    }

    @Test func instantsOrderByTime() {
        let shuffled = [Instant.may1(13, 30), .may1(7, 45), .epoch, .may1(13, 0)]
        #expect(shuffled.sorted() == [.epoch, .may1(7, 45), .may1(13, 0), .may1(13, 30)])
        #expect(Instant(microsecondsSinceEpoch: -1) < .epoch)
    }

    @Test func nowIsTheCurrentWallClockTime() throws {
        let first = Instant.now()
        let second = Instant.now()
        #expect(first > (try Instant.parseISO8601("2024-01-01T00:00:00Z")))
        #expect(first < (try Instant.parseISO8601("2100-01-01T00:00:00Z")))
        #expect(second - first < .seconds(5))
    }

    @Test func equalInstantsHashAlike() {
        let set: Set = [Instant.may1(13, 0), Instant(microsecondsSinceEpoch: 1_462_107_600_000_000)]
        #expect(set.count == 1)
    }
}
