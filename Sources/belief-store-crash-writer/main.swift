import BeliefStore
import Beliefs
import Foundation
import SiteDatabase

// Appends batches to a prepared database until it is killed, printing `ACK <batch>` after each durable
// commit. The kill tests check that every acknowledged batch survives whole and nothing else is half there.
//
// usage: belief-store-crash-writer DB MODE SENSOR SOURCE
//   MODE: bulk (batches of 2,000 beliefs), single (one belief per commit), concurrent (32 writers of one
//   belief each, sharing commits), seal (single appends with sealing and compaction running in between)

let arguments = CommandLine.arguments
guard arguments.count == 5, let sensor = SensorID(arguments[3]), let source = SourceID(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: belief-store-crash-writer DB MODE SENSOR SOURCE\n".utf8))
    exit(2)
}
let mode = arguments[2]
var configuration = BeliefStore.Configuration()
if mode == "seal" {
    configuration.maximumSegmentBeliefs = 64
    configuration.sealThreshold = 16
}
let store = BeliefStore(
    database: try SiteDatabase(path: arguments[1], migrations: BeliefStoreSchema.all), configuration: configuration
)
let origin = Instant(secondsSinceEpoch: 1_609_459_200)
let resolution = Timespan.minutes(15)

/// The beliefs of batch `n`: deterministic, so the checker can recompute them.
func batch(_ n: Int, size: Int) -> [Belief] {
    (0..<size).map { offset in
        let slot = Int64(n * size + offset)
        let start = origin + resolution * slot
        return Belief(
            sensorID: sensor, eventStart: start, beliefTime: start + resolution, sourceID: source,
            value: Double((n * 7919 + offset * 31) % 100_000) / 1000
        )
    }
}

func acknowledge(_ n: Int) {
    FileHandle.standardOutput.write(Data("ACK \(n)\n".utf8))
}

switch mode {
case "bulk":
    for n in 0... {
        try store.appendNow(batch(n, size: 2000))
        acknowledge(n)
    }
case "single":
    for n in 0... {
        try store.appendNow(batch(n, size: 1))
        acknowledge(n)
    }
case "seal":
    for n in 0... {
        try store.appendNow(batch(n, size: 1))
        acknowledge(n)
        if n % 5 == 0 { try store.sealTails() }
        if n % 23 == 0 { try store.compact() }
    }
case "concurrent":
    await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<32 {
            group.addTask {
                for round in 0... {
                    let n = round * 32 + writer
                    try await store.append(batch(n, size: 1))
                    acknowledge(n)
                }
            }
        }
    }
default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
