import Beliefs
import Foundation
import Registry
import Site

/// An asset form as sent: text per field, turned into `AssetFields` with a message per wrong field (the
/// registry then applies the same validation as for the API and the CLI).
struct AssetDraft {
    struct Field {
        let name: String
        let label: String
        let inputType: String
        var step: String? = nil
    }

    struct Problems: Error {
        let byField: [String: [String]]
    }

    static let layout: [Field] = [
        Field(name: "name", label: "Name", inputType: "text"),
        Field(name: "display_name", label: "Display name", inputType: "text"),
        Field(name: "asset_type", label: "Type", inputType: "text"),
        Field(name: "owner", label: "Owner", inputType: "text"),
        Field(name: "market", label: "Market", inputType: "text"),
        Field(name: "capacity_in_mw", label: "Capacity (MW)", inputType: "number", step: "any"),
        Field(name: "event_resolution", label: "Resolution (minutes)", inputType: "number", step: "1"),
        Field(name: "latitude", label: "Latitude", inputType: "number", step: "any"),
        Field(name: "longitude", label: "Longitude", inputType: "number", step: "any"),
        Field(name: "min_soc_in_mwh", label: "Lowest state of charge (MWh, storage)", inputType: "number", step: "any"),
        Field(name: "max_soc_in_mwh", label: "Highest state of charge (MWh, storage)", inputType: "number", step: "any"),
        Field(name: "charging_efficiency", label: "Charging efficiency (0 to 1, storage)", inputType: "number", step: "any"),
        Field(name: "discharging_efficiency", label: "Discharging efficiency (0 to 1, storage)", inputType: "number", step: "any"),
    ]

    var values: [String: String]

    static let empty = AssetDraft(values: ["event_resolution": "15", "charging_efficiency": "1", "discharging_efficiency": "1"])

    init(values: [String: String]) { self.values = values }

    init(form: FormBody) {
        var values: [String: String] = [:]
        for field in Self.layout {
            if let value = form[field.name] { values[field.name] = String(value.prefix(500)) }
        }
        self.values = values
    }

    init(_ fields: AssetFields) {
        func text(_ value: Double?) -> String { value.map { Formatting.trimmed($0) } ?? "" }
        values = [
            "name": fields.name, "display_name": fields.displayName, "asset_type": fields.assetTypeName,
            "owner": String(fields.ownerID), "market": fields.marketID.map(String.init) ?? "",
            "capacity_in_mw": text(fields.capacityInMW), "event_resolution": String(fields.eventResolution.microseconds / 60_000_000),
            "latitude": text(fields.latitude), "longitude": text(fields.longitude),
            "min_soc_in_mwh": text(fields.minSOCInMWh), "max_soc_in_mwh": text(fields.maxSOCInMWh),
            "charging_efficiency": text(fields.chargingEfficiency), "discharging_efficiency": text(fields.dischargingEfficiency),
        ]
    }

    /// The fields of the draft applied onto `base` (nil: a new asset), or every problem found.
    func fields(onto base: AssetFields?) throws -> AssetFields {
        var errors: [String: [String]] = [:]
        func text(_ name: String) -> String? {
            let value = values[name]?.trimmingCharacters(in: .whitespaces) ?? ""
            return value.isEmpty ? nil : value
        }
        func required(_ name: String) -> String? {
            guard let value = text(name) else {
                if base == nil || values[name] != nil { errors[name, default: []].append("Missing data for required field.") }
                return nil
            }
            return value
        }
        func number(_ name: String, required isRequired: Bool) -> Double?? {
            guard let value = isRequired ? required(name) : text(name) else { return values[name] == nil ? .none : .some(nil) }
            guard let number = Double(value), number.isFinite else {
                errors[name, default: []].append("Not a valid number.")
                return .none
            }
            return .some(number)
        }
        var fields = base ?? AssetFields(
            name: "", assetTypeName: "", unit: "MW", capacityInMW: 0, eventResolution: .minutes(15), latitude: 0, longitude: 0, ownerID: 0
        )
        if let name = required("name") {
            if text("display_name") == nil && (base == nil || base?.displayName == base?.name) { fields.displayName = name }
            fields.name = name
        }
        if let displayName = text("display_name") { fields.displayName = displayName }
        if let type = required("asset_type") { fields.assetTypeName = type }
        if let owner = text("owner") {
            if let id = Int64(owner) { fields.ownerID = id } else { errors["owner", default: []].append("Not a valid user.") }
        } else if base == nil {
            errors["owner", default: []].append("Missing data for required field.")
        }
        if values["market"] != nil {
            if let market = text("market") {
                if let id = SensorID(market) { fields.marketID = id } else { errors["market", default: []].append("Not a valid market.") }
            } else {
                fields.marketID = nil
            }
        }
        if let minutes = required("event_resolution") {
            if let count = Int64(minutes), (1...(366 * 24 * 60)).contains(count) {
                fields.eventResolution = .minutes(count)
            } else {
                errors["event_resolution", default: []].append("Must be a whole number of minutes from 1 to \(366 * 24 * 60).")
            }
        }
        if case let .some(.some(capacity)) = number("capacity_in_mw", required: true) { fields.capacityInMW = capacity }
        if case let .some(.some(latitude)) = number("latitude", required: true) { fields.latitude = latitude }
        if case let .some(.some(longitude)) = number("longitude", required: true) { fields.longitude = longitude }
        if case let .some(value) = number("min_soc_in_mwh", required: false) { fields.minSOCInMWh = value }
        if case let .some(value) = number("max_soc_in_mwh", required: false) { fields.maxSOCInMWh = value }
        // Their range is the registry's to check, as for every front end; left empty, no loss.
        for (name, path) in [("charging_efficiency", \AssetFields.chargingEfficiency), ("discharging_efficiency", \AssetFields.dischargingEfficiency)] {
            guard case let .some(value) = number(name, required: false) else { continue }
            fields[keyPath: path] = value ?? 1
        }
        guard errors.isEmpty else { throw Problems(byField: errors) }
        return fields
    }
}

extension Formatting {
    /// A number as typed back into a form: no trailing zeros.
    static func trimmed(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
