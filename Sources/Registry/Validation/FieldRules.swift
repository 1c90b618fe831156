import Beliefs
import Foundation

/// Rules shared by every kind of input, collected into a list instead of failing at the first one,
/// so that a client learns everything it has to fix in one answer.
struct FieldRules {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field, message))
    }

    mutating func requireText(_ value: String, field: String, maxLength: Int = 255) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            fail(field, "must not be empty")
        } else if value.count > maxLength {
            fail(field, "must be at most \(maxLength) characters, got \(value.count)")
        }
    }

    mutating func requireFinite(_ value: Double?, field: String) {
        if let value, !value.isFinite { fail(field, "must be a finite number, got \(value)") }
    }

    mutating func requireLatitude(_ value: Double, field: String = "latitude") {
        if !value.isFinite || value < -90 || value > 90 {
            fail(field, "must be between -90 and 90, got \(value)")
        }
    }

    mutating func requireLongitude(_ value: Double, field: String = "longitude") {
        if !value.isFinite || value < -180 || value > 180 {
            fail(field, "must be between -180 and 180, got \(value)")
        }
    }

    mutating func requireNonNegative(_ value: Double?, field: String) {
        guard let value else { return }
        if !value.isFinite || value < 0 { fail(field, "must be zero or more, got \(value)") }
    }

    /// A share of energy kept, above 0 and at most 1.
    mutating func requireEfficiency(_ value: Double, field: String) {
        if !value.isFinite || value <= 0 || value > 1 { fail(field, "must be above 0 and at most 1, got \(value)") }
    }

    /// A power limit in MW: finite, zero or more, and at most `maximum`.
    mutating func requireCapacity(_ value: Double, field: String, maximum: Double = 1e6) {
        if !value.isFinite || value < 0 || value > maximum {
            fail(field, "must be a number of MW from 0 to \(Int(maximum)), got \(value)")
        }
    }

    mutating func requirePositiveResolution(_ value: Timespan, field: String = "event_resolution") {
        if value <= .zero { fail(field, "must be a positive duration, got \(value.iso8601)") }
    }

    mutating func requireTimezone(_ identifier: String, field: String = "timezone") {
        if TimeZone(identifier: identifier) == nil {
            fail(field, "unknown timezone '\(identifier)'; use an IANA name such as UTC or Europe/Amsterdam")
        }
    }

    /// Throws every collected problem at once.
    func check() throws(RegistryError) {
        if !errors.isEmpty { throw .invalid(errors) }
    }
}
