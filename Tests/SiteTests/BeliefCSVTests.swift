import Beliefs
import Site
import Testing

/// One reader and one writer of the belief CSV form, whichever columns a use needs.
@Suite struct BeliefCSVTests {
    static let belief = Belief(
        sensorID: 4, eventStart: Instant(secondsSinceEpoch: 1_420_070_400), beliefTime: Instant(secondsSinceEpoch: 1_420_071_600),
        sourceID: 2, cumulativeProbability: 0.5, value: 9.25
    )

    @Test func whatIsWrittenIsReadBack() throws {
        let columns = BeliefCSV.Column.allCases
        let text = BeliefCSV.header(columns) + "\n" + BeliefCSV.line(Self.belief, columns: columns) + "\n"
        #expect(text == "sensor_id,event_start,belief_time,source_id,cumulative_probability,value\n4,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,2,0.5,9.25\n")
        let rows = try BeliefCSV.read(text, file: "f.csv", required: columns, allowed: Set(columns))
        #expect(rows.count == 1)
        #expect(rows[0].sensorID == 4 && rows[0].sourceID == 2 && rows[0].value == 9.25 && rows[0].line == 2)
        #expect(rows[0].beliefTime == Self.belief.beliefTime)
    }

    @Test func columnsMayComeInAnyOrderAndOptionalOnesMayBeLeftOut() throws {
        let rows = try BeliefCSV.read(
            "value,event_start\n1.5,2015-01-01T00:15:00Z\n", file: "f.csv", required: [.eventStart, .value],
            allowed: [.eventStart, .beliefTime, .value]
        )
        #expect(rows.count == 1 && rows[0].value == 1.5 && rows[0].beliefTime == nil && rows[0].sensorID == nil)
    }

    @Test(arguments: [
        ("event_start,colour\n", "line 1"), ("event_start\n", "must name event_start,value"), ("", "empty"),
        ("event_start,sensor_id,value\n", "'sensor_id' is not one of them"),
    ])
    func headersThatDoNotFitAreRefused(text: String, fragment: String) {
        #expect {
            try BeliefCSV.read(text, file: "f.csv", required: [.eventStart, .value], allowed: [.eventStart, .beliefTime, .value])
        } throws: { error in
            String(describing: error).contains(fragment)
        }
    }

    @Test func everyBadRowIsReportedByItsLineAndNothingIsRead() {
        let text = "event_start,value\n2015-01-01T00:00:00Z,1\n2015-01-01T00:15:00,2\n2015-01-01T00:30:00Z,x\n2015-01-01T00:45:00Z\n"
        #expect {
            try BeliefCSV.read(text, file: "f.csv", required: [.eventStart, .value], allowed: [.eventStart, .value])
        } throws: { error in
            let description = String(describing: error)
            return description.contains("line 3") && description.contains("line 4") && description.contains("line 5")
                && !description.contains("line 2") && description.contains("3 bad row(s)")
        }
    }
}
