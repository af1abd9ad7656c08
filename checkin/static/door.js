// The door page: scans by camera or a typed code, online through the scan API, and when the
// network drops (or does not answer within ONLINE_WAIT_MS) on this phone, from the door list it
// keeps (door-core.js decides, door-store.js keeps). Scans decided here wait in IndexedDB and go
// to the server in batches when the network returns, each with the nonce it was made with, so a
// batch sent twice changes nothing. Texts come inline, in the reader's language (checkin.door_page).

const VERSION = new URL(import.meta.url).searchParams.get("v") || "";
const core = await import(`./door-core.js?v=${VERSION}`);
const store = await import(`./door-store.js?v=${VERSION}`);

const $ = (id) => document.getElementById(id);
const TEXTS = JSON.parse($("door-texts").textContent || "{}");
const T = (text, values = {}) => (TEXTS[text] || text).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
document.querySelectorAll("[data-text]").forEach((e) => { e.textContent = T(e.dataset.text); });
document.querySelectorAll("[data-placeholder]").forEach((e) => { e.placeholder = T(e.dataset.placeholder); });

const EVENT_ID = Number(location.pathname.split("/").filter(Boolean).pop());
// A trip's meeting point: /door/<trip>?item=<itinerary item> scans for that leg.
const ITEM = Number(new URLSearchParams(location.search).get("item")) || null;
const ONLINE_WAIT_MS = 3000; // an online scan slower than this is decided on the phone
const ANSWER_MS = 5000; // then the answer goes back to "Ready"
const LIST_EVERY_MS = 60000;
const PROBE_EVERY_MS = 10000; // while offline: is the network back?
const BATCH = 200; // the most scans a batch may carry (checkin.sync_rules.MAX_BATCH)
const CONFLICTS = ["duplicate", "admitted_while_revoked", "admitted_outside_hours"];
const MESSAGES = {
  admitted: [T("Admit"), "ok"], already_checked_in: [T("Already in"), "wait"], not_confirmed: [T("Not confirmed"), "no"],
  cancelled: [T("Ticket cancelled"), "no"], wrong_event: [T("Wrong event"), "no"], not_open: [T("Not open yet"), "no"],
  closed: [T("Check-in closed"), "no"], invalid: [T("Not a valid ticket"), "no"], departed: [T("Departed"), "no"],
  suspended: [T("Membership suspended"), "no"],
};

// The token comes from the URL fragment (never sent to the server) or from this device's storage.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("token")) { localStorage.setItem("door-token", fragment.get("token")); history.replaceState(null, "", location.pathname + location.search); }
let token = localStorage.getItem("door-token");
if (!token) $("setup").hidden = false;
$("save-token").onclick = () => {
  token = $("staff-token").value.trim(); localStorage.setItem("door-token", token); $("setup").hidden = true;
  describe(); refresh(); refreshList();
};
$("manifest").href = `/door/manifest.webmanifest?event=${EVENT_ID}${ITEM ? `&item=${ITEM}` : ""}`;

// --- the network's state: known from the requests themselves (a phone on a Wi-Fi with no way
// out says it is online), with the browser's online/offline events as hints.
const OFFLINE_SINCE = `door-offline-since-${EVENT_ID}`;
let offlineSince = Number(localStorage.getItem(OFFLINE_SINCE)) || null;
let online = navigator.onLine && offlineSince === null;
if (!navigator.onLine && offlineSince === null) offlineSince = Date.now();

function wentOffline() {
  if (online || offlineSince === null) { offlineSince = offlineSince ?? Date.now(); localStorage.setItem(OFFLINE_SINCE, String(offlineSince)); }
  online = false;
  paintState();
}

function cameOnline() {
  const wasOffline = !online;
  online = true; offlineSince = null; localStorage.removeItem(OFFLINE_SINCE);
  paintState();
  if (wasOffline) sync();
}

class NoAnswer extends Error {}

/** A request with the staff token; NoAnswer when the network fails or is slower than `wait`. */
async function api(path, { method = "GET", body, headers = {}, wait = 15000 } = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), wait);
  try {
    const response = await fetch(path, {
      method, body, cache: "no-store", signal: abort.signal,
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json", ...headers },
    });
    const parsed = response.status === 304 ? {} : await response.json().catch(() => ({}));
    // A gateway with no server behind it is no network either.
    if (response.status === 502 || response.status === 504) throw new NoAnswer(String(response.status));
    cameOnline();
    return { status: response.status, body: parsed, headers: response.headers };
  } catch (failed) {
    if (!(failed instanceof NoAnswer) && failed.name !== "AbortError" && failed.name !== "TypeError") throw failed;
    wentOffline();
    throw new NoAnswer(failed.message);
  } finally { clearTimeout(timer); }
}

