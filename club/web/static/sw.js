/* The member pages' service worker: a ticket page once opened stays available offline.
   Ticket pages (/tickets/…) go to the network first; a good answer replaces the kept copy (so a
   reissued ticket replaces the old one), a refusal (the ticket is gone) drops it, and only with
   no network at all is the kept copy shown. The style sheet is kept for those pages too.
   A ticket page opened before the worker controlled it asks to be kept (a message), and
   signing out forgets every kept ticket (a shared phone keeps nobody's ticket). */
const CACHE = "club-tickets-v1";
const KEPT = /^\/tickets\/\d+$/;
// Filled in by the server (club.web.static_routes): the style sheet's address as the pages name it.
const STYLE_SHEET = "/static/club.css?v={STATIC_VERSION}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([STYLE_SHEET])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path === "string" && KEPT.test(path)) {
    event.waitUntil(fromNetworkKeeping(new Request(path, { credentials: "same-origin" })).catch(() => {}));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/sign-out") {
    event.waitUntil(forgetTickets());
    return;
  }
  if (request.method !== "GET") return;
  if (KEPT.test(url.pathname)) {
    event.respondWith(fromNetworkKeeping(request));
  } else if (url.pathname.startsWith("/static/")) {
    // Named by version (?v=…): a kept copy is never stale, and one fetched since is kept too.
    event.respondWith(caches.match(request).then((kept) => kept || fetchKeeping(request)));
  }
});

async function fromNetworkKeeping(request) {
  const cache = await caches.open(CACHE);
  const key = new URL(request.url).pathname;
  let answer;
  try {
    answer = await fetch(request);
    // Read it whole before trusting it: a weak network may drop an answer halfway, and then
    // the kept copy is better than half a page.
    await answer.clone().arrayBuffer();
  } catch (offline) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw offline;
  }
  if (answer.ok && !answer.redirected) {
    await cache.put(key, answer.clone());
  } else if (answer.status === 404 || answer.status === 410 || answer.redirected) {
    await cache.delete(key);
  }
  return answer;
}

async function fetchKeeping(request) {
  const answer = await fetch(request);
  if (answer.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, answer.clone());
  }
  return answer;
}

async function forgetTickets() {
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  await Promise.all(keys.filter((key) => KEPT.test(new URL(key.url).pathname)).map((key) => cache.delete(key)));
}
