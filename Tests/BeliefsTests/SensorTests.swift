import Beliefs
import Testing

@Suite struct SensorTests {
    static func sensor(resolution: Timespan) -> Sensor {
        Sensor(id: 1, name: "CS 1", unit: "MW", eventResolution: resolution, timezone: "Europe/Amsterdam")
    }

    static let gridCases: [(Timespan, Instant, Bool)] = [
        (Timespan.minutes(15), Instant.may1(12, 45), true),
        (.minutes(15), .may1(13, 0), true),
        (.minutes(15), .may1(12, 50), false),
        (.minutes(15), .may1(12, 45, 1), false),
        (.minutes(15), .may1(12, 45) + .microseconds(1), false),
        (.minutes(15), .epoch, true),
        (.minutes(15), .epoch - .minutes(15), true),
        (.minutes(15), .epoch - .seconds(1), false),
        (.hours(1), .may1(12, 45), false),
        (.hours(1), .may1(13, 0), true),
        (.days(1), .may1(0, 0), true),
        (.days(1), .may1(13, 0), true),
        (.days(1), .may1(13, 30), false),
        (.hours(6), .may1(1, 0), true),
        (.zero, .may1(12, 45, 17) + .microseconds(3), true),
    ]

    @Test(arguments: gridCases)
    func eventsStartOnWholeResolutionsOrWholeHoursFromTheEpoch(resolution: Timespan, eventStart: Instant, expected: Bool) {
        #expect(Self.sensor(resolution: resolution).isOnGrid(eventStart) == expected)
    }

    @Test func sensorsWithTheSameFieldsAreEqual() {
        #expect(Self.sensor(resolution: .minutes(15)) == Self.sensor(resolution: .minutes(15)))
        #expect(Self.sensor(resolution: .minutes(15)) != Self.sensor(resolution: .hours(1)))
        #expect(Set([Self.sensor(resolution: .minutes(15)), Self.sensor(resolution: .minutes(15))]).count == 1)
    }
}
