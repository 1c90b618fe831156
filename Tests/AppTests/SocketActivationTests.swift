import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Started by `flexmeasures.socket`, the daemon serves the sockets systemd bound (`LISTEN_FDS`) instead of
/// binding its own, answers the request that woke it, and leaves the sockets to systemd when it stops.
/// systemd is replaced here by what it does: listening sockets at descriptors 3 and 4 and `LISTEN_PID`
/// set to the daemon's own pid.
@Suite(.serialized) struct SocketActivationTests {
    /// A listening socket as a socket unit makes one (`ListenStream=`).
    final class ListeningSocket {
        let fd: Int32
        private(set) var port = 0

        init(tcpOnLoopback: ()) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard bound else { throw HTTPClient.Failure(description: "cannot listen on loopback: errno \(errno)") }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        init(unixPath path: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let bound = withUnixAddress(path) { bind(fd, $0, $1) == 0 && listen(fd, 16) == 0 }
            guard bound else { throw HTTPClient.Failure(description: "cannot listen on \(path): errno \(errno)") }
            // SocketMode=0660 of the unit.
            chmod(path, 0o660)
        }

        deinit { close(fd) }
    }

    /// `flexmeasures run` spawned with `descriptors` at 3, 4, ... and the variables of socket activation.
    /// Foundation's `Process` closes every inherited descriptor, so this uses posix_spawn; a shell sets
    /// `LISTEN_PID` to its own pid and execs the daemon, which keeps that pid.
    final class ActivatedDaemon {
        let pid: pid_t
        let logPath: String

        init(runner: CommandRunner, descriptors: [Int32], names: String? = nil, arguments: [String] = []) throws {
            logPath = runner.database + ".activated.log"
            var environment = runner.processEnvironment()
            environment["LISTEN_FDS"] = "\(descriptors.count)"
            environment["LISTEN_FDNAMES"] = names
            environment["LISTEN_PID"] = nil
            let script = #"LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@""#
            let argv = ["/bin/sh", "-c", script, CommandRunner.binary.path, "run", "--db", runner.database] + arguments
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            for (index, descriptor) in descriptors.enumerated() {
                posix_spawn_file_actions_adddup2(&actions, descriptor, 3 + Int32(index))
            }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let cArguments = argv.map { strdup($0) } + [nil]
            let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                cArguments.forEach { free($0) }
                cEnvironment.forEach { free($0) }
            }
            var spawned: pid_t = 0
            let result = posix_spawn(&spawned, "/bin/sh", &actions, nil, cArguments, cEnvironment)
            guard result == 0 else { throw HTTPClient.Failure(description: "posix_spawn failed: \(result)") }
            pid = spawned
        }

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        /// Waits until the log says `text` or the daemon exits.
        func waitFor(_ text: String, seconds: Double = 20) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if log.contains(text) { return true }
                if kill(pid, 0) != 0 { return log.contains(text) }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }

        /// The exit status after SIGTERM (or of a daemon that already ended).
        func stop() -> Int32 {
            kill(pid, SIGTERM)
            return waitForExit()
        }

        func waitForExit() -> Int32 {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        }
    }

    @Test func servesTheSocketsSystemdPassesIncludingTheRequestThatWokeIt() throws {
        let file = try TemporaryDatabase()
        let tcp = try ListeningSocket(tcpOnLoopback: ())
        let socketPath = file.directory.appendingPathComponent("api.sock").path
        let unix = try ListeningSocket(unixPath: socketPath)
        // A gateway's request arrives before the daemon runs: systemd queues it on the socket.
        let early = try HTTPClient(endpoint: .tcp(port: tcp.port)).start("GET", "/api/")

        let daemon = try ActivatedDaemon(runner: CommandRunner(database: file.path), descriptors: [tcp.fd, unix.fd],
                                         names: "api:gateway")
        let woke = try early.reply()
        #expect(woke.status == 200, "\(woke.text) \(daemon.log)")
        #expect(woke.json?["flexmeasures_version"] != nil)
        #expect(daemon.waitFor("listening on unix:\(socketPath) (socket from systemd)"), "\(daemon.log)")
        #expect(daemon.log.contains("listening on http://127.0.0.1:\(tcp.port) (socket from systemd)"), "\(daemon.log)")
        // The configured default (127.0.0.1:5000) is not bound: systemd's sockets replace it.
        #expect(!daemon.log.contains("127.0.0.1:5000"), "\(daemon.log)")

        let overUnix = HTTPClient(endpoint: .unix(path: socketPath))
        let login = try overUnix.send("POST", "/api/requestAuthToken", json: ["email": "nobody@example.com", "password": "x"])
        #expect(login.status == 404, "\(login.text)")
        #expect(try HTTPClient(endpoint: .tcp(port: tcp.port)).send("GET", "/api/v2_0/getService").status == 200)

        #expect(daemon.stop() == 0, "\(daemon.log)")
        // The socket belongs to systemd, which keeps listening to start the daemon again.
        #expect(FileManager.default.fileExists(atPath: socketPath), "the daemon must not remove systemd's socket")
        let mode = try FileManager.default.attributesOfItem(atPath: socketPath)[.posixPermissions] as? Int
        #expect(mode == 0o660)
    }

    @Test func aSecondActivationServesTheSameSocketAgain() throws {
        let file = try TemporaryDatabase()
        let tcp = try ListeningSocket(tcpOnLoopback: ())
        for _ in 0..<2 {
            let daemon = try ActivatedDaemon(runner: CommandRunner(database: file.path), descriptors: [tcp.fd])
            #expect(daemon.waitFor("(socket from systemd)"), "\(daemon.log)")
            #expect(try HTTPClient(endpoint: .tcp(port: tcp.port)).send("GET", "/api/").status == 200)
            #expect(daemon.stop() == 0, "\(daemon.log)")
        }
    }

    @Test func aDescriptorThatIsNotAListeningSocketIsRefusedWithAReason() throws {
        let file = try TemporaryDatabase()
        let notListening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(notListening) }
        let daemon = try ActivatedDaemon(runner: CommandRunner(database: file.path), descriptors: [notListening])
        #expect(daemon.waitForExit() == 1, "\(daemon.log)")
        #expect(daemon.log.contains("not a listening stream socket"), "\(daemon.log)")
        #expect(daemon.log.contains("ListenStream="), "\(daemon.log)")
    }

    @Test func socketsMeantForAnotherProcessAreIgnored() throws {
        let file = try TemporaryDatabase()
        let tcp = try ListeningSocket(tcpOnLoopback: ())
        // LISTEN_PID names another process (the shell's parent): the daemon binds its configured address.
        var runner = CommandRunner(database: file.path)
        runner.environment["LISTEN_PID"] = "1"
        runner.environment["LISTEN_FDS"] = "1"
        let daemon = try RunningDaemon(runner: runner)
        #expect(!daemon.logText.contains("socket from systemd"), "\(daemon.logText)")
        #expect(daemon.port != tcp.port)
        #expect(try daemon.tcp.send("GET", "/api/").status == 200)
        #expect(daemon.stop() == 0)
    }
}
