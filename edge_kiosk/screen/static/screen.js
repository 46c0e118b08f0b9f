// The kiosk's screen: ads in rotation, the survey when the agent's detector says a customer's
// session started (or ended, as the scenario says), a thank-you, back to ads. Everything it
// needs comes from the agent on loopback (/api/state, /api/events); answers and proof of play
// go back to it (/api/rating, /api/play), which keeps them on disk until the fleet has them.
"use strict";

const DEFAULT_TEXTS = {
  ru: { nps: "Насколько вероятно, что вы порекомендуете нас друзьям?", reasons: "Что можно улучшить?",
        staff: "Оцените работу", cashier: "Кассир", fuel_attendant: "Заправщик", shop: "Магазин",
        comment: "Ваш комментарий", send: "Отправить", skip: "Пропустить",
        thanks: "Спасибо за вашу оценку!", unlikely: "Маловероятно", likely: "Обязательно" },
  en: { nps: "How likely are you to recommend us to a friend?", reasons: "What could be better?",
        staff: "Rate our staff", cashier: "Cashier", fuel_attendant: "Fuel attendant",
        shop: "Shop", comment: "Your comment", send: "Send", skip: "Skip",
        thanks: "Thank you for your rating!", unlikely: "Not likely", likely: "Very likely" },
};
const KEYS = {
  ru: ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю.,"],
  en: ["qwertyuiop", "asdfghjkl", "zxcvbnm.,!"],
};
const GUARD_MS = 400;  // after a tap, the next step's targets wait: a tap storm is one answer
const THANKS_MS = 4000;
const REFRESH_MS = 30000;  // the schedule (dayparting) is looked at again this often

const S = {
  state: null, mode: "idle", ad: 0, adTimer: null, adStarted: 0, adItem: null,
  session: "", survey: null, pending: null, queued: null,
};
window.screenLog = [];  // what happened, for tests and benchmarks

const $ = (sel) => document.querySelector(sel);
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
function post(path, body) {
  return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                       body: JSON.stringify(body) })
    .then((r) => r.json().then((j) => ({ status: r.status, body: j })))
    .catch((e) => ({ status: 0, body: { error: String(e) } }));
}
function setMode(mode) {
  S.mode = mode;
  document.body.dataset.mode = mode;
  $("#ads").hidden = !(mode === "ads" || mode === "idle");
  $("#survey").hidden = mode !== "survey";
  $("#thanks").hidden = mode !== "thanks";
}

// --- ads ------------------------------------------------------------------------------------

function scenario() { return S.state && S.state.scenario; }

function endAd(how, reason) {
  clearTimeout(S.adTimer);
  const item = S.adItem;
  S.adItem = null;
  if (!item) return;
  const sc = scenario();
  const play = { content: item.content, scenario: item.scenario, version: item.version,
                 seconds: Math.round((performance.now() - S.adStarted) / 100) / 10,
                 present: !!S.session, ended: how };
  if (S.session) play.session = S.session;
  if (reason) play.reason = String(reason).slice(0, 200);
  post("/api/play", play);
  window.screenLog.push({ play: play, scenario: sc && sc.id });
}

function showAd() {
  const sc = scenario();
  const box = $("#ads");
  box.replaceChildren();
  if (!sc || !sc.playlist.length) {
    setMode("idle");
    box.append(el("div", { id: "idle" }, "…"));
    return;
  }
  setMode("ads");
  const item = sc.playlist[S.ad % sc.playlist.length];
  S.ad += 1;
  S.adItem = { ...item, scenario: sc.id, version: sc.version };
  S.adStarted = performance.now();
  const next = () => { if (S.mode === "ads") { endAd("done"); showAd(); } };
  const failed = (why) => {
    endAd("error", why);
    // one broken file must not stall the screen: the next one, after a breath
    S.adTimer = setTimeout(() => { if (S.mode === "ads") showAd(); }, 1000);
  };
  if (item.type === "video/mp4") {
    const v = el("video", { src: item.url, muted: "", autoplay: "", playsinline: "" });
    v.muted = true;
    v.addEventListener("ended", next);
    v.addEventListener("error", () => failed("video: " + (v.error ? v.error.message || v.error.code : "error")));
    box.append(v);
    v.play().catch((e) => failed("video: " + e.message));
  } else {
    const img = el("img", { src: item.url, alt: "" });
    img.addEventListener("error", () => failed("image cannot be shown"));
    box.append(img);
    S.adTimer = setTimeout(next, item.seconds * 1000);
  }
}

