/// The frame of every page, the login page and the error page. Mustache escapes `{{ }}`; only `{{{body}}}`,
/// which the console rendered itself from an escaping template, is inserted raw.
enum LayoutTemplates {
    static let layout = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{platformName}}</title>
    <link rel="stylesheet" href="{{stylesheet}}">
    <link rel="icon" href="{{favicon}}" type="image/svg+xml">
    {{#charts}}<script src="{{vegaBundle}}" defer></script>{{/charts}}
    <script src="{{consoleScript}}" defer></script>
    </head>
    <body>
    <header class="top">
    <nav aria-label="Main">
    <a class="brand" href="/dashboard">{{platformName}}</a>
    {{#signedIn}}
    {{#navigation}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>
    {{/navigation}}
    <form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="secondary" type="submit">Log out {{userName}}</button></form>
    {{/signedIn}}
    </nav>
    </header>
    <main id="content">
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{{body}}}
    </main>
    </body>
    </html>
    """#

    static let error = #"""
    <h1>{{heading}}</h1>
    <section class="card"><p class="error" role="alert">{{message}}</p>
    <p><a href="/dashboard">Back to the dashboard</a></p></section>
    """#

    static let login = #"""
    <h1>Log in</h1>
    <form class="card" method="post" action="/login">
    <input type="hidden" name="csrf_token" value="{{loginCSRF}}">
    <input type="hidden" name="next" value="{{next}}">
    {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required value="{{email}}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <p><button type="submit">Log in</button></p>
    </form>
    {{#demo}}<section class="card"><h2>Demo</h2><p>Log in as <strong>{{demoEmail}}</strong> with the password <strong>{{demoPassword}}</strong>.</p></section>{{/demo}}
    """#
}

extension LayoutTemplates {
    static let all: [(String, String)] = [("layout", layout), ("error", error), ("login", login)]
}

/// Every template of the console by name: each group of pages keeps its own list.
enum ConsoleTemplates {
    static var all: [(String, String)] {
        LayoutTemplates.all + PageTemplates.all + AdminTemplates.all + AnalysisTemplates.all
    }
}
