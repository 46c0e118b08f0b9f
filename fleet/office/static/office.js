// The web office's live parts: one Server-Sent Events stream per tab for what the page shows,
// and the few actions that post JSON (with the session's CSRF token).
"use strict";
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
const status = (text) => { const el = document.getElementById("live-status"); if (el) el.textContent = text; };

async function call(method, url, body) {
  const res = await fetch(url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: method === "GET" || method === "DELETE" ? undefined : JSON.stringify(body || {}),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}
const postJSON = (url, body) => call("POST", url, body);

// <form data-api="METHOD /path/{field}">: fields named in the path fill it; the others make the
// JSON body (data-type int, bool-text, json; checkboxes as booleans; empty optional fields left
// out; unreadable JSON left out, so the API names it missing); data-grant turns role
// and scope into grants; data-reload reloads the page after success.
function apiForms() {
  document.querySelectorAll("form[data-api]").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const [method, template] = form.dataset.api.split(" ");
    let path = template;
    const body = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      const slot = "{" + el.name + "}";
      if (path.includes(slot)) path = path.replace(slot, encodeURIComponent(el.value));
      if (el.dataset.path === "only" || (el.value === "" && !el.required)) continue;
      let v = el.value;
      if (el.dataset.type === "int") v = parseInt(v, 10);
      if (el.dataset.type === "bool-text") v = v === "true";
      if (el.type === "checkbox") v = el.checked;
      if (el.dataset.type === "json") {
        try { v = JSON.parse(v); } catch (err) { v = undefined; }
      }
      body[el.name] = v;
    }
    if (form.dataset.grant !== undefined) {
      body.grants = [{ role: body.role, scope: body.scope || "all" }];
      delete body.role; delete body.scope;
    }
    const out = form.querySelector("[data-result]");
    try {
      const answer = await call(method, path, body);
      if (answer.token) { if (out) out.textContent = "token (shown once): " + answer.token; return; }
      if (out) out.textContent = "done";
      if (form.dataset.reload !== undefined) location.reload();
    } catch (err) { if (out) out.textContent = "refused: " + err.message; }
  }));
}

function stream(devices, onDevice, onReset) {
  const query = devices ? "?devices=" + encodeURIComponent(devices.join(",")) : "";
  const source = new EventSource("/api/v1/live" + query);
  source.addEventListener("hello", () => status("live"));
  source.addEventListener("device", (e) => onDevice(JSON.parse(e.data)));
  source.addEventListener("changed", (e) => onDevice(JSON.parse(e.data)));
  source.addEventListener("reset", () => { source.close(); onReset(); });
  source.onerror = () => status("reconnecting…");
  return source;
}

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().slice(0, 19).replace("T", " ") + " UTC";
}

function stateText(c) {
  return c.online ? "online" : "offline" + (c.status_reason ? " (" + c.status_reason + ")" : "");
}

function setText(el, text, cls) {
  if (!el) return;
  el.textContent = text;
  if (cls !== undefined) el.className = cls;
}

function devicesPage() {
  const rows = new Map();
  document.querySelectorAll("#devices tr[data-device]").forEach((tr) => rows.set(tr.dataset.device, tr));
  if (!rows.size) return;
  stream([...rows.keys()], (c) => {
    const tr = rows.get(c.device);
    if (!tr) return;
    const cell = (f) => tr.querySelector('[data-field="' + f + '"]');
    if ("online" in c) setText(cell("state"), stateText(c), c.online ? "online" : "offline");
    if (c.last_seen) setText(cell("last_seen"), when(c.last_seen));
    if (c.fw) setText(cell("fw"), c.fw);
    const t = c.last_tele || {};
    if ("batt_pct" in t) setText(cell("batt_pct"), String(t.batt_pct));
    if ("worn" in t) setText(cell("worn"), t.worn ? "yes" : "no");
    if ("rssi_dbm" in t) setText(cell("rssi_dbm"), t.rssi_dbm === null ? "-" : String(t.rssi_dbm));
    if ("fps" in t) setText(cell("fps"), String(t.fps));
  }, () => location.reload());
}

function devicePage() {
  const root = document.querySelector("[data-device-page]");
  if (!root) return;
  stream([root.dataset.devicePage], (c) => {
    if ("online" in c) setText(document.getElementById("state"), stateText(c), c.online ? "online" : "offline");
    if (c.last_seen) setText(document.getElementById("last_seen"), when(c.last_seen));
    if (c.fw) setText(document.getElementById("fw"), c.fw);
  }, () => location.reload());
  const form = document.getElementById("command");
  if (form) form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = document.getElementById("command-result");
    try {
      const cmd = await postJSON("/api/v1/devices/" + encodeURIComponent(form.dataset.device) + "/commands",
        { op: form.elements.op.value });
      out.textContent = "queued: " + cmd.id;
    } catch (err) { out.textContent = "refused: " + err.message; }
  });
}

