/// The templates of the portfolio, analytics and control pages. Every figure is in a table that reads
/// without JavaScript; the charts beside them draw the same data.
enum AnalysisTemplates {
    /// The start/end/resolution fields of a window form, with their per-field messages.
    static let windowFields = #"""
    <div><label for="start">From</label><input id="start" name="start" type="date" value="{{start}}"{{#startError}} aria-invalid="true" aria-describedby="start-error"{{/startError}}>{{#startError}}<p class="field-error" id="start-error">{{startError}}</p>{{/startError}}</div>
    <div><label for="end">Until</label><input id="end" name="end" type="date" value="{{end}}"{{#endError}} aria-invalid="true" aria-describedby="end-error"{{/endError}}>{{#endError}}<p class="field-error" id="end-error">{{endError}}</p>{{/endError}}</div>
    """#

    static let portfolio = #"""
    <h1>Portfolio</h1>
    <form class="filters" method="get" action="/portfolio" data-chart-window="portfolio-chart" novalidate>
    {{> windowFields}}
    <div><button type="submit">Show</button></div>
    </form>
    <p>Energy measured from <time datetime="{{startISO}}">{{startDate}}</time> to <time datetime="{{endISO}}">{{endDate}}</time> (UTC days, inclusive); revenues and costs at the assets' market prices{{#currency}} in {{currency}}{{/currency}}.</p>
    {{#missingPrices}}<p class="notice" role="status">{{missingPrices}} of {{measuredSlots}} measured slots had no price: they count in neither revenues nor costs.</p>{{/missingPrices}}
    {{^hasAssets}}<p>No assets to show.</p>{{/hasAssets}}
    {{#hasAssets}}
    <section class="card" aria-labelledby="types-heading">
    <h2 id="types-heading">Per asset type</h2>
    <div class="table-wrap"><table id="asset-types">
    <thead><tr><th scope="col">Asset type</th><th scope="col" class="number">Produced (MWh)</th><th scope="col" class="number">Consumed (MWh)</th><th scope="col" class="number">Revenues</th><th scope="col" class="number">Costs</th><th scope="col" class="number">Profit</th><th scope="col" class="number">Slots without price</th></tr></thead>
    <tbody>
    {{#types}}<tr><th scope="row">{{name}}</th><td class="number">{{production}}</td><td class="number">{{consumption}}</td><td class="number">{{revenues}}</td><td class="number">{{costs}}</td><td class="number">{{profit}}</td><td class="number">{{missing}}</td></tr>
    {{/types}}
    </tbody>
    {{#total}}<tfoot><tr><th scope="row">Total</th><td class="number" id="total-production">{{production}}</td><td class="number" id="total-consumption">{{consumption}}</td><td class="number" id="total-revenues">{{revenues}}</td><td class="number" id="total-costs">{{costs}}</td><td class="number" id="total-profit">{{profit}}</td><td class="number">{{missing}}</td></tr></tfoot>{{/total}}
    </table></div>
    </section>
    <section class="card" aria-labelledby="chart-heading">
    <h2 id="chart-heading">Energy per asset type and day</h2>
    <figure class="chart" id="portfolio-chart" data-spec-url="/portfolio/chart/spec" data-data-url="/portfolio/chart/data?start={{startDate}}&amp;end={{endDate}}" aria-label="Energy per asset type and day, consumption up, production down"></figure>
    </section>
    <section class="card" aria-labelledby="assets-heading">
    <h2 id="assets-heading">Per asset</h2>
    <div class="table-wrap"><table id="assets">
    <thead><tr><th scope="col">Asset</th><th scope="col">Type</th><th scope="col" class="number">Produced (MWh)</th><th scope="col" class="number">Consumed (MWh)</th><th scope="col" class="number">Revenues</th><th scope="col" class="number">Costs</th><th scope="col" class="number">Profit</th><th scope="col" class="number">Slots without price</th></tr></thead>
    <tbody>
    {{#assets}}<tr data-asset="{{id}}"><th scope="row"><a href="/assets/{{id}}">{{name}}</a></th><td>{{type}}</td><td class="number">{{production}}</td><td class="number">{{consumption}}</td><td class="number">{{revenues}}</td><td class="number">{{costs}}</td><td class="number">{{profit}}</td><td class="number">{{missing}}</td></tr>
    {{/assets}}
    </tbody>
    </table></div>
    </section>
    {{/hasAssets}}
    """#

    static let analytics = #"""
    <h1>Analytics</h1>
    {{^hasAssets}}<p>No assets to show.</p>{{/hasAssets}}
    {{#hasAssets}}
    <form class="filters" method="get" action="/analytics" data-chart-window="analytics-chart" novalidate>
    <div><label for="assets">Assets</label><select id="assets" name="assets"{{#assetsError}} aria-invalid="true" aria-describedby="assets-error"{{/assetsError}}>
    <optgroup label="Asset">{{#assetChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/assetChoices}}</optgroup>
    <optgroup label="Asset type">{{#typeChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/typeChoices}}</optgroup>
    </select>{{#assetsError}}<p class="field-error" id="assets-error">{{assetsError}}</p>{{/assetsError}}</div>
    {{> windowFields}}
    <div><label for="resolution">Resolution</label><select id="resolution" name="resolution"{{#resolutionError}} aria-invalid="true" aria-describedby="resolution-error"{{/resolutionError}}>{{#resolutions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/resolutions}}</select>{{#resolutionError}}<p class="field-error" id="resolution-error">{{resolutionError}}</p>{{/resolutionError}}</div>
    <div><label for="horizon">Forecast horizon</label><select id="horizon" name="horizon"{{#horizonError}} aria-invalid="true" aria-describedby="horizon-error"{{/horizonError}}>{{#horizons}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/horizons}}</select>{{#horizonError}}<p class="field-error" id="horizon-error">{{horizonError}}</p>{{/horizonError}}</div>
    <div><label for="weather">Weather</label><select id="weather" name="weather"{{#weatherError}} aria-invalid="true" aria-describedby="weather-error"{{/weatherError}}>{{#weatherChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/weatherChoices}}</select>{{#weatherError}}<p class="field-error" id="weather-error">{{weatherError}}</p>{{/weatherError}}</div>
    <div><button type="submit">Show</button></div>
    </form>
    {{#report}}
    <section class="card" aria-labelledby="summary-heading">
    <h2 id="summary-heading">{{heading}}</h2>
    <dl class="facts">
    <dt>Assets</dt><dd>{{assetNames}}</dd>
    <dt>Realised energy</dt><dd id="measured-energy">{{measuredMWh}} MWh</dd>
    <dt>Expected energy ({{horizonLabel}} ahead)</dt><dd id="forecast-energy">{{forecastMWh}} MWh</dd>
    <dt>Prices</dt><dd>{{#market}}{{market}} ({{priceUnit}}){{/market}}{{^market}}no market{{/market}}</dd>
    <dt>Weather</dt><dd>{{#weatherSensor}}{{weatherSensor}} ({{weatherUnit}}){{/weatherSensor}}{{^weatherSensor}}no sensor of this type{{/weatherSensor}}</dd>
    </dl>
    </section>
    <section class="card" aria-labelledby="accuracy-heading">
    <h2 id="accuracy-heading">Forecast accuracy</h2>
    <div class="table-wrap"><table id="accuracy">
    <thead><tr><th scope="col">Horizon</th><th scope="col" class="number">Forecasts</th><th scope="col" class="number">MAE (MW)</th><th scope="col" class="number">1 − WAPE</th></tr></thead>
    <tbody>{{#accuracy}}<tr><th scope="row">{{horizon}}</th><td class="number">{{forecasts}}</td><td class="number">{{mae}}</td><td class="number">{{accuracy}}</td></tr>
    {{/accuracy}}</tbody>
    </table></div>
    </section>
    <section class="card" aria-labelledby="chart-heading">
    <h2 id="chart-heading">Power, prices and weather</h2>
    <figure class="chart" id="analytics-chart" data-spec-url="/analytics/chart/spec" data-data-url="/analytics/chart/data?{{query}}" aria-label="Power, prices and weather"></figure>
    <p><a href="/analytics?{{query}}&amp;format=csv">Download these data as CSV</a></p>
    <div class="table-wrap"><table id="slots">
    <caption>Per slot, power consumption positive{{#truncated}}: the first {{listed}} of {{slotCount}} slots (choose a coarser resolution, or download the CSV, for all){{/truncated}}</caption>
    <thead><tr><th scope="col">Time (UTC)</th><th scope="col" class="number">Measured (MW)</th><th scope="col" class="number">Forecast (MW)</th><th scope="col" class="number">Price{{#priceUnit}} ({{priceUnit}}){{/priceUnit}}</th><th scope="col" class="number">Weather{{#weatherUnit}} ({{weatherUnit}}){{/weatherUnit}}</th></tr></thead>
    <tbody>{{#rows}}<tr><td><time datetime="{{iso}}">{{time}}</time></td><td class="number">{{measured}}</td><td class="number">{{forecast}}</td><td class="number">{{price}}</td><td class="number">{{weather}}</td></tr>
    {{/rows}}</tbody>
    </table></div>
    </section>
    {{/report}}
    {{/hasAssets}}
    """#

    static let controlList = #"""
    <h1>Control</h1>
    {{^hasAssets}}<p>No batteries or charge points to control.</p>{{/hasAssets}}
    {{#hasAssets}}
    <div class="table-wrap"><table>
    <caption>Batteries and charge points</caption>
    <thead><tr><th scope="col">Asset</th><th scope="col">Type</th><th scope="col" class="number">State of charge (MWh)</th><th scope="col">As of</th></tr></thead>
    <tbody>{{#assets}}<tr><th scope="row"><a href="/control/{{id}}">{{name}}</a></th><td>{{type}}</td><td class="number">{{soc}}</td><td>{{#socAt}}<time datetime="{{socAt}}" data-local>{{socAtText}}</time>{{/socAt}}</td></tr>
    {{/assets}}</tbody>
    </table></div>
    {{/hasAssets}}
    """#

    static let control = #"""
    <h1>Control {{name}}</h1>
    <section class="card" aria-labelledby="state-heading">
    <h2 id="state-heading">Schedule</h2>
    <dl class="facts">
    <dt>Type</dt><dd>{{type}}</dd>
    <dt>State of charge</dt><dd>{{#soc}}{{soc}} MWh{{#socAt}} at <time datetime="{{socAt}}" data-local>{{socAtText}}</time>{{/socAt}}{{/soc}}{{^soc}}not known{{/soc}}{{#socRange}} (range {{socRange}}){{/socRange}}</dd>
    <dt>Latest event</dt><dd>{{#event}}{{event}}{{/event}}{{^event}}none{{/event}}</dd>
    <dt>Scheduling job</dt><dd id="job-state" data-state="{{jobState}}">{{jobText}}</dd>
    {{#jobError}}<dt>Why it failed</dt><dd class="error">{{jobError}}</dd>{{/jobError}}
    <dt>Planning window</dt><dd><time datetime="{{startISO}}" data-local>{{startText}}</time> to <time datetime="{{endISO}}" data-local>{{endText}}</time></dd>
    </dl>
    {{#pending}}<p><a href="/control/{{id}}">Reload</a> to see whether the schedule is ready.</p>{{/pending}}
    </section>
    <section class="card" aria-labelledby="target-heading">
    <h2 id="target-heading">Set a state-of-charge target</h2>
    <form method="post" action="/control/{{id}}" novalidate>
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    {{#hasErrors}}<p class="error" role="alert">No schedule was started: see the fields below.</p>{{/hasErrors}}
    {{#formError}}<p class="error" role="alert">{{formError}}</p>{{/formError}}
    <label for="target_value">Target state of charge (MWh)</label>
    <input id="target_value" name="target_value" type="number" step="any" value="{{targetValue}}"{{#valueError}} aria-invalid="true" aria-describedby="target_value-error"{{/valueError}}>
    {{#valueError}}<p class="field-error" id="target_value-error">{{valueError}}</p>{{/valueError}}
    <label for="target_datetime">Reached at (UTC)</label>
    <input id="target_datetime" name="target_datetime" type="datetime-local" value="{{targetDatetime}}"{{#datetimeError}} aria-invalid="true" aria-describedby="target_datetime-error"{{/datetimeError}}>
    {{#datetimeError}}<p class="field-error" id="target_datetime-error">{{datetimeError}}</p>{{/datetimeError}}
    <p><button type="submit">Start a schedule</button></p>
    </form>
    </section>
    <section class="card" aria-labelledby="plan-heading">
    <h2 id="plan-heading">Planned power and state of charge</h2>
    <figure class="chart" id="control-chart" data-spec-url="/control/{{id}}/chart/spec" data-data-url="/control/{{id}}/chart/data" aria-label="Planned power, state of charge and prices"></figure>
    {{^hasSchedule}}<p>No schedule to show{{#pending}} yet{{/pending}}.</p>{{/hasSchedule}}
    <div class="table-wrap"><table id="plan">
    <caption>Per slot, power consumption positive{{#market}}, prices of {{market}}{{/market}}</caption>
    <thead><tr><th scope="col">Time (UTC)</th><th scope="col" class="number">Price{{#priceUnit}} ({{priceUnit}}){{/priceUnit}}</th><th scope="col" class="number">Planned (MW)</th><th scope="col" class="number">State of charge after (MWh)</th></tr></thead>
    <tbody>{{#slots}}<tr><td><time datetime="{{iso}}">{{time}}</time></td><td class="number">{{price}}</td><td class="number">{{planned}}</td><td class="number">{{soc}}</td></tr>
    {{/slots}}</tbody>
    </table></div>
    </section>
    """#
}

extension AnalysisTemplates {
    static let all: [(String, String)] = [
        ("windowFields", windowFields), ("portfolio", portfolio), ("analytics", analytics), ("controlList", controlList), ("control", control),
    ]
}
