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

document.addEventListener("DOMContentLoaded", () => {
  devicesPage(); devicePage(); overviewPage(); alertsPage(); rolloutPage(); apiForms();
});