function overviewPage() {
  if (!document.getElementById("summary")) return;
  let timer = null;
  const refresh = async () => {
    timer = null;
    const res = await fetch(location.href, { credentials: "same-origin" });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const id of ["summary", "stations"]) {
      const fresh = doc.getElementById(id);
      if (fresh) document.getElementById(id).replaceChildren(...fresh.childNodes);
    }
  };
  stream(null, () => { if (!timer) timer = setTimeout(refresh, 1000); }, () => location.reload());
}

function alertsPage() {
  document.querySelectorAll("button[data-ack]").forEach((b) => b.addEventListener("click", async () => {
    try {
      const a = await postJSON("/api/v1/alerts/" + b.dataset.ack + "/acknowledge", {});
      const tr = b.closest("tr");
      setText(tr.querySelector('[data-field="ack"]'), "acknowledged by " + a.acknowledged_by);
      b.remove();
    } catch (err) { b.textContent = "refused: " + err.message; }
  }));
}

// A rollout's page follows it: polled every 3 s, reloaded when its state or wave changes.
function rolloutPage() {
  const root = document.querySelector("[data-rollout-page]");
  if (!root) return;
  setInterval(async () => {
    try {
      const r = await call("GET", "/api/v1/rollouts/" + root.dataset.rolloutPage);
      if (r.state !== root.dataset.state || String(r.wave) !== root.dataset.wave) location.reload();
    } catch (err) { status("reconnecting…"); }
  }, 3000);
}

// The review page: the clip's waveform (peaks from the server, so it paints before any audio
// is fetched) with the kiosk session shaded, the player with speed and keys, comments pinned
// to the player's time, the checklist's MSI previewed as it is filled, appeals resolved.
const clockText = (t) => Math.floor(t / 60) + ":" + (t % 60).toFixed(1).padStart(4, "0");

function msiOf(items, answers, cap) {
  let total = 0, got = 0, answered = 0; const failed = [];
  for (const it of items) {
    if (it.kind !== "check") continue;
    const v = answers[it.key];
    if (v === undefined || v === "na") continue;
    answered++; total += it.weight;
    if (v === "yes") got += it.weight; else if (it.critical) failed.push(it.key);
  }
  if (!answered) return null;
  let msi = 100 * got / total;
  if (failed.length) msi = Math.min(msi, cap);
  return Math.round(msi * 100) / 100;
}

function answersOf(form) {
  const out = {};
  for (const el of form.elements) {
    if (el.type === "radio" && el.checked) out[el.name] = el.value;
    if (el.tagName === "TEXTAREA" && el.name && el.value && el.name !== "resolution") out[el.name] = el.value;
  }
  return out;
}

