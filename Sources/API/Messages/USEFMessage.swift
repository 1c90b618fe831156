import Beliefs
import Site

/// A message in the reference's notation (14.4): singular and plural keys are interchangeable,
/// a message is a list of `groups` or one flattened group, and attributes stated at the top
/// (`start`, `duration`, `unit`, ...) are inherited by every group.
public struct USEFMessage: Sendable {
    public let fields: [String: JSONValue]

    public init(_ fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// The value under the singular or the plural key.
    public func value(_ singular: String, _ plural: String) -> JSONValue? {
        fields[singular] ?? fields[plural]
    }

    /// Refuses messages without `type` (NO_MESSAGE_TYPE) or of another type (INVALID_MESSAGE_TYPE).
    public func requireType(_ expected: String) throws {
        guard let type = fields["type"] else {
            throw APIError.noMessageType("the message has no type; expected \"type\": \"\(expected)\"")
        }
        guard type.stringValue == expected else {
            throw APIError.invalidMessageType("the message type is \(JSONWriter.string(type)); expected \"\(expected)\"")
        }
    }

    /// The groups of the message, each with the top-level attributes it does not state itself.
    public func groups() throws -> [USEFMessage] {
        guard let groups = fields["groups"] ?? fields["group"] else { return [self] }
        guard let list = groups.arrayValue, !list.isEmpty else {
            throw APIError.invalidRequest("\"groups\" must be a non-empty list of objects")
        }
        var inherited = fields
        inherited["groups"] = nil
        inherited["group"] = nil
        return try list.map { group in
            guard let members = group.objectValue else {
                throw APIError.invalidRequest("every group must be an object, not \(group.kindName)")
            }
            return USEFMessage(inherited.merging(members) { _, own in own })
        }
    }

    /// Strings under the singular or plural key: one string or a list of them; nil when absent.
    public func strings(_ singular: String, _ plural: String) throws -> [String]? {
        guard let value = value(singular, plural) else { return nil }
        switch value {
        case let .string(text): return [text]
        case let .array(items):
            return try items.map { item in
                guard let text = item.stringValue else {
                    throw APIError.invalidRequest("\"\(plural)\" must list strings, not \(item.kindName)")
                }
                return text
            }
        default:
            throw APIError.invalidRequest("\"\(plural)\" must be a string or a list of strings, not \(value.kindName)")
        }
    }

    /// The numbers under `value`/`values` (or a `timeseries`' values); finite ones only.
    public func numbers() throws -> [Double]? {
        guard let value = value("value", "values") else { return nil }
        let items: [JSONValue]
        switch value {
        case .number: items = [value]
        case let .array(list): items = list
        default: throw APIError.invalidRequest("\"values\" must be a number or a list of numbers, not \(value.kindName)")
        }
        return try items.enumerated().map { index, item in
            guard let number = item.numberValue else {
                throw APIError.invalidRequest("value \(index) must be a number, not \(item.kindName)")
            }
            guard number.isFinite else {
                throw APIError.invalidRequest("value \(index) is too large to be a finite number")
            }
            return number
        }
    }

    /// A timezone-aware ISO 8601 datetime (naive ones: INVALID_TIMEZONE).
    public func instant(_ key: String) throws -> Instant? {
        guard let value = fields[key] else { return nil }
        guard let text = value.stringValue else {
            throw APIError.invalidRequest("\"\(key)\" must be an ISO 8601 datetime string, not \(value.kindName)")
        }
        let instant: Instant
        do {
            instant = try Instant.parseISO8601(text)
        } catch .missingTimezone {
            throw APIError.invalidTimezone("\"\(key)\" \(APIError.quoted(text)) has no timezone offset; add Z or +HH:MM")
        } catch {
            throw APIError.invalidRequest("\"\(key)\": \(APIError.shortened(error.description))")
        }
        guard RequestBounds.datetimes.contains(instant) else {
            throw APIError.invalidRequest("\"\(key)\" \(APIError.quoted(text)) is outside the datetimes this appliance accepts, 1900-01-01T00:00:00Z to 9999-12-31T23:59:59Z")
        }
        return instant
    }

    /// An ISO 8601 duration.
    public func duration(_ key: String, invalid: (String) -> APIError = APIError.invalidRequest) throws -> Timespan? {
        guard let value = fields[key] else { return nil }
        guard let text = value.stringValue else {
            throw invalid("\"\(key)\" must be an ISO 8601 duration string such as PT1H, not \(value.kindName)")
        }
        do {
            return try Timespan.parseISO8601(text)
        } catch {
            throw invalid("\"\(key)\": \(APIError.shortened(error.description))")
        }
    }

    /// `horizon` as an ISO 8601 duration or repeating interval (`R/PT6H`); INVALID_HORIZON otherwise.
    public func horizon() throws -> Horizon? {
        guard let value = fields["horizon"] else { return nil }
        guard let text = value.stringValue else {
            throw APIError.invalidHorizon("\"horizon\" must be an ISO 8601 duration such as PT6H or -PT10M, not \(value.kindName)")
        }
        do {
            return try Horizon.parse(text)
        } catch {
            throw APIError.invalidHorizon("\"horizon\": \(APIError.shortened(error.description))")
        }
    }

    /// `resolution` as a positive ISO 8601 duration; INVALID_RESOLUTION otherwise.
    public func resolution() throws -> Timespan? {
        guard let resolution = try duration("resolution", invalid: APIError.invalidResolution) else { return nil }
        guard resolution > .zero else {
            throw APIError.invalidResolution("\"resolution\" must be a positive duration, got \(resolution.iso8601)")
        }
        return resolution
    }

    /// The regular series the group states: `values` over `start` + `duration`, or a `timeseries` list of
    /// `{value, start, duration}` items that follow one another.
    public func series() throws -> Timeseries {
        if let items = fields["timeseries"]?.arrayValue {
            return try Self.series(fromTimeseries: items)
        }
        guard let values = try numbers() else {
            throw APIError.invalidRequest("the message has no values: state \"values\" with \"start\" and \"duration\"")
        }
        guard let start = try instant("start") else {
            throw APIError.invalidRequest("the message has no \"start\" (an ISO 8601 datetime with an offset)")
        }
        guard let duration = try duration("duration") else {
            throw APIError.invalidRequest("the message has no \"duration\" (an ISO 8601 duration such as PT1H)")
        }
        do {
            let series = try Timeseries.fromShorthand(start: start, duration: duration, values: values)
            return series
        } catch {
            throw APIError.invalidResolution("\(values.count) values over \(duration.iso8601): \(error.description)")
        }
    }

    private static func series(fromTimeseries items: [JSONValue]) throws -> Timeseries {
        guard !items.isEmpty else { throw APIError.invalidRequest("\"timeseries\" is empty") }
        var values: [Double] = []
        var start: Instant?
        var resolution: Timespan?
        var expectedStart: Instant?
        for (index, item) in items.enumerated() {
            guard let members = item.objectValue else {
                throw APIError.invalidRequest("timeseries item \(index) must be an object with value, start and duration")
            }
            let entry = USEFMessage(members)
            guard let value = try entry.numbers(), value.count == 1,
                  let itemStart = try entry.instant("start"), let itemDuration = try entry.duration("duration") else {
                throw APIError.invalidRequest("timeseries item \(index) needs one value, a start and a duration")
            }
            if let expectedStart, itemStart != expectedStart || itemDuration != resolution {
                throw APIError.invalidResolution("timeseries item \(index) does not follow the previous one with the same duration")
            }
            start = start ?? itemStart
            resolution = resolution ?? itemDuration
            expectedStart = itemStart + itemDuration
            values.append(value[0])
        }
        guard let start, let resolution, resolution > .zero else {
            throw APIError.invalidResolution("timeseries durations must be positive")
        }
        return Timeseries(start: start, resolution: resolution, values: values)
    }
}
