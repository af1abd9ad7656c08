/* The door page's service worker (served at /door/sw.js, scope /door/): a door page once opened
   opens again with no network.
   - Its scripts, the vendored libraries and the icons are named by version (?v=…, filled in by
     checkin.door_app) and kept at install: a kept copy is never stale. The page uses the phone's
     own fonts (no font is fetched), so there are none to keep.
   - A door page (/door/<event>, ?item=<meeting point>) goes to the network first; a good answer
     replaces the kept copy. With no network, or none within 3 s (a weak network that neither
     answers nor fails), the kept copy opens.
   - The API is never kept here: the page keeps its door list and its queue itself (IndexedDB).
   A page opened before the worker controlled it asks to be kept (a message). */
const VERSION = "{DOOR_VERSION}";
const PREFIX = "club-door-";
const CACHE = PREFIX + VERSION;
const ASSETS = [
  "/door-static/door.js", "/door-static/door-core.js", "/door-static/door-store.js", "/door-static/vendor/jsQR.js",
  "/door-static/vendor/noble-ed25519.js", "/door-static/door-icon-192.png", "/door-static/door-icon-512.png",
].map((path) => `${path}?v=${VERSION}`);
const PAGE = /^\/door\/\d+$/;
const PAGE_WAIT_MS = 3000;

const pageKey = (url) => { const u = new URL(url); return u.pathname + u.search; };

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    // The pages an older version kept come along, fetched again (they name the new scripts);
    // when the network fails half-way, the old copy is better than none.
    for (const name of await caches.keys()) {
      if (!name.startsWith(PREFIX) || name === CACHE) continue;
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        if (!PAGE.test(new URL(request.url).pathname)) continue;
        const fresh = await fetch(request.url, { credentials: "same-origin" }).catch(() => null);
        await cache.put(pageKey(request.url), fresh && fresh.ok ? fresh : await old.match(request));
      }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path === "string" && PAGE.test(new URL(path, self.location.origin).pathname)) {
    event.waitUntil(keepFromNetwork(new Request(new URL(path, self.location.origin))).catch(() => {}));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  if (PAGE.test(url.pathname)) {
    event.respondWith(pageFirstFromNetwork(event, request));
  } else if (url.pathname.startsWith("/door-static/")) {
    event.respondWith(keptAsset(request));
  }
});

async function keepFromNetwork(request) {
  const answer = await fetch(request);
  // Read it whole before keeping it: a weak network may drop an answer half-way.
  await answer.clone().arrayBuffer();
  if (answer.ok && !answer.redirected) {
    const cache = await caches.open(CACHE);
    await cache.put(pageKey(request.url), answer.clone());
  }
  return answer;
}

async function pageFirstFromNetwork(event, request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(pageKey(request.url));
  const network = keepFromNetwork(request);
  event.waitUntil(network.catch(() => {}));
  if (!kept) return network;
  const late = new Promise((resolve) => setTimeout(() => resolve(null), PAGE_WAIT_MS));
  try {
    return (await Promise.race([network, late])) || kept;
  } catch (offline) {
    return kept;
  }
}

async function keptAsset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  try {
    const answer = await fetch(request);
    if (answer.ok && new URL(request.url).searchParams.get("v") === VERSION) await cache.put(request, answer.clone());
    return answer;
  } catch (offline) {
    // An older page copy naming an older version: the current script is the best there is.
    const any = await cache.match(request, { ignoreSearch: true });
    if (any) return any;
    throw offline;
  }
}
