import Beliefs

/// The site's connection to the grid, which every flexible device sits behind: how much the site may
/// draw and feed in, and which asset's power is the load the scheduler cannot move. With one set, the
/// scheduler plans all storage devices together within it.
public struct GridConnection: Hashable, Sendable {
    /// The most the site may draw from the grid, MW.
    public var importCapacityInMW: Double
    /// The most the site may feed into the grid, MW (zero or more).
    public var exportCapacityInMW: Double
    /// The asset whose meter data (or forecasts) is the site's inflexible load, consumption positive; nil for none.
    public var inflexibleAssetID: SensorID?

    public init(importCapacityInMW: Double, exportCapacityInMW: Double, inflexibleAssetID: SensorID? = nil) {
        self.importCapacityInMW = importCapacityInMW
        self.exportCapacityInMW = exportCapacityInMW
        self.inflexibleAssetID = inflexibleAssetID
    }
}
