import ArgumentParser
import Registry

struct AddUser: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add a user. Without --password, the password is asked for (or read from stdin).",
        discussion: "Roles: admin, Prosumer, Supplier, Aggregator, ESCo, MDC, DSO, anonymous. Asset owners need Prosumer."
    )

    @Option(help: "The user's name, unique on this site.") var username: String
    @Option(help: "The user's email address, unique; used to sign in.") var email: String
    @Option(help: ArgumentHelp("Comma-separated roles, e.g. admin,Prosumer.", valueName: "R1,R2"))
    var roles: String = ""
    @Option(help: "The password (at least 8 characters). Prefer the prompt: a flag shows in the process list.")
    var password: String?
    @Option(help: "IANA timezone, e.g. Europe/Amsterdam (default: $FLEXMEASURES_TIMEZONE, else UTC).")
    var timezone: String?
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let password = try password ?? askPassword()
        let settings = try database.settings
        let new = NewUser(
            username: username, email: email, password: password,
            roles: roles.split(separator: ",").map(String.init),
            timezone: timezone ?? settings.defaultTimezone
        )
        do {
            let registry = Registry(database: try database.open(settings: settings), bcryptCost: try settings.bcryptCost())
            let user = try registry.addUser(new)
            print("Added user \(user.username) <\(user.email)> with roles: \(user.roles.map(\.rawValue).sorted().joined(separator: ", ")).")
            printID(user.id)
        } catch let error as RegistryError {
            throw error.usageFailure(flags: Self.flags)
        }
    }

    private func askPassword() throws -> String {
        guard let first = Terminal.readSecret(prompt: "Password: ") else {
            throw UsageFailure("no password given: use --password or type one at the prompt")
        }
        if Terminal.isInteractive {
            guard Terminal.readSecret(prompt: "Repeat the password: ") == first else {
                throw UsageFailure("the two passwords differ; nothing was added")
            }
        }
        return first
    }

    static let flags = [
        "username": "--username", "email": "--email", "roles": "--roles",
        "password": "--password", "timezone": "--timezone",
    ]
}
