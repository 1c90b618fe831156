import ArgumentParser
import Registry

/// A failure the user caused and can fix: printed as `error: ...`, exit code 2, nothing written.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A failure of the environment (the database cannot be opened, ...): printed, exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension RegistryError {
    /// The registry's complaint in the words of the command line: fields named by the flags that set them.
    func usageFailure(flags: [String: String]) -> UsageFailure {
        switch self {
        case let .invalid(errors):
            let lines = errors.map { error in
                let flag = flags[error.field].map { "\($0) (\(error.field))" } ?? error.field
                return "invalid value for \(flag): \(error.message)"
            }
            return UsageFailure(lines.joined(separator: "\nerror: "))
        case .notFound:
            return UsageFailure(description)
        }
    }
}