// --- what the phone keeps: the list (and the clock's difference to the server's), and its scans.
let kept = null; // {event_id, list, etag, fetched_at, skew_ms}
let index = null, verifier = null, verifierKey = "";
let listUnavailable = false;
let here = new Map(); // this device's admissions, by admission key
let queued = 0, pendingAdmits = 0;
const now = () => Date.now() + (kept?.skew_ms || 0);

async function useList() {
  index = core.indexList(kept.list);
  if (verifierKey !== kept.list.public_key.raw) {
    verifier = await core.makeVerifier(core.base64urlBytes(kept.list.public_key.raw)).catch(() => null);
    verifierKey = verifier ? kept.list.public_key.raw : "";
  }
  if (!$("where").textContent) describeFrom(kept.list);
  paintCount();
}

async function loadScans() {
  const scans = await store.scansOf(EVENT_ID);
  here = new Map(); queued = 0; pendingAdmits = 0;
  for (const s of scans) {
    if (s.result === "admitted" && (s.item || null) === ITEM) here.set(core.admissionKey(s.rsvp_id, s.item), { at: s.at, gate: s.gate || "" });
    if (!s.sent) { queued++; if (s.result === "admitted") pendingAdmits++; }
  }
}

// A phone's clock is set by the network, to well under a second; the server's Date header says
// only the second. So the door corrects only a clock that is plainly wrong (a minute or more off):
// two gates' times must compare, for the earliest admission to win.
const PLAINLY_WRONG_MS = 60000;
function skewOf(headers) {
  const skew = Date.parse(headers.get("Date") || "") - Date.now();
  return Number.isNaN(skew) || Math.abs(skew) < PLAINLY_WRONG_MS ? 0 : skew;
}

async function refreshList() {
  if (!token) return;
  let answer;
  try {
    answer = await api(`/api/events/${EVENT_ID}/door-list`, { headers: kept?.etag ? { "If-None-Match": kept.etag } : {}, wait: 20000 });
  } catch { return; }
  if (answer.status === 304 && kept) {
    kept = { ...kept, fetched_at: Date.now(), skew_ms: skewOf(answer.headers) };
  } else if (answer.status === 200) {
    kept = { event_id: EVENT_ID, list: answer.body, etag: answer.headers.get("ETag"), fetched_at: Date.now(), skew_ms: skewOf(answer.headers) };
    await useList();
  } else {
    listUnavailable = answer.status === 409;
    if (answer.status === 401 || answer.status === 403) $("setup").hidden = false;
    paintState();
    return;
  }
  listUnavailable = false;
  await store.saveList(kept);
  await store.forgetSettled(EVENT_ID, Date.now() - 2 * 86400000);
  paintState();
}

// --- what the page shows.
let resetTimer = 0, noticeTimer = 0;
function show(kind, verdict, who = "", more = "", offline = false) {
  clearTimeout(resetTimer);
  $("answer").className = offline ? `${kind} offline` : kind;
  $("verdict").textContent = verdict; $("who").textContent = who; $("more").textContent = more;
  $("how").hidden = !offline;
  $("how").textContent = offline ? T("Decided offline on this phone; sent when the network returns") : "";
  if (kind) resetTimer = setTimeout(() => show("", T("Ready")), ANSWER_MS);
}

const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const since = (at, gate) => (gate ? T("in since {at} · gate {gate}", { at: clock(at), gate }) : T("in since {at}", { at: clock(at) }));
const greeting = (name, tier) => (name ? `${name} · ${tier ? T(tier) : T("no tier")}` : "");

function paintState() {
  $("net").className = online ? "on" : "off";
  $("net").textContent = online ? T("Online") : T("Offline since {time}", { time: clock(offlineSince || Date.now()) });
  $("queue").className = queued ? "waiting" : "";
  $("queue").textContent = T("Queued: {n}", { n: queued });
  const age = kept ? Math.floor((Date.now() - kept.fetched_at) / 60000) : null;
  $("list-age").className = age !== null && age >= 2 ? "stale" : "";
  $("list-age").textContent = age === null ? (listUnavailable ? T("Door list not available yet") : T("No door list on this phone"))
    : age < 1 ? T("List just updated") : T("List updated {minutes} min ago", { minutes: age });
}

