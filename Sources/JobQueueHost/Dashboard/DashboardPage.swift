import Hummingbird

/// The dashboard's page, script and styles, compiled into the binary: no CDN, works offline.
/// One page with views chosen by the URL's fragment (`#overview`, `#tenants`, `#dead`,
/// `#hosts`, `#job/ID`); it polls the JSON API every two seconds.
enum DashboardPage {
    enum Asset {
        case html, script, styles
    }

    static func response(_ asset: Asset) -> Response {
        let (type, text) =
            switch asset {
            case .html: ("text/html; charset=utf-8", html)
            case .script: ("text/javascript; charset=utf-8", script)
            case .styles: ("text/css; charset=utf-8", styles)
            }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff",
                .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>JobQueue</title>
        <link rel="stylesheet" href="/dashboard.css">
        <script src="/dashboard.js" defer></script>
        </head>
        <body>
        <header>
          <h1>JobQueue</h1>
          <nav>
            <a href="#overview" data-view="overview">Overview</a>
            <a href="#tenants" data-view="tenants">Tenants</a>
            <a href="#dead" data-view="dead">Dead letters</a>
            <a href="#hosts" data-view="hosts">Hosts</a>
          </nav>
          <span id="status-line" class="muted">loading…</span>
        </header>
        <main>
          <section id="view-overview" class="view">
            <div id="cards" class="cards"></div>
            <h2>Runs per minute on this host, last hour</h2>
            <div id="chart" class="chart"></div>
            <h2>Topics</h2>
            <div class="scroll"><table id="topics-table"></table></div>
            <h2>Held back by limits</h2>
            <div class="scroll"><table id="held-table"></table></div>
            <h2>Tenants waiting longest</h2>
            <div class="scroll"><table id="waiting-table"></table></div>
            <h2>Schedules</h2>
            <div class="scroll"><table id="schedules-table"></table></div>
          </section>
          <section id="view-tenants" class="view">
            <div class="tools">
              <input id="tenant-search" type="search" placeholder="Search queue or topic">
              <label>Sort <select id="tenant-sort">
                <option value="queue">queue</option><option value="lag">lag</option><option value="ready">ready</option><option value="scheduled">scheduled</option>
                <option value="leased">leased</option><option value="dead">dead</option>
              </select></label>
            </div>
            <div class="scroll"><table id="tenants-table"></table></div>
            <div class="pager"><button id="page-prev">‹ Previous</button><span id="page-info"></span><button id="page-next">Next ›</button></div>
          </section>
          <section id="view-dead" class="view">
            <div class="tools">
              <input id="dead-search" type="search" placeholder="Search queue, topic or error">
              <button id="retry-selected" disabled>Retry selected</button>
              <button id="purge-selected" class="danger" disabled>Purge selected</button>
            </div>
            <p id="dead-note" class="muted"></p>
            <div class="scroll"><table id="dead-table"></table></div>
          </section>
          <section id="view-hosts" class="view">
            <div class="scroll"><table id="hosts-table"></table></div>
          </section>
          <section id="view-job" class="view">
            <div id="job"></div>
          </section>
        </main>
        </body>
        </html>
        """

    static let styles = """
        :root { --fg: #1d2330; --muted: #687083; --line: #e3e6ed; --bg: #f6f7fa; --card: #fff; --accent: #2f5bd3;
                --ok: #2e9d5b; --bad: #d0463b; --warn: #c98a12; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px; background: var(--card);
                 border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 1; }
        h1 { font-size: 18px; margin: 0; }
        h2 { font-size: 15px; margin: 24px 0 8px; }
        nav { display: flex; gap: 4px; flex-wrap: wrap; }
        nav a { padding: 5px 10px; border-radius: 6px; color: var(--fg); text-decoration: none; }
        nav a.active { background: var(--accent); color: #fff; }
        #status-line { margin-left: auto; }
        main { padding: 16px 20px 40px; max-width: 1200px; margin: 0 auto; }
        .view { display: none; }
        .view.active { display: block; }
        .muted { color: var(--muted); }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .card .n { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .card.dead .n { color: var(--bad); }
        .chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
        .chart svg { width: 100%; height: 140px; display: block; }
        .legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); padding: 4px 4px 0; }
        .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
        .legend i.ok { background: var(--ok); }
        .legend i.failed { background: var(--bad); }
        .scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        td.wrap { white-space: normal; word-break: break-word; min-width: 200px; }
        th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr:last-child td { border-bottom: 0; }
        .empty { color: var(--muted); padding: 14px 10px; }
        .tools { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 10px; align-items: center; }
        input[type=search], input[type=password], select { padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; background: #fff; }
        input[type=search] { flex: 1 1 260px; }
        button { padding: 7px 12px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; font: inherit; cursor: pointer; }
        button:disabled { opacity: .45; cursor: default; }
        button.danger { border-color: var(--bad); background: var(--bad); }
        button.small { padding: 2px 9px; font-size: 12px; }
        .pager { display: flex; gap: 10px; align-items: center; margin-top: 10px; }
        .tag { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; background: var(--line); }
        .tag + .tag { margin-left: 4px; }
        .tag.ok { background: #dcf2e5; color: #1d6b3d; }
        .tag.bad { background: #fbe1de; color: #9c2a21; }
        .tag.warn { background: #fbefd6; color: #87600c; }
        .lag { color: var(--warn); font-weight: 600; }
        a { color: var(--accent); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: var(--card); border: 1px solid var(--line);
             border-radius: 8px; padding: 12px 16px; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; word-break: break-word; }
        pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; margin: 0; }
        .error { color: var(--bad); }
        body.login { display: grid; place-items: center; min-height: 100vh; }
        body.login form { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 24px; width: min(360px, 92vw);
                          display: grid; gap: 12px; }
        body.login label { display: grid; gap: 4px; }
        body.login h1, body.login p { margin: 0; }
        @media (max-width: 640px) { header, main { padding-left: 10px; padding-right: 10px; } #status-line { margin-left: 0; width: 100%; } }
        """

    static let script = #"""
        "use strict";
        const state = { tenantsPage: 1, selected: new Set(), timer: null, shown: {} };
        const $ = (id) => document.getElementById(id);

        // True when a view would show what it shows already: polling then leaves the page alone,
        // so that nothing moves under the reader's pointer.
        function unchanged(view, data) {
          const key = JSON.stringify(data);
          if (state.shown[view] === key) return true;
          state.shown[view] = key;
          return false;
        }

        // Builds an element; text is always set as text, never parsed as HTML.
        function el(tag, attributes = {}, ...children) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(attributes)) {
            if (key === "class") node.className = value;
            else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
            else node.setAttribute(key, value);
          }
          for (const child of children.flat()) {
            if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
          }
          return node;
        }

        function table(node, headers, rows, emptyText) {
          const numeric = headers.map((h) => typeof h === "string" && h.startsWith("#"));
          node.replaceChildren(
            el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", numeric[i] ? { class: "num" } : {}, typeof h === "string" ? h.replace(/^#/, "") : h)))),
            el("tbody", {}, rows.length ? rows.map((cells) => el("tr", {}, cells.map((c, i) =>
              c instanceof Node && c.tagName === "TD" ? c : el("td", numeric[i] ? { class: "num" } : {}, c))))
              : el("tr", {}, el("td", { class: "empty", colspan: headers.length }, emptyText))));
        }

        function duration(seconds) {
          if (seconds < 1) return seconds > 0 ? Math.round(seconds * 1000) + " ms" : "0";
          if (seconds < 60) return seconds.toFixed(1) + " s";
          if (seconds < 3600) return Math.floor(seconds / 60) + " min " + Math.floor(seconds % 60) + " s";
          return Math.floor(seconds / 3600) + " h " + Math.floor(seconds % 3600 / 60) + " min";
        }
        const time = (iso) => iso ? new Date(iso).toLocaleString() : "";
        const lag = (seconds) => seconds >= 1 ? el("span", { class: "lag" }, duration(seconds)) : duration(seconds);
        const jobLink = (id) => el("a", { href: "#job/" + id }, String(id));

        async function api(path, options = {}) {
          const response = await fetch(path, { credentials: "same-origin", ...options });
          if (response.status === 401) { location.reload(); throw new Error("signed out"); }
          const body = await response.json();
          if (!response.ok) throw new Error(body.error || response.statusText);
          return body;
        }

        async function post(path, ids) {
          return send(path, { ids });
        }

        async function send(path, body) {
          return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        }

        async function pauseOrResume(topic, paused) {
          try {
            const done = await send(paused ? "/api/resume" : "/api/pause", { topic });
            state.shown.overview = null;
            await refresh();
            $("status-line").textContent = `topic ${topic} ${done.changed ? (paused ? "resumed" : "paused") : (paused ? "was not paused" : "was paused already")}`;
          } catch (error) {
            $("status-line").textContent = "error: " + error.message;
            $("status-line").classList.add("error");
          }
        }

        function chart(minutes) {
          const width = 600, height = 130, max = Math.max(1, ...minutes.map((m) => m.ok + m.failed));
          const bar = width / minutes.length;
          const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
          svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
          svg.setAttribute("preserveAspectRatio", "none");
          minutes.forEach((m, i) => {
            const okHeight = (m.ok / max) * (height - 4), failedHeight = (m.failed / max) * (height - 4);
            for (const [h, y, color, label] of [[okHeight, height - okHeight, "var(--ok)", "ok"],
                                                [failedHeight, height - okHeight - failedHeight, "var(--bad)", "failed"]]) {
              if (h <= 0) continue;
              const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
              Object.entries({ x: i * bar + 1, y, width: Math.max(bar - 2, 1), height: h, fill: color }).forEach(([k, v]) => rect.setAttribute(k, v));
              const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
              title.textContent = `${time(m.minute)}: ${m.ok} ok, ${m.failed} failed`;
              rect.append(title);
              svg.append(rect);
            }
          });
          const total = minutes.reduce((sum, m) => sum + m.ok + m.failed, 0);
          $("chart").replaceChildren(svg, el("div", { class: "legend" },
            el("span", {}, el("i", { class: "ok" }), "ok"),
            el("span", {}, el("i", { class: "failed" }), "failed"),
            el("span", {}, `${total} runs; peak ${max} per minute`)));
        }

        const views = {
          async overview() {
            const o = await api("/api/overview");
            const note = `v${o.version}, generation ${o.generation} · counted ${new Date(o.counted_at).toLocaleTimeString()}`;
            if (unchanged("overview", o)) return note;
            const t = o.totals;
            $("cards").replaceChildren(...[["Ready", t.ready], ["Scheduled", t.scheduled], ["Leased", t.leased], ["Running", t.running],
              ["Paused", t.paused], ["Dead", t.dead], ["Cancelled", t.cancelled]]
              .map(([label, n]) => el("div", { class: "card" + (label === "Dead" && n > 0 ? " dead" : "") }, el("div", { class: "muted" }, label), el("div", { class: "n" }, n))));
            chart(o.throughput);
            table($("topics-table"), ["Topic", "#Ready", "#Scheduled", "#Leased", "#Running", "#Paused", "#Dead", "#Cancelled", "#Tenants", "#Oldest ready", "", ""],
              o.topics.map((x) => [x.topic, x.counts.ready, x.counts.scheduled, x.counts.leased, x.counts.running, x.counts.paused, x.counts.dead,
                x.counts.cancelled, x.queues, el("td", { class: "num" }, lag(x.lag_seconds)),
                el("td", {}, x.served ? null : el("span", { class: "tag warn" }, "unserved"), x.paused ? el("span", { class: "tag warn" }, "paused") : null,
                  x.held ? el("span", { class: "tag warn" }, "held") : null),
                el("button", { class: "small", "data-topic": x.topic, onclick: () => pauseOrResume(x.topic, x.paused) }, x.paused ? "Resume" : "Pause")]), "No jobs.");
            table($("held-table"), ["Topic", "Queue", "Limit", "#Running", "#Ready"],
              o.held.map((h) => [h.topic, h.queue_id ?? "(all)", `${h.limit} ${h.value}`, h.running, h.ready]),
              "No topic or tenant is at a limit.");
            table($("waiting-table"), ["Queue", "Topic", "#Waiting"],
              o.longest_waiting.map((x) => [x.queue, x.topic, el("td", { class: "num" }, lag(x.lag_seconds))]), "No tenant is waiting.");
            table($("schedules-table"), ["Schedule", "Topic", "Queue", "Trigger", "Last tick", "Next tick"],
              o.schedules.map((s) => [s.name, s.topic, s.queue, s.trigger, s.last_tick ? time(s.last_tick) : "never", s.next_tick ? time(s.next_tick) : "none"]),
              "No schedules in this host's config.");
            return note;
          },
          async tenants() {
            const params = new URLSearchParams({ search: $("tenant-search").value, sort: $("tenant-sort").value, page: state.tenantsPage });
            const q = await api("/api/queues?" + params);
            state.tenantsPage = q.page;
            if (unchanged("tenants", q)) return;
            table($("tenants-table"), ["Queue", "Topic", "#Lag", "#Ready", "#Scheduled", "#Leased", "#Running", "#Paused", "#Dead", "#Cancelled"],
              q.rows.map((r) => [r.queue, r.topic, el("td", { class: "num" }, r.lag_seconds == null ? "–" : lag(r.lag_seconds)), r.counts.ready,
                r.counts.scheduled, r.counts.leased, r.counts.running, r.counts.paused, r.counts.dead, r.counts.cancelled]), "No tenant matches.");
            $("page-info").textContent = `page ${q.page} of ${q.pages} · ${q.total} tenants`;
            $("page-prev").disabled = q.page <= 1;
            $("page-next").disabled = q.page >= q.pages;
          },
          async dead() {
            const d = await api("/api/dead?" + new URLSearchParams({ search: $("dead-search").value }));
            const shown = new Set(d.rows.map((r) => r.id));
            for (const id of state.selected) if (!shown.has(id)) state.selected.delete(id);
            if (unchanged("dead", [d, [...state.selected]])) return;
            const all = el("input", { type: "checkbox", id: "dead-all", "aria-label": "select all",
              onchange: (e) => { d.rows.forEach((r) => e.target.checked ? state.selected.add(r.id) : state.selected.delete(r.id)); views.dead(); } });
            all.checked = d.rows.length > 0 && d.rows.every((r) => state.selected.has(r.id));
            table($("dead-table"), [all, "Job", "Queue", "Topic", "Kind", "#Attempts", "Died", "Reason"],
              d.rows.map((r) => {
                const box = el("input", { type: "checkbox", "data-id": r.id, "aria-label": "select job " + r.id,
                  onchange: (e) => { e.target.checked ? state.selected.add(r.id) : state.selected.delete(r.id); state.shown.dead = null; updateButtons(); } });
                box.checked = state.selected.has(r.id);
                return [box, jobLink(r.id), r.queue, r.topic, el("span", { class: "tag bad" }, r.kind), r.attempts, time(r.died_at),
                  el("td", { class: "wrap" }, r.reason)];
              }), $("dead-search").value ? "No dead letter matches." : "No dead letters.");
            $("dead-note").textContent = d.more ? "Showing the latest 200 matches: narrow the search to see the rest." : `${d.rows.length} dead letter${d.rows.length === 1 ? "" : "s"}`;
            updateButtons();
          },
          async hosts() {
            const o = await api("/api/overview");
            if (unchanged("hosts", o.hosts)) return;
            table($("hosts-table"), ["Host", "PID", "Serves", "#Generation", "#Running", "Started", "State"],
              o.hosts.map((h) => [h.id, h.pid, el("td", { class: "wrap" }, h.topics.join(", ")), h.generation, h.running, time(h.started_at),
                el("td", { class: "wrap" }, h.stopping ? el("span", { class: "tag warn" }, "stopping") : el("span", { class: "tag ok" }, "serving"),
                  h.note ? el("div", { class: "error" }, h.note) : null,
                  ...h.progress.map((p) => el("div", { class: "progress" }, `job ${p.job}: ${p.percent}%${p.message ? " " + p.message : ""}`)))]),
              "No host is running.");
          },
          async job(id) {
            const j = await api("/api/jobs/" + encodeURIComponent(id));
            if (unchanged("job", j)) return;
            const when = { ready: "Runs at", scheduled: "Runs at", leased: "Lease until", dead: "Died", cancelled: "Cancelled", completed: "Completed" }[j.state];
            const fields = [["Queue", j.queue], ["Topic", j.topic], ["State", j.state + (j.state === "dead" && j.dead_kind ? ` (${j.dead_kind})` : "")],
              ["Attempts", `${j.attempts} of ${j.max_retries + 1}`], ["Priority", j.priority], ["Created", time(j.created_at)], [when, time(j.at)]];
            if (j.error) fields.push(["Error", j.error]);
            const outcomeClass = (o) => o === "ok" ? "ok" : o === "snooze" ? "warn" : "bad";
            const actions = j.state === "dead" || j.state === "cancelled" ? el("div", { class: "tools" },
              el("button", { id: "job-retry", onclick: async () => { await post("/api/dead/retry", [j.id]); refresh(); } }, "Retry"),
              el("button", { class: "danger", id: "job-purge", onclick: async () => { if (confirm(`Purge job ${j.id} for good?`)) { await post("/api/dead/purge", [j.id]); location.hash = "dead"; } } }, "Purge"))
              : j.state === "completed" ? null : el("div", { class: "tools" },
              el("button", { class: "danger", id: "job-cancel", onclick: async () => { if (confirm(`Cancel job ${j.id}?${j.state === "leased" ? " Its run is stopped." : ""}`)) { await post("/api/jobs/cancel", [j.id]); refresh(); } } }, "Cancel"));
            const runs = el("table", {});
            table(runs, ["#Attempt", "Outcome", "Finished", "#Duration", "Host", "Error"],
              j.history.map((r) => [r.attempt, el("span", { class: "tag " + outcomeClass(r.outcome) }, r.outcome), time(r.finished_at),
                r.duration_ms === undefined ? "" : r.duration_ms + " ms", r.host, el("td", { class: "wrap" }, r.error || "")]), "No run recorded yet.");
            $("job").replaceChildren(...[el("h2", {}, `Job ${j.id}`), actions,
              el("dl", {}, fields.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
              el("h2", {}, "Runs"), el("div", { class: "scroll" }, runs),
              el("h2", {}, "Payload"), j.payload === undefined
                ? el("p", { class: "muted" }, "Hidden: payloads may hold secrets. Set http.show_payloads: true to show them.")
                : el("pre", {}, j.payload)].filter(Boolean));
          },
        };

        function updateButtons() {
          const none = state.selected.size === 0;
          $("retry-selected").disabled = none;
          $("purge-selected").disabled = none;
          $("retry-selected").textContent = none ? "Retry selected" : `Retry ${state.selected.size} selected`;
          $("purge-selected").textContent = none ? "Purge selected" : `Purge ${state.selected.size} selected`;
        }

        async function act(path, verb) {
          const ids = [...state.selected];
          if (verb === "purge" && !confirm(`Purge ${ids.length} dead letter(s) for good?`)) return;
          const done = await post(path, ids);
          state.selected.clear();
          $("status-line").textContent = `${verb === "retry" ? "retried" : "purged"} ${done.count}`;
          await views.dead();
        }

        async function refresh() {
          const [view, argument] = (location.hash.slice(1) || "overview").split("/");
          const name = views[view] ? view : "overview";
          document.querySelectorAll(".view").forEach((v) => v.classList.toggle("active", v.id === "view-" + name));
          document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === name));
          try {
            const note = await views[name](argument);
            $("status-line").textContent = (note ? note + " · " : "") + "updated " + new Date().toLocaleTimeString();
            $("status-line").classList.remove("error");
          } catch (error) {
            $("status-line").textContent = "error: " + error.message;
            $("status-line").classList.add("error");
          }
        }

        function debounce(fn) { let t; return () => { clearTimeout(t); t = setTimeout(fn, 250); }; }

        document.addEventListener("DOMContentLoaded", () => {
          $("tenant-search").addEventListener("input", debounce(() => { state.tenantsPage = 1; refresh(); }));
          $("tenant-sort").addEventListener("change", () => { state.tenantsPage = 1; refresh(); });
          $("page-prev").addEventListener("click", () => { state.tenantsPage -= 1; refresh(); });
          $("page-next").addEventListener("click", () => { state.tenantsPage += 1; refresh(); });
          $("dead-search").addEventListener("input", debounce(refresh));
          $("retry-selected").addEventListener("click", () => act("/api/dead/retry", "retry"));
          $("purge-selected").addEventListener("click", () => act("/api/dead/purge", "purge"));
          window.addEventListener("hashchange", refresh);
          refresh();
          state.timer = setInterval(() => { if (!document.hidden) refresh(); }, 2000);
        });
        """#
}
