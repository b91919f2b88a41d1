import ApplianceModel
import ApplianceStatus
import Crypto
import Foundation
import TextFormat

/// The HTML pages. Server-rendered, no external assets and no framework: the appliance may have no
/// internet. The one script refreshes `<main>` from `?fragment=1` without reloading the page; with
/// scripts off, a `<noscript>` meta refresh reloads it instead.
enum Pages {
    public enum Kind: Sendable {
        case overview, diagnostics
    }

    // MARK: documents

    public static func page(_ kind: Kind, entry: StatusEntry, now: Date, refresh: Int) -> String {
        layout(
            title: "\(title(entry.document.rollup.state)) · Alga appliance", signedIn: true,
            body: "<main id=\"content\" data-refresh=\"\(refresh)\">\(fragment(kind, entry: entry, now: now, refresh: refresh))</main>",
            refresh: refresh)
    }

    public static func fragment(_ kind: Kind, entry: StatusEntry, now: Date, refresh: Int) -> String {
        let age = TimeWords.seconds(from: entry.collectedAt, to: now)
        let d = entry.document
        var html = rollup(d, now: now, refresh: refresh)
        switch kind {
        case .overview:
            html += tiers(d.tiers) + pulls(d.activeOperations, age: age) + blockers(d.topBlockers) + commandSetup(d) + components(d.components)
            html += "<p class=\"more\"><a href=\"/diagnostics\">Diagnostics: Flux and Helm objects, events, bootstrap job, support bundle</a></p>"
        case .diagnostics:
            let g = entry.diagnostics
            html += tiers(d.tiers) + blockers(d.topBlockers) + commandSetup(d) + pulls(d.activeOperations, age: age) + components(d.components)
            html += flux(g.flux) + bootstrap(g.bootstrap, probe: g.loginProbe) + events(g.recentEvents, now: now) + supportBundle(g.supportBundle)
        }
        return html
    }

    /// - Parameter missingSecret: the Secret that should hold the token, when there is no usable one.
    public static func login(message: String?, next: String, missingSecret: String?) -> String {
        var body = "<main id=\"login\"><h2>Sign in</h2>"
        body += "<p>Enter the status token. The bootstrap printed it with the status URL; it is also in <code>status-token</code> in the site directory.</p>"
        if let missingSecret {
            body +=
                "<p class=\"alert\" role=\"alert\">This server has no usable token yet: the <code>\(escape(missingSecret))</code> Secret is missing or malformed. Create it with <code>alga-release status-token --site-dir DIR | kubectl apply -f -</code>.</p>"
        }
        if let message { body += "<p class=\"alert\" role=\"alert\">\(escape(message))</p>" }
        body += """
            <form method="post" action="/login"><input type="hidden" name="next" value="\(escape(next))">\
            <label for="token">Token</label> <input id="token" name="token" type="password" autocomplete="current-password" required autofocus> \
            <button type="submit">Sign in</button></form></main>
            """
        return layout(title: "Sign in · Alga appliance", signedIn: false, body: body, refresh: nil)
    }

    // MARK: sections

    static func rollup(_ d: StatusDocument, now: Date, refresh: Int) -> String {
        let state = d.rollup.state.rawValue
        var html = "<section id=\"rollup\" class=\"rollup \(state)\" data-state=\"\(state)\" data-title=\"\(escape(title(d.rollup.state)))\">"
        html += "<p class=\"state\">\(escape(title(d.rollup.state)))</p>"
        html += "<p id=\"rollup-message\" class=\"message\">\(escape(d.rollup.message))</p>"
        html += "<p id=\"next-action\" class=\"next\"><strong>Next:</strong> \(escape(d.rollup.nextAction))</p>" + commands(d.rollup.commands)
        if d.tiers.login.ready, let url = d.urls.loginUrl, url.hasPrefix("http://") || url.hasPrefix("https://") {
            html += "<p class=\"login\"><a href=\"\(escape(url))\" rel=\"noreferrer\">Open Alga at \(escape(url))</a></p>"
        }
        if let source = d.source, !source.reachable {
            let last =
                source.lastSuccessAt.map { "Showing what was seen \(TimeWords.ago(TimeWords.seconds(from: $0, to: now))) (\(TimeWords.moment($0, now: now)))." }
                ?? "Nothing has been read from it yet."
            html +=
                "<p id=\"unreachable\" class=\"alert\" role=\"alert\">The cluster could not be read \(TimeWords.ago(TimeWords.seconds(from: source.lastAttemptAt, to: now))) (\(TimeWords.moment(source.lastAttemptAt, now: now))): \(escape(source.error ?? "unknown error")). \(last) Retrying every \(TimeWords.duration(refresh)).</p>"
        }
        // How old the information is, said once: a recorded snapshot is as old as its recording.
        let age = TimeWords.seconds(from: d.observedAt, to: now)
        let recorded = d.source?.kind == "snapshot" ? " (a recorded snapshot)" : ""
        html +=
            "<p id=\"age\" class=\"age\" data-age-seconds=\"\(age)\">This information is from \(TimeWords.ago(age))\(recorded), \(TimeWords.moment(d.observedAt, now: now)). The page checks again every \(TimeWords.duration(refresh)).<span id=\"connection\"></span></p>"
        return html + "</section>"
    }

