import Logging

/// What `flexmeasures uplink init` does: connect, create or upgrade the fleet schema, disconnect.
public enum UplinkSetup {
    public static func migrateCentralSchema(
        _ configuration: UplinkConfiguration, timeout: Duration = .seconds(120), logger: Logger
    ) async throws -> CentralSchema.Report {
        let connection = try await CentralConnection.open(configuration, timeout: timeout, logger: logger)
        do {
            let report = try await CentralConnection.bounded(timeout, doing: "migrating the fleet schema", onTimeout: { CentralConnection.abandon(connection) }) {
                try await CentralSchema.migrate(on: connection, logger: logger)
            }
            try? await connection.close()
            return report
        } catch {
            try? await connection.close()
            throw UplinkError.wrap(error, doing: "migrating the fleet schema at \(configuration.server)")
        }
    }
}
