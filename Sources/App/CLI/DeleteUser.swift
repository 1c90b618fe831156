import ArgumentParser
import Registry

struct DeleteUser: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Delete a user together with their assets and the assets' data."
    )

    @Option(help: "The email address of the user to delete.") var email: String?
    @Option(help: "The id of the user to delete.") var id: Int64?
    @Flag(help: "Do not ask for confirmation.") var force = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if (email == nil) == (id == nil) {
            throw ValidationError("name the user with exactly one of --email or --id")
        }
    }

    func run() throws {
        let site = try database.site()
        let registry = site.registry
        let found = try email.map { try registry.user(email: $0) } ?? id.flatMap { try registry.user(id: $0) }
        guard let user = found else {
            throw UsageFailure("no user with " + (email.map { "email \($0)" } ?? "id \(id ?? 0)"))
        }
        let assets = try registry.assets(ownerID: user.id)
        if !force && !Terminal.confirm(
            "Delete user \(user.username) <\(user.email)> and their \(assets.count) asset(s) with all their data?"
        ) {
            throw UsageFailure("not confirmed; nothing was deleted (use --force to skip the question)")
        }
        let deleted = try site.deleteUser(id: user.id)
        print("Deleted user \(user.username) <\(user.email)> and \(deleted.count) asset(s).")
    }
}
