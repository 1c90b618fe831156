import BeliefStore
import Beliefs
import Logging
import NIOCore
import PostgresNIO
import Site

/// One connection to the central server on behalf of one site: the site's row (its id, the stream the
/// server holds and how far), and the central ids of the site's sensors and sources.
struct CentralSession {
    struct MappedSensor: Sendable {
        let centralID: Int32
        let resolutionMicroseconds: Int64
    }

    let connection: PostgresConnection
    let siteID: Int32
    let siteName: String
    /// The stream the server holds for this site, and the last sequence of it that it holds.
    var centralStream: String?
    var acknowledged: Int64
    var sensors: [SensorID: MappedSensor] = [:]
    var sources: [SourceID: Int32] = [:]
    /// The catalog last registered: registered again when the site's changes (a renamed asset, a new unit or
    /// resolution), compared on every pass.
    var registered: UplinkCatalog?
    /// When the connection last answered; a connection idle for longer is asked a `SELECT 1` before use.
    var lastAnswer = ContinuousClock.now
    let logger: Logger
    let timeout: Duration

    /// Connects, checks the fleet schema and registers the site (or finds it).
    static func open(_ configuration: UplinkConfiguration, timeout: Duration, logger: Logger) async throws -> CentralSession {
        let connection = try await CentralConnection.open(configuration, timeout: timeout, logger: logger)
        do {
            let row = try await CentralConnection.bounded(
                timeout, doing: "registering site \(configuration.siteName)", onTimeout: { CentralConnection.abandon(connection) }
            ) {
                let version = try await CentralSchema.version(on: connection, logger: logger)
                guard version >= CentralSchema.latestVersion else {
                    throw UplinkError.centralSchemaMissing(version: version, needed: CentralSchema.latestVersion)
                }
                guard version == CentralSchema.latestVersion else {
                    throw UplinkError.centralSchemaNewer(version: version, known: CentralSchema.latestVersion)
                }
                let rows = try await connection.query(
                    """
                    INSERT INTO fleet.site (name) VALUES (\(configuration.siteName))
                    ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
                    RETURNING id, stream_id, acknowledged_sequence
                    """,
                    logger: logger
                ).collect()
                return try rows[0].decode((Int32, String?, Int64).self)
            }
            return CentralSession(
                connection: connection, siteID: row.0, siteName: configuration.siteName, centralStream: row.1, acknowledged: row.2,
                logger: logger, timeout: timeout
            )
        } catch {
            try? await connection.close()
            throw UplinkError.wrap(error, doing: "registering site \(configuration.siteName) at \(configuration.server)")
        }
    }

    func close() async {
        try? await connection.close()
    }

