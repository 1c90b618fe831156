import Beliefs
import Registry

/// Power values in MW (consumption positive) posted for one or more assets: a group of postMeterData
/// or postPrognosis. `connection` is how the poster named each asset, for the messages.
public struct PowerPost: Sendable {
    public struct Connection: Sendable {
        public let name: String
        public let asset: Asset

        public init(name: String, asset: Asset) {
            self.name = name
            self.asset = asset
        }
    }

    /// Which power data a post carries: measured (meter data) or expected (prognoses).
    public enum Kind: Sendable {
        case meterData, prognosis
    }

    public let series: Timeseries
    public let timing: PostTiming
    public let connections: [Connection]

    public init(series: Timeseries, timing: PostTiming, connections: [Connection]) {
        self.series = series
        self.timing = timing
        self.connections = connections
    }
}
