import Beliefs

extension BeliefStore {
    /// The unit and event resolution of a sensor, or nil when the site has no such sensor.
    public func sensorShape(id: SensorID) throws -> (unit: String, eventResolution: Timespan)? {
        try database.pool.read { db in try SensorCatalog.sensorShape(id: id, in: db) }
    }

    /// The event resolution of a sensor, or nil when the site has no such sensor.
    public func eventResolution(of id: SensorID) throws -> Timespan? {
        try sensorShape(id: id)?.eventResolution
    }
}
