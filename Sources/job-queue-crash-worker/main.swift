import BeliefStore
import Beliefs
import Foundation
import Jobs
import SiteDatabase

// Claims one job and then "works" on it forever, renewing its lease like a real worker's heartbeat, until it
// is killed. It prints `CLAIMED <id>` once the claim has committed, so the kill test knows the job is taken.
//
// usage: job-queue-crash-worker DB QUEUE LEASE_MS
//   exits 3 when the queue has nothing to claim.

let arguments = CommandLine.arguments
guard arguments.count == 4, let leaseMilliseconds = Int64(arguments[3]), leaseMilliseconds > 0 else {
    FileHandle.standardError.write(Data("usage: job-queue-crash-worker DB QUEUE LEASE_MS\n".utf8))
    exit(2)
}
do {
    let queue = try QueueName(validating: arguments[2])
    let lease = Timespan(microseconds: leaseMilliseconds * 1000)
    let jobs = JobQueue(database: try SiteDatabase(path: arguments[1], migrations: [BeliefStoreSchema.sensorsAndSources, BeliefStoreSchema.beliefSegments] + JobsSchema.all))
    let worker = "crash-worker:\(ProcessInfo.processInfo.processIdentifier)"
    guard let job = try await jobs.claim(queue: queue, worker: worker, lease: lease) else {
        FileHandle.standardError.write(Data("nothing to claim on the \(queue) queue\n".utf8))
        exit(3)
    }
    FileHandle.standardOutput.write(Data("CLAIMED \(job.id)\n".utf8))
    while true {
        try await Task.sleep(for: .microseconds(lease.microseconds / 3))
        try await jobs.renewLease(id: job.id, worker: worker, lease: lease)
    }
} catch {
    FileHandle.standardError.write(Data("job-queue-crash-worker: \(error)\n".utf8))
    exit(1)
}
