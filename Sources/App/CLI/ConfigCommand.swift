import Foundation
import ArgumentParser

/// `flexmeasures config show`: the effective configuration.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting with its value and where it comes from; secrets masked.",
            discussion: "Settings come from the configuration file (TOML) and the environment; the environment wins."
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let settings = try database.settings
            print("# configuration file: \(settings.configFile ?? "(none)")")
            for setting in Settings.all {
                let value = settings.environment[setting.name].flatMap { $0.isEmpty ? nil : $0 }
                let shown = value.map(setting.shown) ?? setting.defaultText
                let origin = value == nil ? "default" : settings.origins[setting.name] ?? "environment"
                print("\(setting.name) = \(shown)    # \(origin)")
            }
        }
    }
}
