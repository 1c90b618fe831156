/// The templates of the users, account, tasks, alerts, uplink and upload pages.
enum AdminTemplates {
    static let users = #"""
    <h1>Users</h1>
    <div class="table-wrap"><table>
    <caption>{{count}} user(s)</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">Active</th><th scope="col">Last login</th><th scope="col" class="number">Assets</th></tr></thead>
    <tbody>
    {{#users}}<tr><td><a href="/users/{{id}}">{{username}}</a></td><td>{{email}}</td><td>{{roles}}</td><td>{{#active}}yes{{/active}}{{^active}}<strong>no</strong>{{/active}}</td><td>{{#lastLogin}}<time datetime="{{lastLogin}}" data-local>{{lastLoginText}}</time>{{/lastLogin}}{{^lastLogin}}never{{/lastLogin}}</td><td class="number">{{assets}}</td></tr>
    {{/users}}
    </tbody></table></div>
    """#

    static let user = #"""
    <h1>{{username}}</h1>
    <section class="card"><dl class="facts">
    <dt>Email</dt><dd>{{email}}</dd>
    <dt>Roles</dt><dd>{{roles}}</dd>
    <dt>Timezone</dt><dd>{{timezone}}</dd>
    <dt>Active</dt><dd>{{#active}}yes{{/active}}{{^active}}no{{/active}}</dd>
    <dt>Last login</dt><dd>{{#lastLogin}}<time datetime="{{lastLogin}}" data-local>{{lastLoginText}}</time>{{/lastLogin}}{{^lastLogin}}never{{/lastLogin}}</dd>
    <dt>Assets</dt><dd>{{#assets}}<a href="/assets/{{id}}">{{name}}</a> {{/assets}}{{^assets}}none{{/assets}}</dd>
    </dl></section>
    {{^isSelf}}
    <section class="card"><h2>Manage</h2>
    <form method="post" action="/users/{{id}}/reset-password" data-confirm="Reset the password of {{username}}? They cannot log in until an administrator sets a new one."><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="secondary" type="submit">Reset password</button></form>
    <form method="post" action="/users/{{id}}/password">
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <label for="password">New password for {{username}}</label>
    <input id="password" name="password" type="password" autocomplete="new-password"{{#passwordError}} aria-invalid="true" aria-describedby="password-error"{{/passwordError}}>
    {{#passwordError}}<p class="field-error" id="password-error">{{passwordError}}</p>{{/passwordError}}
    <label for="repeat">Again</label>
    <input id="repeat" name="repeat" type="password" autocomplete="new-password">
    <p><button class="secondary" type="submit">Set password</button></p>
    </form>
    {{#active}}<form method="post" action="/users/{{id}}/deactivate"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="secondary" type="submit">Deactivate</button></form>{{/active}}
    {{^active}}<form method="post" action="/users/{{id}}/activate"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="secondary" type="submit">Activate</button></form>{{/active}}
    <form method="post" action="/users/{{id}}/delete" data-confirm="Delete {{username}} with their assets and data?"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="danger" type="submit">Delete user and their assets</button></form>
    </section>
    {{/isSelf}}
    """#

    static let account = #"""
    <h1>Your account</h1>
    <section class="card"><dl class="facts">
    <dt>Name</dt><dd>{{username}}</dd><dt>Email</dt><dd>{{email}}</dd><dt>Roles</dt><dd>{{roles}}</dd>
    </dl></section>
    <form class="card" method="post" action="/account/timezone">
    <h2>Timezone</h2>
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <label for="timezone">Timezone (IANA, e.g. Europe/Amsterdam)</label>
    <input id="timezone" name="timezone" value="{{timezone}}"{{#timezoneError}} aria-invalid="true" aria-describedby="timezone-error"{{/timezoneError}}>
    {{#timezoneError}}<p class="field-error" id="timezone-error">{{timezoneError}}</p>{{/timezoneError}}
    <p><button type="submit">Save timezone</button></p>
    </form>
    <form class="card" method="post" action="/account/password">
    <h2>Password</h2>
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <label for="current">Current password</label>
    <input id="current" name="current" type="password" autocomplete="current-password"{{#currentError}} aria-invalid="true" aria-describedby="current-error"{{/currentError}}>
    {{#currentError}}<p class="field-error" id="current-error">{{currentError}}</p>{{/currentError}}
    <label for="password">New password</label>
    <input id="password" name="password" type="password" autocomplete="new-password"{{#passwordError}} aria-invalid="true" aria-describedby="password-error"{{/passwordError}}>
    {{#passwordError}}<p class="field-error" id="password-error">{{passwordError}}</p>{{/passwordError}}
    <label for="repeat">New password again</label>
    <input id="repeat" name="repeat" type="password" autocomplete="new-password">
    <p><button type="submit">Change password</button></p>
    </form>
    """#

    static let tasks = #"""
    <h1>Tasks</h1>
    <section class="card"><h2>Queues</h2>
    <div class="table-wrap"><table><thead><tr><th scope="col">Queue</th><th scope="col" class="number">Queued</th><th scope="col" class="number">Started</th><th scope="col" class="number">Failed</th><th scope="col" class="number">Finished</th><th scope="col">Oldest queued</th></tr></thead><tbody>
    {{#queues}}<tr><td><a href="/tasks?queue={{name}}">{{name}}</a></td><td class="number">{{queued}}</td><td class="number">{{started}}</td><td class="number">{{failed}}</td><td class="number">{{finished}}</td><td>{{#oldest}}<time datetime="{{oldest}}" data-local>{{oldestText}}</time>{{/oldest}}</td></tr>{{/queues}}
    </tbody></table></div></section>
    <form class="filters" method="get" action="/tasks">
    <div><label for="queue">Queue</label><select id="queue" name="queue"><option value="">all</option>{{#queueChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/queueChoices}}</select></div>
    <div><label for="status">Status</label><select id="status" name="status"><option value="">all</option>{{#statusChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statusChoices}}</select></div>
    <div><button type="submit">Show</button></div>
    </form>
    <div class="table-wrap"><table>
    <caption>The newest {{limit}} jobs at most</caption>
    <thead><tr><th scope="col" class="number">Job</th><th scope="col">Queue</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col" class="number">Attempts</th><th scope="col">Error</th><th scope="col"></th></tr></thead>
    <tbody>
    {{#jobs}}<tr data-job="{{id}}"><td class="number">{{id}}</td><td>{{queue}}</td><td>{{kind}}</td><td>{{status}}</td><td><time datetime="{{created}}" data-local>{{createdText}}</time></td><td class="number">{{attempts}}</td><td>{{error}}</td><td>{{#failed}}<form method="post" action="/tasks/{{id}}/retry"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button class="secondary" type="submit">Retry</button></form>{{/failed}}</td></tr>
    {{/jobs}}
    </tbody></table></div>
    """#

    static let alerts = #"""
    <h1>Alerts</h1>
    <form class="filters" method="get" action="/alerts">
    <div><label for="state">State</label><select id="state" name="state"><option value="">pending and firing</option>{{#stateChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/stateChoices}}</select></div>
    <div><button type="submit">Show</button></div>
    </form>
    <div class="table-wrap"><table>
    <caption>{{count}} alert(s)</caption>
    <thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">State</th><th scope="col">Subject</th><th scope="col" class="number">Value</th><th scope="col">Since</th><th scope="col">Acknowledged</th><th scope="col"></th></tr></thead>
    <tbody>
    {{#alerts}}<tr data-alert="{{id}}"><td>{{rule}}</td><td>{{severity}}</td><td>{{state}}{{#silenced}} (silenced){{/silenced}}</td><td>{{subject}}</td><td class="number">{{value}}</td><td>{{#since}}<time datetime="{{since}}" data-local>{{sinceText}}</time>{{/since}}</td><td>{{#ackBy}}{{ackBy}}: {{ackComment}}{{/ackBy}}</td>
    <td>{{#open}}<form method="post" action="/alerts/{{id}}/acknowledge"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><label for="comment-{{id}}">Comment</label><input id="comment-{{id}}" name="comment" maxlength="500"><button class="secondary" type="submit">Acknowledge</button></form>
    <form method="post" action="/alerts/{{id}}/silence"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><label for="hours-{{id}}">Silence for hours</label><input id="hours-{{id}}" name="hours" type="number" min="1" max="720" value="4"><button class="secondary" type="submit">Silence</button></form>{{/open}}</td></tr>
    {{/alerts}}
    </tbody></table></div>
    <h2>Rules</h2>
    <div class="table-wrap"><table><thead><tr><th scope="col">Rule</th><th scope="col">Kind</th><th scope="col">Severity</th><th scope="col">Enabled</th></tr></thead><tbody>
    {{#rules}}<tr><td>{{name}}</td><td>{{kind}}</td><td>{{severity}}</td><td>{{#enabled}}yes{{/enabled}}{{^enabled}}no{{/enabled}}</td></tr>{{/rules}}
    </tbody></table></div>
    <p>Rules are made with <code>flexmeasures add alert-rule</code>, the API (<code>/api/v2_0/alert-rules</code>) or the configuration file.</p>
    """#

    static let uplink = #"""
    <h1>Uplink</h1>
    {{#configured}}
    <section class="card" aria-labelledby="uplink-state">
    <h2 id="uplink-state">{{#succeeded}}Forwarding{{/succeeded}}{{#failed}}<span class="error">Failing</span>{{/failed}}{{#untried}}Not tried yet{{/untried}}</h2>
    <p>{{#succeeded}}The last attempt to forward succeeded.{{/succeeded}}{{#failed}}The last attempt to forward failed; the site goes on storing its beliefs, and the uplink tries again.{{/failed}}{{#untried}}The uplink has not tried to forward this stream yet.{{/untried}}</p>
    <dl class="facts">
    <dt>Waiting</dt><dd data-uplink="backlog">{{backlogBeliefs}} belief(s) in {{backlogEntries}} change(s)</dd>
    <dt>Oldest waiting</dt><dd data-uplink="age">{{#oldest}}<time datetime="{{oldest}}" data-local>{{oldestText}}</time>, {{age}} ago{{/oldest}}{{^oldest}}nothing waits{{/oldest}}</dd>
    <dt>Last success</dt><dd data-uplink="last-success">{{#lastSuccess}}<time datetime="{{lastSuccess}}" data-local>{{lastSuccessText}}</time>{{/lastSuccess}}{{^lastSuccess}}never{{/lastSuccess}}</dd>
    <dt>Last attempt</dt><dd data-uplink="last-attempt">{{#lastAttempt}}<time datetime="{{lastAttempt}}" data-local>{{lastAttemptText}}</time>{{/lastAttempt}}{{^lastAttempt}}never{{/lastAttempt}}</dd>
    <dt>Last error</dt><dd data-uplink="last-error">{{#lastError}}<span class="error">{{lastError}}</span>{{/lastError}}{{^lastError}}none{{/lastError}}</dd>
    <dt>Forwarded</dt><dd data-uplink="forwarded">{{forwarded}} belief(s) in this stream</dd>
    <dt>Stream</dt><dd><code>{{streamID}}</code>, started <time datetime="{{started}}" data-local>{{startedText}}</time></dd>
    </dl>
    </section>
    <p>The same is in <code>/api/health</code> (<code>uplink</code>), in <code>/metrics</code> (<code>flexmeasures_uplink_*</code>) and from <code>flexmeasures uplink status</code>.</p>
    {{/configured}}
    {{^configured}}
    <section class="card"><p>No uplink is configured: this site keeps its beliefs to itself.</p>
    <p>To forward them to a fleet's central PostgreSQL, set <code>FLEXMEASURES_UPLINK_URL</code> (<code>postgres://user@host:5432/database</code>, without a password),
    <code>FLEXMEASURES_UPLINK_SITE</code> (this site's name in the fleet) and <code>FLEXMEASURES_UPLINK_PASSWORD_FILE</code>
    (a file holding the password), run <code>flexmeasures uplink init</code> to create the central schema, then restart the daemon.</p></section>
    {{/configured}}
    """#

    static let upload = #"""
    <h1>Upload data</h1>
    <form class="card" id="upload-form" method="post" action="/upload" data-upload>
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <p>A CSV file with the header <code>event_start,value</code> (ISO 8601 times with offsets), and optionally
    <code>belief_time</code> and <code>cumulative_probability</code>, as <code>flexmeasures add beliefs</code> reads it.
    Power is in MW, consumption positive. Any bad line stores nothing; the bad lines are listed.</p>
    <label for="sensor">Sensor</label>
    <select id="sensor" name="sensor" required>{{#targets}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/targets}}</select>
    <label for="file">File (at most {{maximumMB}} MB)</label>
    <input id="file" name="file" type="file" accept=".csv,text/csv">
    <label for="csv">Or paste the CSV</label>
    <textarea id="csv" name="csv" rows="6">{{typedCSV}}</textarea>
    <label for="horizon">Known this long before each event's end (optional, e.g. PT6H; -PT5M for readings)</label>
    <input id="horizon" name="horizon" value="{{typedHorizon}}">
    <label for="prior">Or all known at (optional, e.g. 2026-01-01T00:00:00+01:00)</label>
    <input id="prior" name="prior" value="{{typedPrior}}">
    <p><button type="submit">Upload</button></p>
    <progress id="upload-progress" max="100" value="0" hidden></progress>
    </form>
    <section class="card" id="upload-result" aria-live="polite"{{^result}} hidden{{/result}}>
    <p id="upload-message" class="{{#failed}}error{{/failed}}" role="status">{{result}}</p>
    <ul id="upload-problems">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>
    </section>
    <script src="{{uploadScript}}" defer></script>
    """#

    static let all: [(String, String)] = [
        ("upload", upload), ("users", users), ("user", user), ("account", account), ("tasks", tasks), ("alerts", alerts),
        ("uplink", uplink),
    ]
}