    static func tiers(_ t: Tiers) -> String {
        var html = "<section id=\"tiers\"><h2>Tiers</h2><table><tbody>"
        for (name, tier) in t.inOrder {
            html +=
                "<tr data-tier=\"\(name)\" class=\"\(tier.ready ? "ok" : "wait")\"><td class=\"mark\">\(tier.ready ? "ready" : "waiting")</td><th scope=\"row\">\(name)</th><td>\(escape(tier.reason))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    static func pulls(_ operations: [ActiveOperation], age: Int) -> String {
        guard !operations.isEmpty else { return "" }
        var html = "<section id=\"pulls\"><h2>Images being pulled</h2><ul>"
        for op in operations {
            let elapsed = op.elapsedSeconds + age
            let size = op.estimatedSizeBytes.map { ", about \(ByteSize.text($0)) compressed" } ?? ""
            html += "<li class=\"pull\"><code>\(escape(op.image))</code> for <span class=\"elapsed\">\(TimeWords.duration(elapsed))</span>\(size)"
            html +=
                "<br><small>\(escape(op.pods.joined(separator: ", "))). Kubernetes does not report pull progress; large images take several minutes.</small></li>"
        }
        return html + "</ul></section>"
    }

    static func blockers(_ blockers: [Blocker]) -> String {
        guard !blockers.isEmpty else { return "<section id=\"blockers\"><h2>Blockers</h2><p>None.</p></section>" }
        var html = "<section id=\"blockers\"><h2>Blockers</h2><ol>"
        for b in blockers {
            html += "<li class=\"blocker \(b.severity.rawValue)\" data-kind=\"\(b.kind.rawValue)\">"
            html +=
                "<p class=\"reason\"><strong>\(escape(b.reason))</strong> <span class=\"tag\">\(escape(b.component)), \(b.loginBlocking ? "blocks login" : b.severity.rawValue)</span></p>"
            html +=
                "<p class=\"evidence\">\(escape(b.evidence))</p><p class=\"next\"><strong>Next:</strong> \(escape(b.nextAction))</p>\(commands(b.commands))</li>"
        }
        return html + "</ol></section>"
    }

    /// A next step's commands, each under what it does and which configuration it needs; a click
    /// selects the whole command (`user-select: all`), so it copies without the prompt or a stray space.
    static func commands(_ commands: [NextCommand]) -> String {
        guard !commands.isEmpty else { return "" }
        var html = "<ul class=\"commands\">"
        for c in commands {
            html +=
                "<li data-needs=\"\(c.needs.rawValue)\"><span class=\"purpose\">\(escape(c.purpose))</span> <span class=\"needs\">needs the \(c.needs.file)</span>"
            html += "<pre class=\"cmd\"><code>\(escape(c.command))</code></pre></li>"
        }
        return html + "</ul>"
    }

    /// Where the commands run and how to point them at this appliance, once per page, for the
    /// configurations its commands need.
    static func commandSetup(_ d: StatusDocument) -> String {
        let needed = NextCommand.Needs.allCases.filter { need in (d.rollup.commands + d.topBlockers.flatMap(\.commands)).contains { $0.needs == need } }
        guard !needed.isEmpty else { return "" }
        let site = ObjectName.isValid(d.siteId) ? d.siteId : "SITE"
        var html =
            "<section id=\"command-setup\"><h2>Running these commands</h2><p>Run them on the computer the appliance was installed from: it has kubectl, flux and talosctl, and the bootstrap wrote this appliance's configuration to <code>~/.alga-psa-appliance/\(escape(site))/</code>. "
        html += "Point the tools at this appliance first, in the same terminal:</p><pre class=\"cmd\"><code>"
        html += needed.map { "export \($0.variable)=~/.alga-psa-appliance/\(escape(site))/\($0.file)" }.joined(separator: "\n")
        return html
            + "</code></pre><p>None of them changes the appliance's configuration; <code>kubectl delete pod</code> only restarts a pod, which its workload recreates.</p></section>"
    }

    static func components(_ components: [ComponentStatus]) -> String {
        var html =
            "<section id=\"components\"><h2>Components</h2><table><thead><tr><th>Component</th><th>Tier</th><th>Status</th><th>Detail</th></tr></thead><tbody>"
        for c in components {
            html +=
                "<tr class=\"\(c.ready ? "ok" : "wait")\"><td class=\"short\">\(escape(c.name))</td><td class=\"short\">\(c.tier.rawValue)</td><td class=\"short\">\(c.status.rawValue)</td><td class=\"long\">\(escape(c.message))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    static func flux(_ flux: Diagnostics.Flux) -> String {
        var html =
            "<section id=\"flux\"><h2>Flux and Helm</h2><table><thead><tr><th>Object</th><th>Ready</th><th>Reason</th><th>Message</th><th>Revision</th></tr></thead><tbody>"
        for row in flux.sources + flux.kustomizations + flux.helmReleases {
            html +=
                "<tr class=\"\(row.ready == "True" ? "ok" : "wait")\"><td>\(escape(row.kind))/\(escape(row.name))\(row.suspended ? " (suspended)" : "")</td><td class=\"short\">\(escape(row.ready))</td>"
            html +=
                "<td>\(escape(row.reason ?? ""))</td><td class=\"long\">\(escape(row.message ?? ""))</td><td class=\"long\">\(escape(row.revision ?? ""))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    static func bootstrap(_ b: BootstrapSummary, probe: Probes.LoginProbe?) -> String {
        var html = "<section id=\"bootstrap\"><h2>Bootstrap and login</h2><ul>"
        html += "<li>Bootstrap job: \(escape(b.job ?? "none")), \(b.state.rawValue)\(b.seededUsersCount.map { ", \($0) seeded users" } ?? "")</li>"
        if let p = probe {
            let result = p.reachable ? "reachable" : "not reachable"
            html +=
                "<li>Login probe \(escape(p.url ?? "")): \(p.checked ? result : "not run")\(p.statusCode.map { ", HTTP \($0)" } ?? "")\(p.error.map { ", \(escape($0))" } ?? "")</li>"
        } else {
            html += "<li>Login probe: not run</li>"
        }
        return html + "</ul></section>"
    }

    static func events(_ events: [EventRow], now: Date) -> String {
        guard !events.isEmpty else { return "" }
        var html =
            "<section id=\"events\"><h2>Recent events</h2><table><thead><tr><th>Time</th><th>Type</th><th>Object</th><th>Reason</th><th>Message</th></tr></thead><tbody>"
        for e in events {
            html +=
                "<tr><td class=\"short\">\(e.time.map { TimeWords.moment($0, now: now) } ?? "")</td><td class=\"short\">\(escape(e.type ?? ""))</td><td class=\"long\">\(escape(e.namespace.map { "\($0)/" } ?? ""))\(escape(e.object))</td><td>\(escape(e.reason ?? ""))</td><td class=\"long\">\(escape(e.message))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    static func supportBundle(_ hint: Diagnostics.SupportBundleHint) -> String {
        "<section id=\"support\"><h2>Support bundle</h2><p>\(escape(hint.note))</p><pre>\(escape(hint.commands.joined(separator: "\n")))</pre></section>"
    }

    // MARK: layout

    static func layout(title: String, signedIn: Bool, body: String, refresh: Int?) -> String {
        var head = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        head += "<title>\(escape(title))</title>"
        if let refresh { head += "<noscript><meta http-equiv=\"refresh\" content=\"\(refresh)\"></noscript>" }
        head += "<style>\(style)</style></head><body><header><h1>Alga PSA appliance</h1>"
        if signedIn {
            head +=
                "<nav><a href=\"/\">Overview</a> <a href=\"/diagnostics\">Diagnostics</a> <form method=\"post\" action=\"/logout\"><button type=\"submit\">Sign out</button></form></nav>"
        }
        head += "</header>"
        return head + body + (refresh == nil ? "" : "<script>\(script)</script>") + "</body></html>\n"
    }

    static func title(_ state: RollupState) -> String {
        switch state {
        case .installing: "Installing"
        case .readyToLogIn: "Ready to log in"
        case .readyWithBackgroundIssues: "Ready to log in, background issues"
        case .fullyHealthy: "Fully healthy"
        case .failedActionRequired: "Action required"
        }
    }

    /// Text and attribute values both: `&`, `<`, `>`, `"`, `'`.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    // MARK: the inline style and script, allowed by hash in the Content-Security-Policy

    static let style = """
        :root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.4}body{margin:0 auto;max-width:70rem;padding:0 1rem 2rem}\
        header{display:flex;align-items:center;justify-content:space-between;gap:1rem;flex-wrap:wrap}h1{font-size:1.2rem}\
        nav a{margin-right:.8rem}nav form{display:inline}h2{font-size:1.05rem;margin-top:1.6rem}\
        .rollup{border-left:.5rem solid #888;padding:.4rem 1rem;background:rgba(127,127,127,.08)}.rollup .state{font-size:1.5rem;font-weight:600;margin:.2rem 0}\
        .installing{border-color:#2f6fd6}.ready_to_log_in,.fully_healthy{border-color:#1f8a3a}.ready_with_background_issues{border-color:#c98a00}.failed_action_required{border-color:#c62828}\
        .alert{color:#c62828;font-weight:600}.age{color:#777;font-size:.85rem}table{border-collapse:collapse;width:100%}\
        td,th{text-align:left;padding:.25rem .5rem;border-bottom:1px solid rgba(127,127,127,.25);vertical-align:top}td.long{overflow-wrap:anywhere}td.short,th{white-space:nowrap}\
        .mark{width:5rem}#tiers th{width:7rem}tr.ok .mark{color:#1f8a3a}tr.wait .mark{color:#c98a00}.blocker{margin-bottom:.8rem}.blocker.critical .reason{color:#c62828}\
        .evidence{font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap;word-break:break-word}.tag{font-weight:400;color:#777}\
        pre{overflow-x:auto;background:rgba(127,127,127,.1);padding:.6rem}code{word-break:break-all}\
        ul.commands{list-style:none;padding-left:0;margin:.3rem 0}ul.commands li{margin:.3rem 0}.purpose{font-size:.9rem}.needs{font-size:.8rem;color:#777}\
        pre.cmd{margin:.2rem 0;padding:.4rem .6rem;white-space:pre-wrap}pre.cmd code{user-select:all;-webkit-user-select:all}
        """

    /// Replaces `<main>` with `?fragment=1` every `data-refresh` seconds; a 401 (token rotated, session
    /// expired) reloads into the sign-in form. `data-refreshes` counts replacements (the browser test reads it).
    static let script = """
        (function(){var m=document.getElementById('content');if(!m)return;var every=(parseInt(m.getAttribute('data-refresh'),10)||5)*1000;\
        function note(t){var c=document.getElementById('connection');if(c)c.textContent=t;}\
        function tick(){fetch(location.pathname+'?fragment=1',{credentials:'same-origin',cache:'no-store'}).then(function(r){\
        if(r.status===401){location.reload();return null;}if(!r.ok)throw new Error('HTTP '+r.status);return r.text();}).then(function(t){\
        if(t===null)return;m.innerHTML=t;m.setAttribute('data-refreshes',String((parseInt(m.getAttribute('data-refreshes'),10)||0)+1));\
        var s=document.getElementById('rollup');if(s&&s.getAttribute('data-title'))document.title=s.getAttribute('data-title')+' \\u00b7 Alga appliance';\
        }).catch(function(e){note(' · the appliance did not answer ('+e.message+'); retrying');}).then(function(){setTimeout(tick,every);});}\
        setTimeout(tick,every);})();
        """

    /// `Content-Security-Policy`: nothing but this page's own style and script, and fetches to itself.
    static let contentSecurityPolicy: String = {
        func hash(_ text: String) -> String { "'sha256-\(Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString())'" }
        return
            "default-src 'none'; script-src \(hash(script)); style-src \(hash(style)); connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }()
}