function paintCount() {
  if (!online && kept) $("count").textContent = `${kept.list.checked_in + pendingAdmits} / ${kept.list.confirmed}`;
}

function notify(text, ms) {
  clearTimeout(noticeTimer);
  $("notice").textContent = text; $("notice").hidden = false;
  noticeTimer = setTimeout(() => { $("notice").hidden = true; }, ms);
}
$("notice").onclick = () => { $("notice").hidden = true; };

// What the door shows of the event (the door view, else the kept list). Times are on the venue's
// or the meeting point's own clock, whatever this phone's zone.
const clockOf = (local) => local.slice(11, 16);
function venueClock(view, which) {
  if (view[`${which}_local`]) return clockOf(view[`${which}_local`]);
  return new Intl.DateTimeFormat("en-GB", { timeZone: view.venue_time_zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(view[`${which}_at`]));
}
function describeFrom(view) {
  $("title").textContent = view.title;
  const leg = ITEM ? view.meeting_points.find((p) => p.id === ITEM) : null;
  const parts = leg
    ? [leg.title, clockOf(leg.starts_local), leg.meeting_point ? `${leg.meeting_point}, ${leg.place}` : leg.place]
    : [`${venueClock(view, "starts")}–${venueClock(view, "ends")}`, view.venue];
  if (view.status === "cancelled") parts.push(T("CANCELLED"));
  $("where").textContent = parts.join(" · ");
}

async function describe() {
  if (!token) return;
  const answer = await api(`/api/events/${EVENT_ID}/door`).catch(() => null);
  if (answer && answer.status === 200) describeFrom(answer.body);
}

async function refresh() {
  if (!token) return;
  const answer = await api(`/api/events/${EVENT_ID}/checkin-figures`).catch(() => null);
  if (answer && answer.status === 200) { $("title").textContent = answer.body.title; $("count").textContent = `${answer.body.checked_in} / ${answer.body.confirmed}`; }
}

// --- a scan: online while the network answers in time, else decided here and queued.
const nonceOf = () => (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
let busy = false, chain = Promise.resolve();
function scan(code) {
  chain = chain.then(() => scanOne(code)).catch(() => {});
  return chain;
}

async function scanOne(code) {
  code = code.trim();
  if (!code) return;
  busy = true;
  show("", T("Checking…"));
  // One nonce per physical scan, kept with it in the queue: a request that reached the server but
  // lost its answer, and the batch that later carries the same scan, count once.
  const nonce = nonceOf();
  const gate = $("gate").value.trim() || null;
  try {
    if (online && token && (await scanOnline(code, nonce, gate))) return;
    await scanOffline(code, nonce, gate);
  } finally { busy = false; }
}

async function scanOnline(code, nonce, gate) {
  let answer;
  try {
    answer = await api(`/api/events/${EVENT_ID}/scans`, {
      method: "POST", wait: ONLINE_WAIT_MS, body: JSON.stringify({ token: code, nonce, gate, ...(ITEM ? { item: ITEM } : {}) }),
    });
  } catch { return false; }
  const { status, body } = answer;
  if (status === 503) return false; // the server is busy: the door does not wait for it
  // A member suspended between reading the ticket and earning its points: a refusal, not a bad staff token.
  if (body.type === "/problems/member-suspended") { show("no", MESSAGES.suspended[0], "", body.detail || ""); return true; }
  if (status === 401 || status === 403) { show("no", T("Not allowed"), body.detail || ""); $("setup").hidden = false; return true; }
  if (status !== 200) { show("no", T("Error"), body.detail || `HTTP ${status}`); return true; }
  const [verdict, kind] = MESSAGES[body.result] || [body.result, "no"];
  const m = body.member;
  let more = body.detail || "";
  if (body.points_awarded) more = body.new_tier ? T("+{points} points, now {tier}", { points: body.points_awarded, tier: T(body.new_tier) }) : T("+{points} points", { points: body.points_awarded });
  if (body.result === "already_checked_in" && body.checked_in_at) more = since(Date.parse(body.checked_in_at), body.gate);
  show(kind, verdict, m ? greeting(m.name, m.tier) : "", more);
  if (body.confirmed != null) $("count").textContent = `${body.checked_in} / ${body.confirmed}`;
  const claims = core.readTicket(code);
  if (body.result === "admitted" && claims) {
    // Kept so that this phone, offline a moment later, knows this ticket is in.
    const at = now();
    here.set(core.admissionKey(claims.rsvpId, ITEM), { at, gate: gate || "" });
    await store.keepScan({ nonce, event_id: EVENT_ID, rsvp_id: claims.rsvpId, item: ITEM, gate, at, result: "admitted", sent: 1, outcome: "online" });
  }
  return true;
}

async function scanOffline(code, nonce, gate) {
  // Nothing to decide by, and nothing queued: amber, not a refusal, and no "decided offline".
  if (!index || !verifier) { show("wait", T("Cannot check offline"), "", index ? "" : T("Connect once to download the door list.")); return; }
  const at = now();
  const decided = await core.judge(code, index, verifier, here, at, ITEM);
  const shape = decided.claims || core.readTicket(code);
  if (shape) {
    // Queued before the answer shows: a reload or a flat battery now loses nothing.
    await store.keepScan({
      nonce, event_id: EVENT_ID, token: code, rsvp_id: shape.rsvpId, item: ITEM, gate, at,
      scanned_at: core.withOffset(at), result: decided.result, sent: 0,
    });
    queued++;
    if (decided.result === "admitted") { here.set(core.admissionKey(shape.rsvpId, ITEM), { at, gate: gate || "" }); pendingAdmits++; }
  }
  const [verdict, kind] = decided.notOnList ? [T("Not on the list"), "no"] : MESSAGES[decided.result];
  const ticket = decided.ticket;
  let more = T(decided.detail);
  if (decided.result === "admitted") more = ticket && ticket.guests ? T("Guests: {guests}", { guests: ticket.guests }) : "";
  if (decided.result === "already_checked_in") more = since(decided.since, decided.gate);
  show(kind, verdict, ticket ? greeting(ticket.name, ticket.tier) : "", more, true);
  paintState(); paintCount();
  if (online) sync(); // the network is up, only the server was slow or busy
}

// --- the queue: sent in batches when the network answers; the server's outcome for each is kept.
let syncing = null;
function sync() {
  if (!token) return Promise.resolve();
  const work = () => drain();
  syncing ??= (navigator.locks ? navigator.locks.request(`club-door-sync-${EVENT_ID}`, work) : work()).finally(() => { syncing = null; });
  return syncing;
}

async function drain() {
  const waiting = (await store.scansOf(EVENT_ID)).filter((s) => !s.sent);
  const settled = [];
  for (let at = 0; at < waiting.length; at += BATCH) {
    const sent = await sendBatch(waiting.slice(at, at + BATCH));
    if (sent === null) break; // no network again, or refused: the rest waits
    settled.push(...sent);
  }
  if (!settled.length) return;
  await loadScans();
  tell(settled);
  paintState();
  refreshList();
}

async function sendBatch(scans) {
  const payload = scans.map((s) => ({ token: s.token, nonce: s.nonce, gate: s.gate, item: s.item, scanned_at: s.scanned_at, result: s.result }));
  let answer;
  try {
    answer = await api(`/api/events/${EVENT_ID}/scan-batches`, { method: "POST", body: JSON.stringify({ scans: payload }), wait: 30000 });
  } catch { return null; }
  const { status, body } = answer;
  if (status === 200) {
    const outcomes = new Map(body.results.map((r) => [r.nonce, r]));
    const settled = scans.map((s) => ({ ...s, outcome: outcomes.get(s.nonce)?.outcome || "unknown", server_result: outcomes.get(s.nonce)?.result || null }));
    await store.settleScans(settled);
    if (body.confirmed != null) $("count").textContent = `${body.checked_in} / ${body.confirmed}`;
    return settled;
  }
  if (status === 401 || status === 403) { $("setup").hidden = false; return null; }
  if (status === 400 || status === 422) {
    // One scan the server cannot take must not hold the queue: alone, it is set aside as refused.
    if (scans.length === 1) { const settled = [{ ...scans[0], outcome: "rejected" }]; await store.settleScans(settled); return settled; }
    const settled = [];
    for (const s of scans) { const one = await sendBatch([s]); if (one === null) return settled.length ? settled : null; settled.push(...one); }
    return settled;
  }
  return null; // busy, rate-limited or failing: try again later
}

function tell(settled) {
  const counts = Object.fromEntries(CONFLICTS.map((c) => [c, 0]));
  for (const s of settled) if (s.result === "admitted" && s.outcome in counts) counts[s.outcome]++;
  const rejected = settled.filter((s) => s.outcome === "rejected").length;
  const review = [
    counts.duplicate && T("duplicates: {n}", { n: counts.duplicate }),
    counts.admitted_while_revoked && T("let in on a revoked ticket: {n}", { n: counts.admitted_while_revoked }),
    counts.admitted_outside_hours && T("let in outside the hours: {n}", { n: counts.admitted_outside_hours }),
    rejected && T("not accepted: {n}", { n: rejected }),
  ].filter(Boolean);
  const sent = T("{sent} offline scans sent", { sent: settled.length });
  notify(review.length ? `${sent} · ${T("To review: {what}", { what: review.join(" · ") })}` : sent, review.length ? 20000 : 6000);
}

// --- the camera: one scan per code while it stays in view; when it cannot start, it says why.
function cameraFailed(why) {
  $("camera-why").textContent = why;
  $("camera-state").hidden = false;
  // The camera gives up a moment after the page opens: someone typing the gate keeps their field.
  if (!document.activeElement || document.activeElement === document.body) $("code").focus();
}

function cameraProblem(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return T("Camera: permission refused");
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return T("Camera: none found on this device");
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return T("Camera: busy in another app");
  return T("Camera: could not start");
}

async function startCamera() {
  if (!window.isSecureContext) return cameraFailed(T("Camera: needs a secure page (https)"));
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return cameraFailed(T("Camera: could not start"));
  let stream;
  try { stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }); } catch (error) { return cameraFailed(cameraProblem(error)); }
  $("camera-state").hidden = true;
  const video = $("camera"); video.srcObject = stream; video.style.display = "block";
  await video.play().catch(() => {});
  const detector = "BarcodeDetector" in window ? new BarcodeDetector({ formats: ["qr_code"] }) : null;
  const canvas = $("frame"), context = canvas.getContext("2d", { willReadFrequently: true });
  let seen = "", seenAt = 0;
  const tick = async () => {
    if (video.readyState >= 2) {
      let code = null;
      if (detector) { const found = await detector.detect(video).catch(() => []); code = found.length ? found[0].rawValue : null; }
      else {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        const hit = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
        code = hit ? hit.data : null;
      }
      const at = performance.now();
      if (code && code === seen) {
        // Held in front of the camera: scanned once; shown again after 3 s out of view, it is a new scan.
        const back = at - seenAt > 3000;
        seenAt = at;
        if (back && !busy) scan(code);
      } else if (code && !busy) { seen = code; seenAt = at; scan(code); }
    }
    setTimeout(tick, 150);
  };
  tick();
}

