import Hummingbird

/// An answer the API refuses with: the HTTP code, the USEF status string of the reference, and a
/// message that tells the client what to fix. Thrown anywhere in a handler; the error middleware
/// turns it into the JSON body `{"status": ..., "message": ...}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let httpStatus: HTTPResponse.Status
    public let status: String
    public let message: String
    /// Per-field messages of a 422 answer (v2.0 REST resources).
    public let fieldErrors: [String: [String]]?
    /// The response type of the message endpoint that refused (e.g. "PostMeterDataResponse").
    public var responseType: String?

    /// Every error is built by one of the named constructors below, one per status of the reference.
    private init(_ httpStatus: HTTPResponse.Status, _ status: String, _ message: String, fieldErrors: [String: [String]]? = nil) {
        self.httpStatus = httpStatus
        self.status = status
        self.message = Self.shortened(message)
        self.fieldErrors = fieldErrors?.mapValues { $0.map(Self.shortened) }
    }

    /// The longest message an answer carries, in characters: a message quoting a client's 400 KB value
    /// must not answer with more than the client sent.
    public static let longestMessage = 1_000

    /// A message cut to `longestMessage` characters, keeping its beginning and its end (where the advice is).
    public static func shortened(_ message: String) -> String {
        guard message.utf8.count > longestMessage else { return message }
        let characters = Array(message.unicodeScalars)
        guard characters.count > longestMessage else { return message }
        let head = String(String.UnicodeScalarView(characters.prefix(longestMessage * 2 / 3)))
        let tail = String(String.UnicodeScalarView(characters.suffix(longestMessage / 3 - 20)))
        return head + " [...] " + tail
    }

    /// A client's value as a message quotes it: in quotes, and when long, its first 60 characters and its length.
    public static func quoted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 80 else { return "'\(text)'" }
        return "'\(String(String.UnicodeScalarView(scalars.prefix(60))))...' (\(scalars.count) characters)"
    }

    public var description: String { "\(httpStatus.code) \(status): \(message)" }

    // 400, the reference's statuses
    public static func invalidDomain(_ message: String) -> APIError { APIError(.badRequest, "INVALID_DOMAIN", message) }
    public static func invalidMessageType(_ message: String) -> APIError { APIError(.badRequest, "INVALID_MESSAGE_TYPE", message) }
    public static func noMessageType(_ message: String) -> APIError { APIError(.badRequest, "NO_MESSAGE_TYPE", message) }
    public static func invalidTimezone(_ message: String) -> APIError { APIError(.badRequest, "INVALID_TIMEZONE", message) }
    public static func invalidResolution(_ message: String) -> APIError { APIError(.badRequest, "INVALID_RESOLUTION", message) }
    public static func invalidHorizon(_ message: String) -> APIError { APIError(.badRequest, "INVALID_HORIZON", message) }
    public static func invalidUnit(_ message: String) -> APIError { APIError(.badRequest, "INVALID_UNIT", message) }
    public static func invalidSource(_ message: String) -> APIError { APIError(.badRequest, "INVALID_SOURCE", message) }
    public static func invalidRole(_ message: String) -> APIError { APIError(.badRequest, "INVALID_ROLE", message) }
    public static func invalidDatetime(_ message: String) -> APIError { APIError(.badRequest, "INVALID_DATETIME", message) }
    public static func invalidRequest(_ message: String) -> APIError { APIError(.badRequest, "INVALID_REQUEST", message) }
    public static func unrecognizedAsset(_ message: String) -> APIError { APIError(.badRequest, "UNRECOGNIZED_ASSET", message) }
    public static func unrecognizedConnectionGroup(_ message: String) -> APIError {
        APIError(.badRequest, "UNRECOGNIZED_CONNECTION_GROUP", message)
    }
    public static func unrecognizedMarket(_ message: String) -> APIError { APIError(.badRequest, "UNRECOGNIZED_MARKET", message) }
    public static func unrecognizedSensor(_ message: String) -> APIError { APIError(.badRequest, "UNRECOGNIZED_SENSOR", message) }
    public static func powerValueTooBig(_ message: String) -> APIError { APIError(.badRequest, "POWER_VALUE_TOO_BIG", message) }
    public static func powerValueTooSmall(_ message: String) -> APIError { APIError(.badRequest, "POWER_VALUE_TOO_SMALL", message) }
    /// A window or a post larger than one request may be (`RequestBounds`), or data off the sensor's grid.
    public static func invalidPeriod(_ message: String) -> APIError { APIError(.badRequest, "INVALID_PERIOD", message) }
    public static func requiredInfoMissing(_ message: String) -> APIError { APIError(.badRequest, "REQUIRED_INFO_MISSING", message) }
    public static func ptusIncomplete(_ message: String) -> APIError { APIError(.badRequest, "PTUS_INCOMPLETE", message) }
    // 400, control (UDI events and device messages)
    public static func unrecognizedUDIEvent(_ message: String) -> APIError { APIError(.badRequest, "UNRECOGNIZED_UDI_EVENT", message) }
    public static func outdatedUDIEvent(_ message: String) -> APIError { APIError(.badRequest, "OUTDATED_UDI_EVENT", message) }
    public static func incompleteUDIEvent(_ message: String) -> APIError { APIError(.badRequest, "INCOMPLETE_UDI_EVENT", message) }
    public static func unknownSchedule(_ message: String) -> APIError { APIError(.badRequest, "UNKNOWN_SCHEDULE", message) }
    public static func unknownPrices(_ message: String) -> APIError { APIError(.badRequest, "UNKNOWN_PRICES", message) }
    // 400, simulation (restoreData)
    public static func noBackup(_ message: String) -> APIError { APIError(.badRequest, "NO_BACKUP", message) }
    public static func unrecognizedBackup(_ message: String) -> APIError { APIError(.badRequest, "UNRECOGNIZED_BACKUP", message) }
    public static func alreadyReceived(_ message: String) -> APIError {
        APIError(.badRequest, "ALREADY_RECEIVED_AND_SUCCESSFULLY_PROCESSED", message)
    }

    // transport and access
    public static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "UNAUTHORIZED", message) }
    public static func invalidSender(_ message: String) -> APIError { APIError(.forbidden, "INVALID_SENDER", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "NOT_FOUND", message) }
    public static func invalidMethod(_ message: String) -> APIError { APIError(.methodNotAllowed, "INVALID_METHOD", message) }
    public static func payloadTooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, "PAYLOAD_TOO_LARGE", message) }
    public static func unprocessable(_ message: String, fields: [String: [String]]) -> APIError {
        APIError(.unprocessableContent, "UNPROCESSABLE_ENTITY", message, fieldErrors: fields)
    }
    /// A refusal of the HTTP layer (a body too large, a head that cannot be parsed) with its own status code.
    public static func transport(_ httpStatus: HTTPResponse.Status, _ message: String) -> APIError {
        APIError(httpStatus, httpStatus == .contentTooLarge ? "PAYLOAD_TOO_LARGE" : "INVALID_REQUEST", message)
    }
    // transport: what the connection guard answers before a request reaches a route
    public static func uriTooLong(_ message: String) -> APIError { APIError(.uriTooLong, "URI_TOO_LONG", message) }
    public static func headerFieldsTooLarge(_ message: String) -> APIError {
        APIError(.requestHeaderFieldsTooLarge, "REQUEST_HEADER_FIELDS_TOO_LARGE", message)
    }
    /// HTTP/2 or a version that does not exist: the client's mistake, so a 400 rather than HTTP's 505,
    /// which would read as the daemon failing.
    public static func unsupportedHTTPVersion(_ message: String) -> APIError {
        APIError(.badRequest, "UNSUPPORTED_HTTP_VERSION", message)
    }
    public static func requestTimeout(_ message: String) -> APIError { APIError(.requestTimeout, "REQUEST_TIMEOUT", message) }
    /// What no handler turned into an answer; the request changed nothing.
    public static func internalServerError(_ message: String = "the request failed on the server; nothing was stored") -> APIError {
        APIError(.internalServerError, "INTERNAL_SERVER_ERROR", message)
    }
}
