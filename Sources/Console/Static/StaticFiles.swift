import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Site

/// One web asset as `scripts/embed-static.py` wrote it into the binary.
struct EmbeddedFile: Sendable {
    let name: String
    let contentType: String
    let sha256: String
    let size: Int
    let gzipBase64: String
}

/// A web asset ready to serve: gzipped for the browsers that accept it (all of them), plain for the rest.
public struct StaticFile: Sendable {
    public let name: String
    public let contentType: String
    /// A strong validator: the content's SHA-256, so that any change of the file changes it.
    public let etag: String
    public let gzipped: ByteBuffer
    public let identity: ByteBuffer
    /// The path pages link to: the content's hash in the query makes it cacheable for a year.
    public var versionedPath: String { "/static/\(name)?v=\(etag.dropFirst().prefix(12))" }
}

/// The console's static files, decoded from the binary once, at the first request.
public enum StaticFiles {
    public static let all: [String: StaticFile] = {
        var files: [String: StaticFile] = [:]
        for file in embedded {
            guard let packed = Data(base64Encoded: file.gzipBase64), let plain = Gzip.inflate(Array(packed), size: file.size) else {
                // The script and this decoder disagree: ConsoleTests' StaticFilesTests catches that before a release.
                continue
            }
            files[file.name] = StaticFile(
                name: file.name, contentType: file.contentType, etag: "\"\(file.sha256)\"",
                gzipped: ByteBuffer(bytes: packed), identity: ByteBuffer(bytes: plain)
            )
        }
        return files
    }()

    /// The name of the file a request path asks for, folders included ("/static/vendor/vega-bundle.js" asks for
    /// "vendor/vega-bundle.js"); nil for a path outside `/static/`. A route's `{name}` matches one segment only.
    public static func name(requestedBy path: String) -> String? {
        let prefix = "/static/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// The versioned path of a file, for templates; the bare path when there is no such file.
    public static func path(_ name: String) -> String {
        all[name]?.versionedPath ?? "/static/\(name)"
    }

    /// The file at `/static/<name>`: 304 when the browser has it, gzip when it accepts gzip, a year of caching.
    public static func response(named name: String, to request: Request) -> Response {
        guard let file = all[name] else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "no such file\n")))
        }
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .eTag: file.etag,
            .cacheControl: "public, max-age=31536000, immutable",
            .vary: "Accept-Encoding",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        // A weak validator matches too (RFC 9110 13.1.2: If-None-Match compares weakly), and so does "*".
        if let known = request.headers[.ifNoneMatch], known.split(separator: ",").contains(where: { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == file.etag || tag == "W/" + file.etag
        }) {
            return Response(status: .notModified, headers: headers)
        }
        if acceptsGzip(request.headers[.acceptEncoding]) {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.gzipped))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.identity))
    }

    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard fields.first == "gzip" || fields.first == "*" else { continue }
            // "gzip;q=0" refuses it.
            if fields.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }) {
                return false
            }
            return true
        }
        return false
    }
}
