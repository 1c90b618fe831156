import HTTPTypes
import Hummingbird

/// A refusal of a console request, shown to the person as an error page with its status.
public struct ConsoleError: Error, Sendable {
    public let status: HTTPResponse.Status
    public let message: String

    public static func badRequest(_ message: String) -> ConsoleError { .init(status: .badRequest, message: message) }
    public static func forbidden(_ message: String) -> ConsoleError { .init(status: .forbidden, message: message) }
    public static func notFound(_ message: String) -> ConsoleError { .init(status: .notFound, message: message) }
    public static func tooLarge(_ message: String) -> ConsoleError { .init(status: .contentTooLarge, message: message) }
    public static func unprocessable(_ message: String) -> ConsoleError { .init(status: .unprocessableContent, message: message) }
}
