import BeliefStore
import Beliefs
import Registry

extension Site {
    /// The power of `assets` as `reader` may read it, one series per asset in their order, one belief per
    /// slot: for prognoses a user's prognosis before a schedule before a forecast before other scripts'.
    /// Refuses, before reading anything, a resolution an asset's does not divide (`ReadingError`) and
    /// windows that cover more slots together than one request may (`BoundsError`). Blocks while it reads.
    public func powerData(
        of assets: [Asset], _ reading: PowerReading, kind: PowerPost.Kind, for reader: User
    ) throws -> [Timeseries] {
        let dataSources = try registry.dataSources()
        let filter = BeliefFilter(
            horizon: reading.horizon, prior: reading.prior,
            sources: try sourceIDs(reading.sources, kind: kind, reader: reader, all: dataSources)
        )
        let rank = Self.sourceRank(kind, sources: dataSources)
        var slotsCovered: Int64 = 0
        var answered: [Timeseries] = []
        for asset in assets {
            let eventResolution = asset.fields.eventResolution
            if let resolution = reading.resolution, !resolution.isWholeMultiple(of: eventResolution) {
                throw ReadingError(.resolutionNotAMultiple, "Only resolutions that are whole multiples of the asset's \(eventResolution.iso8601) are supported, not \(resolution.iso8601)")
            }
            slotsCovered = try settings.checkWindow(
                from: reading.start, to: reading.end, resolution: eventResolution,
                what: "the window of \"start\" and \"duration\" for asset \(asset.id)", earlier: slotsCovered
            )
            answered.append(try store.timeseries(
                sensorID: asset.id, from: reading.start, to: reading.end, filter: filter, sourceRank: rank, resolution: reading.resolution
            ))
        }
        return answered
    }

    /// The data sources whose beliefs count; nil for all of them.
    private func sourceIDs(
        _ sources: PowerReading.Sources, kind: PowerPost.Kind, reader: User, all: [BeliefSource]
    ) throws -> Set<SourceID>? {
        let sourcesByUser = Dictionary(
            all.compactMap { source in source.userID.map { ($0, source.id) } }, uniquingKeysWith: { first, _ in first }
        )
        // A user without a source has sent no data: nothing of theirs to add.
        let own = sourcesByUser[reader.id].map { [$0] } ?? []
        guard case let .named(names, asWritten) = sources else {
            if kind == .prognosis { return nil }
            return Set(own + (try registry.userIDs(withRole: .mdc)).compactMap { sourcesByUser[$0] })
        }
        var userIDs: [Int64] = []
        // A client may name one source many times: each is looked up once.
        for name in Set(names) {
            switch name {
            case let .user(id): userIDs.append(id)
            case let .role(role): userIDs += try registry.userIDs(withRole: role)
            }
        }
        let matched = userIDs.compactMap { sourcesByUser[$0] }
        guard !matched.isEmpty else {
            throw ReadingError(.unknownSource, "The data source is not found: no user matches \(asWritten)")
        }
        return Set(matched + own)
    }

    /// getPrognosis prefers a user's prognosis, then a schedule, then a forecast, then other scripts.
    static func sourceRank(_ kind: PowerPost.Kind, sources: [BeliefSource]) -> (SourceID) -> Int {
        guard kind == .prognosis else { return { _ in 0 } }
        let types = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0.type) })
        return { id in
            switch types[id] {
            case .user: 0
            case .scheduler: 1
            case .forecaster: 2
            default: 3
            }
        }
    }
}
