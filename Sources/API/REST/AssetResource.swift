import Beliefs
import Hummingbird
import Registry
import Site

/// The v2.0 asset resource: its JSON form and reading one from a request.
enum AssetResource {
    /// Every field, under the documented names and 0.2.4's (`asset_type_name`, `owner_id`, `market_id`).
    static func json(_ asset: Asset) -> JSONValue {
        let fields = asset.fields
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        func integer(_ value: Int64?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        return .object([
            "id": .number(Double(asset.id)),
            "name": .string(fields.name),
            "display_name": .string(fields.displayName),
            "asset_type": .string(fields.assetTypeName),
            "asset_type_name": .string(fields.assetTypeName),
            "unit": .string(fields.unit),
            "owner": .number(Double(fields.ownerID)),
            "owner_id": .number(Double(fields.ownerID)),
            "market": integer(fields.marketID),
            "market_id": integer(fields.marketID),
            "event_resolution": .number(Double(fields.eventResolution.microseconds) / 60_000_000),
            "capacity_in_mw": .number(fields.capacityInMW),
            "latitude": .number(fields.latitude),
            "longitude": .number(fields.longitude),
            "min_soc_in_mwh": number(fields.minSOCInMWh),
            "max_soc_in_mwh": number(fields.maxSOCInMWh),
            "soc_in_mwh": number(fields.socInMWh),
            "soc_datetime": fields.socDatetime.map { .string($0.iso8601(offsetSeconds: 0)) } ?? .null,
            "soc_udi_event_id": integer(fields.socUDIEventID),
            "charging_efficiency": .number(fields.chargingEfficiency),
            "discharging_efficiency": .number(fields.dischargingEfficiency),
        ])
    }

    /// The keys a client may send, with the field each sets; `id` is read but ignored.
    static let aliases: [String: String] = [
        "name": "name", "display_name": "display_name", "asset_type": "asset_type", "asset_type_name": "asset_type",
        "unit": "unit", "owner": "owner", "owner_id": "owner", "market": "market", "market_id": "market",
        "event_resolution": "event_resolution", "capacity_in_mw": "capacity_in_mw", "latitude": "latitude",
        "longitude": "longitude", "min_soc_in_mwh": "min_soc_in_mwh", "max_soc_in_mwh": "max_soc_in_mwh",
        "soc_in_mwh": "soc_in_mwh", "soc_datetime": "soc_datetime", "soc_udi_event_id": "soc_udi_event_id", "id": "id",
        "charging_efficiency": "charging_efficiency", "discharging_efficiency": "discharging_efficiency",
    ]

    static let required = ["name", "asset_type", "unit", "owner", "event_resolution", "capacity_in_mw", "latitude", "longitude"]

    /// Applies the sent fields onto `base` (nil for a new asset), collecting every problem as a 422.
    static func fields(from body: JSONValue, onto base: AssetFields?) throws -> AssetFields {
        guard case let .object(sent) = body else {
            throw APIError.unprocessable("send the asset as a JSON object", fields: ["_schema": ["Invalid input type: expected an object, got \(body.kindName)."]])
        }
        var errors: [String: [String]] = [:]
        var values: [String: JSONValue] = [:]
        for (key, value) in sent {
            guard let field = aliases[key] else {
                errors[key, default: []].append("Unknown field.")
                continue
            }
            values[field] = value
        }
        if base == nil {
            for field in required where values[field] == nil || values[field] == .null {
                errors[field, default: []].append("Missing data for required field.")
            }
        }

        func text(_ field: String) -> String? {
            guard let value = values[field] else { return nil }
            guard let string = value.stringValue else { errors[field, default: []].append("Not a valid string."); return nil }
            return string
        }
        func number(_ field: String) -> Double?? {
            guard let value = values[field] else { return .none }
            if value == .null { return .some(nil) }
            guard let number = value.numberValue, number.isFinite else { errors[field, default: []].append("Not a valid number."); return .none }
            return .some(number)
        }
        func integer(_ field: String) -> Int64?? {
            guard let value = values[field] else { return .none }
            if value == .null { return .some(nil) }
            guard let number = value.numberValue, number == number.rounded(), abs(number) < 1e15 else {
                errors[field, default: []].append("Not a valid integer.")
                return .none
            }
            return .some(Int64(number))
        }

        var fields = base ?? AssetFields(
            name: "", assetTypeName: "", unit: "MW", capacityInMW: 0, eventResolution: .minutes(15),
            latitude: 0, longitude: 0, ownerID: 0
        )
        let displayNameSent = values["display_name"] != nil
        if let name = text("name") {
            fields.name = name
            if !displayNameSent && (base == nil || base?.displayName == base?.name) { fields.displayName = name }
        }
        if let displayName = text("display_name") { fields.displayName = displayName }
        if let type = text("asset_type") { fields.assetTypeName = type }
        if let unit = text("unit") { fields.unit = unit }
        if case let .some(owner) = integer("owner") {
            if let owner { fields.ownerID = owner } else { errors["owner", default: []].append("Field may not be null.") }
        }
        if case let .some(market) = integer("market") { fields.marketID = market }
        if case let .some(minutes) = integer("event_resolution") {
            if let minutes, (1...(366 * 24 * 60)).contains(minutes) {
                fields.eventResolution = .minutes(minutes)
            } else {
                errors["event_resolution", default: []].append("Must be a whole number of minutes from 1 to \(366 * 24 * 60).")
            }
        }
        if case let .some(capacity) = number("capacity_in_mw") {
            if let capacity { fields.capacityInMW = capacity } else { errors["capacity_in_mw", default: []].append("Field may not be null.") }
        }
        if case let .some(latitude) = number("latitude") {
            if let latitude { fields.latitude = latitude } else { errors["latitude", default: []].append("Field may not be null.") }
        }
        if case let .some(longitude) = number("longitude") {
            if let longitude { fields.longitude = longitude } else { errors["longitude", default: []].append("Field may not be null.") }
        }
        if case let .some(value) = number("min_soc_in_mwh") { fields.minSOCInMWh = value }
        if case let .some(value) = number("max_soc_in_mwh") { fields.maxSOCInMWh = value }
        if case let .some(value) = number("soc_in_mwh") { fields.socInMWh = value }
        if case let .some(value) = integer("soc_udi_event_id") { fields.socUDIEventID = value }
        let efficiencies: [(String, WritableKeyPath<AssetFields, Double>)] = [
            ("charging_efficiency", \.chargingEfficiency), ("discharging_efficiency", \.dischargingEfficiency),
        ]
        // Their range is the registry's to check, as for every front end.
        for (field, path) in efficiencies {
            guard case let .some(value) = number(field) else { continue }
            if let value { fields[keyPath: path] = value } else { errors[field, default: []].append("Field may not be null.") }
        }
        if let value = values["soc_datetime"] {
            if value == .null {
                fields.socDatetime = nil
            } else if let string = value.stringValue, let instant = try? Instant.parseISO8601(string),
                      RequestBounds.datetimes.contains(instant) {
                fields.socDatetime = instant
            } else {
                errors["soc_datetime", default: []].append("Not a valid datetime with a timezone offset.")
            }
        }
        guard errors.isEmpty else {
            throw APIError.unprocessable("the asset has invalid fields; nothing was changed", fields: errors)
        }
        return fields
    }

}

extension APIError {
    /// The registry's refusal of a REST resource (`entity`: asset, user) as the API's 422, or 404 for what
    /// does not exist.
    init(_ error: RegistryError, entity: String) {
        switch error {
        case .invalid:
            self = .unprocessable("the \(entity) has invalid fields; nothing was changed", fields: error.messagesByField)
        case let .notFound(missing, key):
            self = .notFound("\(missing.capitalized) \(key) not found")
        }
    }
}
