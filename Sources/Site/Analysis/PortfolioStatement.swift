import Beliefs
import Registry

/// The energy statement of a user's assets over a window (reference 10.1.1): per asset and per asset type
/// the energy produced and consumed, from measurements, and what it earned and cost at the market's prices.
public struct PortfolioStatement: Sendable {
    /// One line of the statement: an asset, an asset type or the total.
    public struct Line: Sendable, Equatable {
        /// The asset's display name, the asset type's name, or "Total".
        public let name: String
        public let assetTypeName: String?
        public let assetID: SensorID?
        /// Energy produced and consumed, MWh, both >= 0.
        public var productionMWh = 0.0
        public var consumptionMWh = 0.0
        /// What the production earned and the consumption cost at the market's prices, in the market's
        /// currency (price per MWh x MWh); negative prices make negative revenues or costs.
        public var revenues = 0.0
        public var costs = 0.0
        /// Measured slots, and those of them without a price (they count in neither revenues nor costs).
        public var measuredSlots = 0
        public var slotsWithoutPrice = 0

        public var netConsumptionMWh: Double { consumptionMWh - productionMWh }
        public var profit: Double { revenues - costs }

        mutating func add(_ other: Line) {
            productionMWh += other.productionMWh
            consumptionMWh += other.consumptionMWh
            revenues += other.revenues
            costs += other.costs
            measuredSlots += other.measuredSlots
            slotsWithoutPrice += other.slotsWithoutPrice
        }
    }

    /// One asset type's energy on one UTC day: what the stacked chart draws.
    public struct DailyEnergy: Sendable, Equatable {
        public let day: Instant
        public let assetTypeName: String
        public var productionMWh: Double
        public var consumptionMWh: Double
    }

    public let start: Instant
    public let end: Instant
    /// Per asset, in the order of `Site.assets(for:)`.
    public let assets: [Line]
    /// Per asset type, by name.
    public let assetTypes: [Line]
    public let total: Line
    /// Per day and asset type, days in order.
    public let daily: [DailyEnergy]
    /// The currencies of the markets the prices came from (the units without "/MWh"), sorted.
    public let currencies: [String]
}
