/// The templates of the dashboard and the asset pages.
enum PageTemplates {
    static let dashboard = #"""
    <h1>Dashboard</h1>
    <section class="card" aria-labelledby="totals">
    <h2 id="totals">Site now</h2>
    <dl class="facts">
    <dt>Consumption</dt><dd>{{consumption}} MW</dd>
    <dt>Production</dt><dd>{{production}} MW</dd>
    <dt>Assets</dt><dd>{{assetCount}}{{#hasStale}} (<span class="stale">{{staleCount}} without recent data</span>){{/hasStale}}</dd>
    <dt>As of</dt><dd><time datetime="{{at}}" data-local>{{atText}}</time></dd>
    </dl>
    </section>
    {{#hasAssets}}
    <section class="card" aria-labelledby="map-heading">
    <h2 id="map-heading">Map</h2>
    <figure class="chart" id="map" data-spec-url="/charts/map/spec" data-data-url="/charts/map/data" aria-label="Map of the assets"></figure>
    </section>
    {{/hasAssets}}
    <h2>Assets</h2>
    {{^hasAssets}}<p>No assets yet.{{#isAdmin}} <a href="/assets/new">Add one</a>.{{/isAdmin}}</p>{{/hasAssets}}
    <div class="tiles">
    {{#assets}}
    <article class="tile" data-asset="{{id}}">
    <h3><a href="/assets/{{id}}">{{name}}</a></h3>
    <dl>
    <dt>Type</dt><dd>{{type}}</dd>
    <dt>Power</dt><dd>{{#power}}{{power}} MW{{/power}}{{^power}}no data{{/power}}</dd>
    {{#soc}}<dt>Charge</dt><dd>{{soc}} MWh</dd>{{/soc}}
    <dt>Last data</dt><dd{{#stale}} class="stale"{{/stale}}>{{#lastReceived}}<time datetime="{{lastReceived}}" data-local>{{lastReceivedText}}</time>{{/lastReceived}}{{^lastReceived}}never{{/lastReceived}}{{#stale}} (stale){{/stale}}</dd>
    <dt>Next action</dt><dd>{{#next}}{{next}}{{/next}}{{^next}}none planned{{/next}}</dd>
    </dl>
    </article>
    {{/assets}}
    </div>
    """#

    static let assets = #"""
    <h1>Assets</h1>
    <form class="filters" method="get" action="/assets">
    <div><label for="q">Name</label><input id="q" name="q" value="{{query}}"></div>
    <div><label for="type">Type</label><select id="type" name="type"><option value="">any</option>{{#types}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/types}}</select></div>
    <div><button type="submit">Filter</button></div>
    {{#isAdmin}}<div><a class="button secondary" href="/assets/new">New asset</a></div>{{/isAdmin}}
    </form>
    <div class="table-wrap">
    <table>
    <caption>{{total}} asset(s){{#filtered}} matching{{/filtered}}</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col" class="number">Capacity (MW)</th><th scope="col">Resolution</th><th scope="col">Entity address</th></tr></thead>
    <tbody>
    {{#rows}}<tr><td><a href="/assets/{{id}}">{{name}}</a></td><td>{{type}}</td><td class="number">{{capacity}}</td><td>{{resolution}}</td><td><code>{{address}}</code></td></tr>
    {{/rows}}
    </tbody>
    </table>
    </div>
    <nav class="pager" aria-label="Pages">{{#previous}}<a href="{{previous}}">Previous</a>{{/previous}}<span>Page {{page}} of {{pages}}</span>{{#next}}<a href="{{next}}">Next</a>{{/next}}</nav>
    <h2>Markets</h2>
    <div class="table-wrap"><table><thead><tr><th scope="col">Market</th><th scope="col">Unit</th><th scope="col" class="number">Latest price</th><th scope="col">For</th></tr></thead><tbody>
    {{#markets}}<tr><td>{{name}}</td><td>{{unit}}</td><td class="number">{{latest}}</td><td>{{#at}}<time datetime="{{at}}" data-local>{{atText}}</time>{{/at}}</td></tr>{{/markets}}
    </tbody></table></div>
    <h2>Weather sensors</h2>
    <div class="table-wrap"><table><thead><tr><th scope="col">Sensor</th><th scope="col">Type</th><th scope="col">Unit</th><th scope="col" class="number">Latest value</th><th scope="col">For</th></tr></thead><tbody>
    {{#weather}}<tr><td>{{name}}</td><td>{{type}}</td><td>{{unit}}</td><td class="number">{{latest}}</td><td>{{#at}}<time datetime="{{at}}" data-local>{{atText}}</time>{{/at}}</td></tr>{{/weather}}
    </tbody></table></div>
    """#

    static let asset = #"""
    <h1>{{name}}</h1>
    <section class="card">
    <dl class="facts">
    <dt>Type</dt><dd>{{type}}</dd>
    <dt>Entity address</dt><dd><code>{{address}}</code></dd>
    <dt>Capacity</dt><dd>{{capacity}} MW</dd>
    <dt>Resolution</dt><dd>{{resolution}}</dd>
    <dt>Location</dt><dd>{{latitude}}, {{longitude}}</dd>
    <dt>Owner</dt><dd>{{owner}}</dd>
    {{#market}}<dt>Market</dt><dd>{{market}}</dd>{{/market}}
    {{#socRange}}<dt>State of charge</dt><dd>{{socRange}}</dd>{{/socRange}}
    <dt>Latest power</dt><dd>{{#power}}{{power}} MW at <time datetime="{{powerAt}}" data-local>{{powerAtText}}</time>{{/power}}{{^power}}no data{{/power}}</dd>
    </dl>
    <p><a class="button secondary" href="/assets/{{id}}/edit">Edit</a>
    {{#canControl}} <a class="button secondary" href="/control/{{id}}">Control</a>{{/canControl}}</p>
    {{#isAdmin}}<form method="post" action="/assets/{{id}}/delete" data-confirm="Delete {{name}} and all its data?"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="danger" type="submit">Delete</button></form>{{/isAdmin}}
    </section>
    <section class="card" aria-labelledby="chart-heading">
    <h2 id="chart-heading">Power</h2>
    <form class="filters" method="get" action="/assets/{{id}}" data-chart-window="power-chart">
    <div><label for="start">From</label><input id="start" name="start" type="date" value="{{start}}"></div>
    <div><label for="end">Until</label><input id="end" name="end" type="date" value="{{end}}"></div>
    <div><label for="resolution">Resolution</label><select id="resolution" name="resolution">{{#resolutions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/resolutions}}</select></div>
    <div><button type="submit">Show</button></div>
    </form>
    <figure class="chart" id="power-chart" data-spec-url="/assets/{{id}}/chart/spec" data-data-url="/assets/{{id}}/chart/data?start={{start}}&amp;end={{end}}&amp;resolution={{resolutionValue}}" aria-label="Power of {{name}}"></figure>
    <p><a href="/assets/{{id}}/chart/data?start={{start}}&amp;end={{end}}&amp;resolution={{resolutionValue}}&amp;format=csv">Download these data as CSV</a></p>
    </section>
    """#

    static let assetForm = #"""
    <h1>{{heading}}</h1>
    <form class="card" method="post" action="{{action}}" novalidate>
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    {{#hasErrors}}<p class="error" role="alert">The asset was not saved: see the fields below.</p>{{/hasErrors}}
    {{#fields}}
    <label for="{{name}}">{{label}}</label>
    {{#isSelect}}<select id="{{name}}" name="{{name}}"{{#error}} aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
    {{^isSelect}}<input id="{{name}}" name="{{name}}" type="{{type}}" value="{{value}}"{{#step}} step="{{step}}"{{/step}}{{#error}} aria-invalid="true" aria-describedby="{{name}}-error"{{/error}}>{{/isSelect}}
    {{#error}}<p class="field-error" id="{{name}}-error">{{error}}</p>{{/error}}
    {{/fields}}
    <p><button type="submit">Save</button> <a class="button secondary" href="{{cancel}}">Cancel</a></p>
    </form>
    """#
}

extension PageTemplates {
    static let all: [(String, String)] = [
        ("dashboard", dashboard), ("assets", assets), ("asset", asset), ("assetForm", assetForm),
    ]
}
