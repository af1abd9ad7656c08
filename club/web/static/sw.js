/* The member pages' service worker: a ticket page once opened stays available offline.
   Ticket pages (/tickets/…) go to the network first; a good answer replaces the kept copy (so a
   reissued ticket replaces the old one), a refusal (the ticket is gone) drops it, and only with
   no network at all is the kept copy shown. The style sheet is kept for those pages too. */
const CACHE = "club-tickets-v1";
const KEPT = /^\/tickets\/\d+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["/static/club.css?v=1"])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (KEPT.test(url.pathname)) {
    event.respondWith(fromNetworkKeeping(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  }
});

async function fromNetworkKeeping(request) {
  const cache = await caches.open(CACHE);
  const key = new URL(request.url).pathname;
  let answer;
  try {
    answer = await fetch(request);
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
