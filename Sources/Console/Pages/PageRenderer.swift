import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Site

/// The sections of the console, in the order of the navigation.
enum Section: String, CaseIterable {
    case dashboard, assets, portfolio, analytics, control, upload, tasks, alerts, uplink, users, account

    var label: String {
        switch self {
        case .dashboard: "Dashboard"
        case .assets: "Assets"
        case .portfolio: "Portfolio"
        case .analytics: "Analytics"
        case .control: "Control"
        case .upload: "Upload"
        case .tasks: "Tasks"
        case .alerts: "Alerts"
        case .uplink: "Uplink"
        case .users: "Users"
        case .account: "Account"
        }
    }

    var path: String { "/" + rawValue }
    var isForAdmins: Bool { self == .users || self == .tasks }
}

/// Renders a page's template into the layout.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let platformName: String

    /// Every template of the console, parsed once; a template that does not parse stops the start (and the tests).
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all {
            try library.register(text, named: name)
        }
        return library
    }

    func page(
        _ template: String, title: String, section: Section?, session: ConsoleSession?, values: [String: Any],
        charts: Bool = false, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let body = library.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "platformName": platformName, "body": body, "charts": charts,
            "stylesheet": StaticFiles.path("console.css"), "consoleScript": StaticFiles.path("console.js"),
            "favicon": StaticFiles.path("favicon.svg"),
            "vegaBundle": StaticFiles.path("vendor/vega-bundle.js"),
        ]
        if let notice { layout["notice"] = notice }
        if let session {
            layout["signedIn"] = true
            layout["csrfToken"] = session.csrfToken
            layout["userName"] = session.user.username
            layout["navigation"] = Section.allCases.filter { !$0.isForAdmins || session.user.isAdmin }.map { item -> [String: Any] in
                ["href": item.path, "label": item.label, "current": item == section]
            }
        }
        let html = library.render(layout, withTemplate: "layout") ?? body
        return Self.html(html, status: status, charts: charts)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, charts: Bool = false, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            // Pages load only their own scripts and styles; nothing leaves the machine and no other site frames them.
            // Vega compiles a chart's expressions with Function(), so chart pages allow that.
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'\(charts ? " 'unsafe-eval'" : ""); frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