async function refresh() {
  try {
    const r = await fetch("/api/state");
    const st = await r.json();
    const before = scenario();
    S.state = st;
    const now = scenario();
    const changed = (before && before.id + "/" + before.version) !== (now && now.id + "/" + now.version);
    if (S.mode === "idle" || (S.mode === "ads" && changed)) {
      if (S.mode === "ads") endAd("cut");
      S.ad = 0;
      showAd();
    }
    window.screenLog.push({ state: now ? now.id + "/" + now.version : null });
  } catch (e) {
    // the agent restarting: try again at the next refresh
  }
}

// --- the survey -----------------------------------------------------------------------------

function t(key) {
  const sc = scenario();
  const lang = S.survey ? S.survey.lang : "ru";
  const own = sc && sc.texts && sc.texts[lang];
  return (own && own[key]) || (DEFAULT_TEXTS[lang] || DEFAULT_TEXTS.en)[key] || key;
}

function steps(sv, nps) {
  const out = [];
  if (sv.nps) out.push("nps");
  if (sv.nps && sv.reasons.length && nps !== undefined && nps < sv.reasons_below) out.push("reasons");
  for (const role of sv.staff) out.push("staff:" + role);
  if (sv.comment) out.push("comment");
  return out;
}

function startSurvey(session, at) {
  const sc = scenario();
  if (S.mode === "thanks") { S.queued = session; return; }  // after the thank-you
  if (!sc || S.mode === "survey") return;
  if (S.mode === "ads") endAd("cut");
  S.survey = { scenario: sc.id, version: sc.version, session: session || "", lang: sc.langs[0],
               answers: {}, step: 0, timer: null, cfg: sc.survey };
  setMode("survey");
  drawLangs();
  drawStep();
  // painted: the frame after the one that laid the survey out (at: the detector's decision)
  requestAnimationFrame(() => requestAnimationFrame(() => {
    window.screenLog.push({ survey: session, shown: Date.now(), at: at || null });
  }));
}

function drawLangs() {
  const sc = scenario();
  $("#langs").replaceChildren(...sc.langs.map((lang) => el("button", {
    "data-lang": lang, "aria-pressed": String(lang === S.survey.lang),
    onclick: () => { S.survey.lang = lang; drawLangs(); drawStep(); },
  }, lang.toUpperCase())));
  document.documentElement.lang = S.survey.lang;
}

function armTimeout() {
  clearTimeout(S.survey.timer);
  S.survey.timer = setTimeout(finish, S.survey.cfg.timeout_s * 1000);
}

function advance() {
  S.survey.step += 1;
  const all = steps(S.survey.cfg, S.survey.answers.nps);
  if (S.survey.step >= all.length) return finish();
  drawStep(true);
}

function guard(box) {
  // targets inert for GUARD_MS after they appear: the same finger's next taps hit nothing
  for (const b of box.querySelectorAll("button")) b.disabled = true;
  setTimeout(() => { for (const b of box.querySelectorAll("button")) b.disabled = false; }, GUARD_MS);
}