function reviewPage() {
  const root = document.querySelector("[data-review-page]");
  const player = document.getElementById("player");
  const seek = (t) => { if (player) { player.currentTime = Math.max(0, t); } };
  document.querySelectorAll("[data-seek]").forEach((b) => b.addEventListener("click", () => seek(parseFloat(b.dataset.seek))));
  if (root && player) {
    const canvas = document.getElementById("wave");
    const peaks = JSON.parse(root.dataset.peaks);
    const duration = parseFloat(root.dataset.duration);
    const s0 = parseFloat(root.dataset.start), s1 = parseFloat(root.dataset.end);
    const draw = () => {
      const w = canvas.width = canvas.clientWidth * devicePixelRatio;
      const h = canvas.height = canvas.clientHeight * devicePixelRatio;
      const g = canvas.getContext("2d");
      g.fillStyle = "#dcebf7"; g.fillRect(w * s0 / duration, 0, w * (s1 - s0) / duration, h);
      g.fillStyle = "#2271b1";
      peaks.forEach((p, i) => {
        const x = Math.floor(w * i / peaks.length), bw = Math.max(1, Math.ceil(w / peaks.length));
        const ph = Math.max(1, h * p / 255); g.fillRect(x, (h - ph) / 2, bw, ph);
      });
      g.fillStyle = "#1d2327";
      for (const t of [s0, s1]) g.fillRect(w * t / duration - 1, 0, 2 * devicePixelRatio, h);
      g.fillStyle = "#b32d2e"; g.fillRect(w * player.currentTime / duration, 0, 2 * devicePixelRatio, h);
    };
    draw();
    root.dataset.painted = String(performance.now());
    addEventListener("resize", draw);
    canvas.addEventListener("click", (e) => seek(duration * e.offsetX / canvas.clientWidth));
    const play = document.getElementById("play"), speed = document.getElementById("speed");
    const toggle = () => (player.paused ? player.play() : player.pause());
    play.addEventListener("click", toggle);
    player.addEventListener("play", () => { play.textContent = "Pause"; });
    player.addEventListener("pause", () => { play.textContent = "Play"; });
    player.addEventListener("timeupdate", () => {
      const text = clockText(player.currentTime);
      document.getElementById("clock").textContent = text;
      const at = document.getElementById("comment-at"); if (at) at.textContent = text;
      draw();
    });
    document.getElementById("back").addEventListener("click", () => seek(player.currentTime - 5));
    document.getElementById("fwd").addEventListener("click", () => seek(player.currentTime + 5));
    speed.addEventListener("change", () => { player.playbackRate = parseFloat(speed.value); });
    const step = (d) => { speed.selectedIndex = Math.min(speed.options.length - 1, Math.max(0, speed.selectedIndex + d)); speed.dispatchEvent(new Event("change")); };
    document.addEventListener("keydown", (e) => {
      if (["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
      const keys = { " ": toggle, ArrowLeft: () => seek(player.currentTime - 5), ArrowRight: () => seek(player.currentTime + 5),
        "[": () => step(-1), "]": () => step(1), Home: () => seek(s0),
        c: () => document.getElementById("comment-text")?.focus() };
      const f = keys[e.key]; if (f) { e.preventDefault(); f(); }
    });
  }
  const form = document.getElementById("checklist");
  if (form) {
    const items = JSON.parse(form.dataset.items), cap = parseFloat(form.dataset.cap);
    const comments = [];
    const preview = () => { const m = msiOf(items, answersOf(form), cap); document.getElementById("msi-preview").textContent = m === null ? "-" : m; };
    form.addEventListener("change", preview);
    const add = () => {
      const input = document.getElementById("comment-text");
      if (!input.value.trim()) return;
      const t = player ? Math.round(player.currentTime * 10) / 10 : 0;
      comments.push({ t_s: t, text: input.value.trim() });
      const li = document.createElement("li");
      li.textContent = clockText(t) + " " + input.value.trim();
      document.getElementById("new-comments").appendChild(li);
      input.value = "";
    };
    document.getElementById("add-comment").addEventListener("click", add);
    document.getElementById("comment-text").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); add(); } });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const out = form.querySelector("[data-result]");
      const body = { template: parseInt(form.dataset.template, 10), station: form.dataset.station,
        service: parseInt(form.dataset.service, 10), answers: answersOf(form), comments };
      if (form.dataset.device) body.device = form.dataset.device;
      try {
        const r = await postJSON("/api/v1/reviews", body);
        location.href = "/reviews/" + r.id;
      } catch (err) { out.textContent = "refused: " + err.message; }
    });
  }
  document.querySelectorAll("form[data-resolve]").forEach((f) => f.addEventListener("submit", async (e) => {
    e.preventDefault();
    const decision = e.submitter ? e.submitter.value : "uphold";
    const body = { decision, comment: f.elements.resolution.value };
    if (decision === "change") body.answers = answersOf(f);
    try {
      await postJSON("/api/v1/reviews/" + f.dataset.resolve + "/resolve", body);
      location.reload();
    } catch (err) { f.querySelector("[data-result]").textContent = "refused: " + err.message; }
  }));
}

// The scenario builder (/surveys/scenarios): the form becomes the API's JSON; a new scenario is
// POSTed, an edit PUT as its next version; warnings (no slot today, a tie) and refusals shown.
const csv = (text) => text.split(",").map((x) => x.trim()).filter((x) => x);

