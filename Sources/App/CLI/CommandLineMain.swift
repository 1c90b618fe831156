import ArgumentParser
import Foundation
import Registry

/// Runs the command line and exits with 0 on success, 2 for bad arguments or values (nothing was
/// written), 1 when the environment failed.
public enum CommandLineMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try FlexMeasuresCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let failure as UsageFailure {
            printError("error: \(failure.description)")
            exit(2)
        } catch let failure as CommandFailure {
            printError("error: \(failure.description)")
            exit(1)
        } catch let error as RegistryError {
            printError("error: \(error.description)")
            exit(2)
        } catch let error as SettingError {
            printError("error: \(error.description)")
            exit(2)
        } catch {
            let code = FlexMeasuresCommand.exitCode(for: error)
            if code == .validationFailure {
                printError(FlexMeasuresCommand.fullMessage(for: error))
                exit(2)
            }
            FlexMeasuresCommand.exit(withError: error)
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