    /// Registers (or updates) every sensor and source of the catalog and learns their central ids, in one
    /// transaction. A sensor whose resolution changed has its central horizons moved by the change, so that each
    /// belief keeps its belief time (event start + resolution - horizon), as the site's beliefs do; through a far
    /// offset first, because the primary key holds the horizon and the rows would collide on the way.
    mutating func register(_ catalog: UplinkCatalog) async throws {
        let connection = connection, siteID = siteID, logger = logger, prefix = siteName + "/"
        let (sensorRows, sourceRows) = try await CentralConnection.bounded(
            timeout, doing: "registering the site's sensors", onTimeout: { CentralConnection.abandon(connection) }
        ) {
            try await connection.query("BEGIN", logger: logger)
            do {
                let known = try await connection.query(
                    """
                    SELECT site_sensor_id, (extract(epoch FROM event_resolution) * 1000000)::bigint
                    FROM fleet.sensor WHERE site_id = \(siteID) FOR UPDATE
                    """,
                    logger: logger
                ).collect().map { try $0.decode((Int64, Int64).self) }
                let before = Dictionary(known, uniquingKeysWith: { first, _ in first })
                for sensor in catalog.sensors {
                    guard let old = before[sensor.id], old != sensor.eventResolution.microseconds else { continue }
                    let delta = sensor.eventResolution.microseconds - old
                    for shift in ["(\(delta) * interval '1 microsecond') + interval '1000000 years'", "- interval '1000000 years'"] {
                        try await connection.query(
                            PostgresQuery(
                                unsafeSQL: """
                                    UPDATE fleet.timed_belief SET belief_horizon = belief_horizon + \(shift)
                                    WHERE sensor_id = (SELECT id FROM fleet.sensor WHERE site_id = $1 AND site_sensor_id = $2)
                                    """,
                                binds: try Self.binds(siteID, sensor.id)
                            ),
                            logger: logger
                        )
                    }
                    logger.notice("uplink: sensor \(sensor.id)'s resolution changed; its central horizons moved with it")
                }
                let sensors = try await connection.query(
                    """
                    INSERT INTO fleet.sensor (site_id, site_sensor_id, name, kind, unit, event_resolution, timezone)
                    SELECT \(siteID), u.id, \(prefix) || u.name, u.kind, u.unit, u.resolution * interval '1 microsecond', u.timezone
                    FROM unnest(\(catalog.sensors.map(\.id))::bigint[], \(catalog.sensors.map(\.name))::text[],
                        \(catalog.sensors.map(\.kind))::text[], \(catalog.sensors.map(\.unit))::text[],
                        \(catalog.sensors.map(\.eventResolution.microseconds))::bigint[], \(catalog.sensors.map(\.timezone))::text[])
                        AS u(id, name, kind, unit, resolution, timezone)
                    ON CONFLICT (site_id, site_sensor_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
                        unit = EXCLUDED.unit, event_resolution = EXCLUDED.event_resolution, timezone = EXCLUDED.timezone
                    RETURNING id, site_sensor_id
                    """,
                    logger: logger
                ).collect()
                let sources = try await connection.query(
                    """
                    INSERT INTO fleet.data_source (site_id, site_source_id, name, type)
                    SELECT \(siteID), u.id, u.name, u.type
                    FROM unnest(\(catalog.sources.map(\.id))::bigint[], \(catalog.sources.map(\.name))::text[],
                        \(catalog.sources.map(\.type))::text[]) AS u(id, name, type)
                    ON CONFLICT (site_id, site_source_id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type
                    RETURNING id, site_source_id
                    """,
                    logger: logger
                ).collect()
                try await connection.query("COMMIT", logger: logger)
                return (
                    try sensors.map { try $0.decode((Int32, Int64).self) },
                    try sources.map { try $0.decode((Int32, Int64).self) }
                )
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
        let resolutions = Dictionary(uniqueKeysWithValues: catalog.sensors.map { ($0.id, $0.eventResolution.microseconds) })
        sensors = Dictionary(uniqueKeysWithValues: sensorRows.map { row in
            (row.1, MappedSensor(centralID: row.0, resolutionMicroseconds: resolutions[row.1] ?? 0))
        })
        sources = Dictionary(uniqueKeysWithValues: sourceRows.map { ($0.1, $0.0) })
        registered = catalog
        lastAnswer = .now
    }

    /// Asks a connection that has been idle whether it still answers, within `limit`: a server that restarted
    /// leaves the old connection open and silent, and a batch sent on it would wait out the whole call limit.
    mutating func probe(within limit: Duration) async throws {
        let connection = connection, logger = logger
        try await CentralConnection.bounded(limit, doing: "checking the connection", onTimeout: { CentralConnection.abandon(connection) }) {
            _ = try await connection.query("SELECT 1", logger: logger).collect()
        }
        lastAnswer = .now
    }

    static func binds(_ siteID: Int32, _ sensorID: SensorID) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(siteID)
        binds.append(sensorID)
        return binds
    }

    /// Rereads the site's row: the stream the server holds and how far.
    mutating func refresh() async throws {
        let connection = connection, siteID = siteID, logger = logger
        let row = try await CentralConnection.bounded(timeout, doing: "reading the site's position", onTimeout: { CentralConnection.abandon(connection) }) {
            try await connection.query(
                "SELECT stream_id, acknowledged_sequence FROM fleet.site WHERE id = \(siteID)", logger: logger
            ).collect().first?.decode((String?, Int64).self)
        }
        guard let row else { throw UplinkError.connection("the site's row is gone from fleet.site", doing: "reading the site's position") }
        centralStream = row.0
        acknowledged = row.1
    }
}