function scenarioBody(f) {
  const langs = csv(f.elements.langs.value);
  const reasons = f.elements.reasons.value.split("\n").map((l) => l.trim()).filter((l) => l)
    .map((l) => {
      const [key, ...labels] = l.split("|").map((x) => x.trim());
      const text = {};
      langs.forEach((lang, i) => { if (labels[i]) text[lang] = labels[i]; });
      return { key, text };
    });
  const texts = {};
  for (const line of f.elements.texts.value.split("\n")) {
    const m = line.match(/^\s*([a-z-]+)\.([a-z_]+)\s*=\s*(.*)$/);
    if (m) (texts[m[1]] = texts[m[1]] || {})[m[2]] = m[3];
  }
  const checked = (name) => [...f.querySelectorAll(`input[name="${name}"]:checked`)].map((x) => x.value);
  const playlist = checked("play").map((sha) => {
    const secs = f.elements["seconds-" + sha];
    return secs ? { content: sha, seconds: parseFloat(secs.value) } : { content: sha };
  });
  const schedule = { days: checked("day").map((d) => parseInt(d, 10)), hours: csv(f.elements.hours.value) };
  if (f.elements.first_day.value) schedule.first_day = f.elements.first_day.value;
  if (f.elements.last_day.value) schedule.last_day = f.elements.last_day.value;
  return {
    name: f.elements.name.value, priority: parseInt(f.elements.priority.value, 10), langs,
    target: { all: f.elements.all.checked, stations: csv(f.elements.stations.value),
              regions: csv(f.elements.regions.value).map((x) => parseInt(x, 10)),
              tags: csv(f.elements.tags.value) },
    schedule, texts, playlist,
    survey: { trigger: f.elements.trigger.value, delay_s: parseInt(f.elements.delay_s.value, 10),
              nps: f.elements.nps.checked, reasons_below: parseInt(f.elements.reasons_below.value, 10),
              reasons, staff: checked("staff"), comment: f.elements.comment.checked,
              timeout_s: parseInt(f.elements.timeout_s.value, 10) },
  };
}

function scenarioPage() {
  const f = document.querySelector("form[data-scenario-form]");
  if (f) f.addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = f.querySelector("[data-result]");
    const id = f.dataset.scenarioForm;
    const body = scenarioBody(f);
    try {
      const r = id ? await call("PUT", "/api/v1/scenarios/" + encodeURIComponent(id), body)
                   : await postJSON("/api/v1/scenarios", { id: f.elements.id.value, ...body });
      out.textContent = `saved: version ${r.version}, ${r.kiosks_told} kiosks told` +
        (r.warnings.length ? "; note: " + r.warnings.join("; ") : "");
      out.dataset.version = r.version;
      if (!id) history.replaceState(null, "", "?id=" + encodeURIComponent(r.id));
      f.dataset.scenarioForm = r.id;
    } catch (err) { out.textContent = "refused: " + err.message; }
  });
  document.querySelectorAll("button[data-archive]").forEach((b) => b.addEventListener("click", async () => {
    try { await call("DELETE", "/api/v1/scenarios/" + encodeURIComponent(b.dataset.archive)); location.reload(); }
    catch (err) { b.textContent = "refused: " + err.message; }
  }));
  const pv = document.querySelector("form[data-preview]");
  if (pv) pv.addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = pv.querySelector("[data-result]");
    const at = pv.elements.at.value ? "?at=" + encodeURIComponent(new Date(pv.elements.at.value).toISOString()) : "";
    try {
      const r = await call("GET", `/api/v1/screens/${encodeURIComponent(pv.elements.kiosk.value)}/preview${at}`);
      out.textContent = r.scenario
        ? `${r.local.slice(0, 16)} at the station: ${r.scenario.name} (v${r.scenario.version}), ` +
          `${r.playlist.map((i) => i.name).join(", ") || "no ads"}` +
          (r.ties.length ? `; tied on priority: ${r.ties.join(", ")}` : "")
        : `${r.local.slice(0, 16)} at the station: nothing scheduled (the screen stays dark)`;
    } catch (err) { out.textContent = "refused: " + err.message; }
  });
}

// The ad library (/content): multipart upload and delete.
function contentPage() {
  const f = document.querySelector("form[data-upload]");
  if (f) f.addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = f.querySelector("[data-result]");
    out.textContent = "uploading…";
    const res = await fetch("/api/v1/content", { method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf() }, body: new FormData(f) });
    const data = await res.json().catch(() => ({}));
    if (res.ok) location.reload();
    else out.textContent = "refused: " + (data.error || res.statusText);
  });
  document.querySelectorAll("button[data-delete]").forEach((b) => b.addEventListener("click", async () => {
    try { await call("DELETE", "/api/v1/content/" + b.dataset.delete); location.reload(); }
    catch (err) { b.nextElementSibling.textContent = "refused: " + err.message; }
  }));
}

document.addEventListener("DOMContentLoaded", () => {
  devicesPage(); devicePage(); overviewPage(); alertsPage(); rolloutPage(); reviewPage(); apiForms();
  scenarioPage(); contentPage();
});
