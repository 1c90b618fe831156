import Foundation
import Testing

/// A real server on loopback for a test: one of the Python scripts next to these tests, run by Debian's
/// python3 (where `scripts/install-deps.sh` installs python3-aiosmtpd), with a folder where it writes what it
/// received. It serves until the test drops it (its stdin closes).
final class LoopbackServer {
    static let python = "/usr/bin/python3"
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    let process = Process()
    let folder: URL
    let port: Int
    private let input = Pipe()

    /// Starts `script` with `arguments` (after the folder is made, `{folder}` stands for it) and waits for
    /// its "READY <port>" line.
    init(script: String, arguments: (URL) -> [String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.scripts.appendingPathComponent(script).path] + arguments(folder)
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw ServerDidNotStart(script: script, said: text)
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// What the server wrote, one file per message, in the order received.
    func received() throws -> [Data] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        let script: String
        let said: String
        var description: String {
            "\(script) did not start (it said \"\(said)\"): run scripts/install-deps.sh for python3-aiosmtpd and openssl"
        }
    }
}

/// A self-signed certificate for localhost and 127.0.0.1, made with openssl for one test.
struct TestCertificate {
    let certificate: String
    let key: String

    init(in folder: URL) throws {
        certificate = folder.appendingPathComponent("cert.pem").path
        key = folder.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")
    }
}
