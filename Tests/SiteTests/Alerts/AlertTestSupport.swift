import Alerting
import Beliefs
import Registry
import Site
import SiteDatabase
import Testing

extension TestSite {
    /// Measurements of `asset` at its resolution from `start`, each known at its event's end, posted by the
    /// prosumer through the site's ingest path.
    func measure(_ asset: Asset, _ values: [Double], from start: String) async throws {
        let first = instant(start)
        let beliefs = values.enumerated().map { index, value in
            let eventStart = first + asset.fields.eventResolution * Int64(index)
            return Belief(sensorID: asset.id, eventStart: eventStart, beliefTime: eventStart + asset.fields.eventResolution, sourceID: 0, value: value)
        }
        try await site.ingest(beliefs, from: .user(id: user.id, name: user.username))
    }

    func rule(_ fields: [String: JSONValue]) async throws -> AlertRule {
        try await site.addAlertRule(.object(fields), by: nil)
    }

    func onlyAlert() throws -> Alert {
        let alerts = try site.alerts(visibleTo: nil)
        try #require(alerts.count == 1, "\(alerts)")
        return alerts[0]
    }
}

func number(_ value: Double) -> JSONValue { .number(value) }