// Exposed for tests and for kiosks that feed images: decode a ticket picture and scan it.
window.scanImage = async (url) => {
  const image = new Image(); image.src = url; await image.decode();
  const canvas = $("frame"); canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d"); context.fillStyle = "#fff"; context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0);
  const hit = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
  if (!hit) { show("no", T("No code found")); return null; }
  await scan(hit.data); return hit.data;
};

// The gate is this phone's: it outlives a reload, as the queue does.
$("gate").value = localStorage.getItem("door-gate") || $("gate").value;
$("gate").oninput = () => localStorage.setItem("door-gate", $("gate").value.trim());
$("manual").onsubmit = (e) => { e.preventDefault(); const c = $("code").value; $("code").value = ""; scan(c); $("code").focus(); };
window.addEventListener("online", () => refreshList());
window.addEventListener("offline", () => wentOffline());

if ("serviceWorker" in navigator) {
  // The worker keeps this page for a reload with no network; a page it did not yet control asks.
  navigator.serviceWorker.register("/door/sw.js", { scope: "/door/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active && registration.active.postMessage({ keep: location.pathname + location.search }))
    .catch(() => {});
}

kept = (await store.loadList(EVENT_ID).catch(() => null)) || null;
await loadScans().catch(() => {});
if (kept) await useList();
paintState();
describe(); refresh(); refreshList().then(() => sync());
setInterval(() => { if (online) refresh(); }, 10000);
setInterval(() => { if (online) refreshList(); }, LIST_EVERY_MS);
setInterval(() => { if (!online) refreshList(); else if (queued) sync(); paintState(); }, PROBE_EVERY_MS);
startCamera();
// For the tests and the bench: the page's state, read-only.
window.door = { core, get online() { return online; }, get queued() { return queued; }, get index() { return index; }, get verifier() { return verifier; }, sync };
