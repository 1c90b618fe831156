import Beliefs
import Jobs
@testable import Site
import Testing

/// Job payloads and results are typed: what is enqueued is read back exactly, whole numbers included,
/// and what is not a payload of its kind fails the job with a reason instead of trapping.
@Suite struct JobPayloadTests {
    @Test(arguments: [Int64.max, 0, 1, 9_007_199_254_740_993])
    func schedulingPayloadsKeepEveryEventID(eventID: Int64) throws {
        let text = try SchedulingJob.payload(assetID: 4, eventID: eventID, horizon: .hours(48))
        let payload = try JobCoding.decode(SchedulingJob.Payload.self, from: text, what: "the payload")
        #expect(payload == SchedulingJob.Payload(assetID: 4, eventID: eventID, horizon: "P2D"))
    }

    @Test func payloadsOfEarlierReleasesStillRead() throws {
        let payload = try JobCoding.decode(
            SchedulingJob.Payload.self, from: #"{"asset_id": 2, "event_id": 5, "horizon": "PT48H"}"#, what: "the payload"
        )
        #expect(payload.eventID == 5 && payload.assetID == 2)
        let forecast = try JobCoding.decode(
            ForecastingJob.Payload.self, from: #"{"sensor_id": 7, "horizon": "PT1H", "window": "latest"}"#, what: "the payload"
        )
        #expect(forecast.sensorID == 7 && forecast.window == "latest")
    }

    @Test(arguments: [
        #"{"asset_id": 2, "event_id": 9223372036854775808, "horizon": "PT48H"}"#,
        #"{"asset_id": 2.5, "event_id": 1, "horizon": "PT48H"}"#,
        #"{"asset_id": 1e300, "event_id": 1, "horizon": "PT48H"}"#,
        #"{"asset_id": 2, "horizon": "PT48H"}"#,
        #"[1, 2]"#, "",
    ])
    func whatIsNotAPayloadIsRefusedWithAReason(text: String) {
        #expect(throws: JobCoding.Invalid.self) { try JobCoding.decode(SchedulingJob.Payload.self, from: text, what: "the payload") }
    }

    @Test func equalPayloadsAreEqualText() throws {
        let one = try ForecastingJob.latestPayload(sensorID: 3, horizon: .hours(6))
        let other = try ForecastingJob.latestPayload(sensorID: 3, horizon: .hours(6))
        #expect(one == other)
        #expect(one == #"{"horizon":"PT6H","sensor_id":3,"window":"latest"}"#)
    }
}