function drawStep(guarded) {
  const sv = S.survey;
  const name = steps(sv.cfg, sv.answers.nps)[sv.step];
  const box = $("#step");
  box.dataset.step = name;
  $("#survey").dataset.step = name;
  let kids;
  if (name === "nps") {
    const scale = el("div", { class: "scale" });
    for (let i = 0; i <= 10; i++) {
      scale.append(el("button", { "data-score": String(i), onclick: () => {
        sv.answers.nps = i; advance(); } }, String(i)));
    }
    kids = [el("h1", {}, t("nps")), scale,
            el("div", { class: "ends" }, el("span", {}, t("unlikely")), el("span", {}, t("likely")))];
  } else if (name === "reasons") {
    const picked = new Set(sv.answers.reasons || []);
    const choices = el("div", { class: "choices" });
    for (const r of sv.cfg.reasons) {
      const label = r.text[sv.lang] || Object.values(r.text)[0];
      const b = el("button", { "data-reason": r.key, "aria-pressed": String(picked.has(r.key)),
        onclick: () => {
          if (picked.has(r.key)) picked.delete(r.key); else picked.add(r.key);
          b.setAttribute("aria-pressed", String(picked.has(r.key)));
          sv.answers.reasons = [...picked];
          armTimeout();
        } }, label);
      choices.append(b);
    }
    kids = [el("h1", {}, t("reasons")), choices,
            el("div", { class: "next" }, el("button", { "data-next": "", onclick: advance }, t("send")))];
  } else if (name.startsWith("staff:")) {
    const role = name.slice(6);
    const stars = el("div", { class: "stars" });
    for (let i = 1; i <= 5; i++) {
      stars.append(el("button", { "data-stars": String(i), "aria-label": i + "/5", onclick: () => {
        sv.answers.staff = { ...(sv.answers.staff || {}), [role]: i }; advance(); } }, "★"));
    }
    kids = [el("h1", {}, t("staff") + ": " + t(role)), stars,
            el("div", { class: "next" }, el("button", { "data-skip": "", onclick: advance }, t("skip")))];
  } else {  // comment, with an on-screen keyboard in the survey's language
    const text = el("div", { id: "comment-text" }, sv.answers.comment || "");
    const type = (ch) => {
      const now = (sv.answers.comment || "");
      sv.answers.comment = ch === "⌫" ? now.slice(0, -1) : (now + ch).slice(0, 500);
      text.textContent = sv.answers.comment;
      armTimeout();
    };
    const rows = (KEYS[sv.lang] || KEYS.en).map((row) => el("div", {},
      ...[...row].map((ch) => el("button", { "data-key": ch, onclick: () => type(ch) }, ch))));
    rows.push(el("div", {}, el("button", { class: "wide", "data-key": " ", onclick: () => type(" ") }, "␣"),
                 el("button", { "data-key": "⌫", onclick: () => type("⌫") }, "⌫")));
    kids = [el("h1", {}, t("comment")), text, el("div", { class: "keyboard" }, ...rows),
            el("div", { class: "next" }, el("button", { "data-send": "", onclick: finish }, t("send")))];
  }
  box.replaceChildren(...kids);
  if (guarded) guard(box);
  armTimeout();
}

async function finish() {
  const sv = S.survey;
  if (!sv || sv.done) return;
  sv.done = true;
  clearTimeout(sv.timer);
  const a = sv.answers;
  const answered = a.nps !== undefined || (a.staff && Object.keys(a.staff).length);
  if (answered) {
    const rating = { session: sv.session, scenario: sv.scenario, version: sv.version,
                     t_s: Math.round(performance.now()) / 1000, lang: sv.lang };
    if (a.nps !== undefined) rating.nps = a.nps;
    if (a.staff) rating.staff = a.staff;
    if (a.reasons && a.reasons.length) rating.reasons = a.reasons;
    if (a.comment && a.comment.trim()) rating.comment = a.comment.trim();
    const r = await post("/api/rating", rating);
    window.screenLog.push({ rating: rating, status: r.status, error: r.body.error });
    $("#thanks-text").textContent = t("thanks");
    setMode("thanks");
    S.survey = null;
    setTimeout(() => backToAds(true), THANKS_MS);
  } else {  // nobody answered before the timeout: back to the ads, nothing sent
    S.survey = null;
    backToAds(false);
  }
}

function backToAds(afterThanks) {
  if (afterThanks && S.mode !== "thanks") return;
  const queued = S.queued;
  S.queued = null;
  setMode("ads");
  if (queued && queued === S.session) return startSurvey(queued);  // the customer right behind
  showAd();
}

// --- what the agent says ----------------------------------------------------------------------

function onSession(ev, kind) {
  const data = JSON.parse(ev.data);
  if (kind === "start") S.session = data.session;
  const sc = scenario();
  const trigger = sc && sc.survey.trigger;
  if (kind === "end" && S.session === data.session) S.session = "";
  if (trigger !== kind) return;
  const delay = (sc.survey.delay_s || 0) * 1000;
  clearTimeout(S.pending);
  if (delay) S.pending = setTimeout(() => startSurvey(data.session), delay);
  else startSurvey(data.session, data.at);
}

function listen() {
  const es = new EventSource("/api/events");
  es.addEventListener("session_start", (ev) => onSession(ev, "start"));
  es.addEventListener("session_end", (ev) => onSession(ev, "end"));
  es.addEventListener("plan", () => refresh());
  es.onopen = () => { document.body.dataset.live = "1"; };
}

refresh().then(() => {
  if (S.state && S.state.session) S.session = S.state.session.session;
  listen();
});
setInterval(() => { if (S.mode === "ads" || S.mode === "idle") refresh(); }, REFRESH_MS);
