// What the door keeps on the device (IndexedDB), and nothing more: each event's door list as the
// server sent it (names, tiers, guests: no phone, no e-mail, nothing medical), and this device's
// scans. A scan decided offline is kept with its code until the server has it (then the code is
// dropped); an admission made here, online or not, is kept so a second scan of the ticket on
// this device is "already in" before the next list says so. Every write is awaited before the
// door shows its answer, so a reload or a flat battery loses no admission.

const DB = "club-door";
let opened = null;

function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("lists", { keyPath: "event_id" });
      const scans = db.createObjectStore("scans", { keyPath: "nonce" });
      scans.createIndex("by_event", "event_id");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function run(store, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    let result;
    Promise.resolve(work(tx.objectStore(store))).then((r) => { result = r; });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
}

const asked = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/** {event_id, list, etag, fetched_at, skew_ms} or undefined. */
export const loadList = (eventId) => run("lists", "readonly", (s) => asked(s.get(eventId)));
export const saveList = (kept) => run("lists", "readwrite", (s) => { s.put(kept); });

/** Every scan this device keeps for the event, oldest first. */
export async function scansOf(eventId) {
  const all = await run("scans", "readonly", (s) => asked(s.index("by_event").getAll(eventId)));
  return all.sort((a, b) => a.at - b.at);
}

export const keepScan = (scan) => run("scans", "readwrite", (s) => { s.put(scan); });

/** Record the server's outcome for sent scans and forget their codes. */
export const settleScans = (settled) => run("scans", "readwrite", (s) => {
  for (const scan of settled) { const { token, ...kept } = scan; s.put({ ...kept, sent: 1 }); }
});

/** Drop settled scans older than `before` (ms): the list has long said who is in. */
export async function forgetSettled(eventId, before) {
  const old = (await scansOf(eventId)).filter((s) => s.sent && s.at < before);
  if (old.length) await run("scans", "readwrite", (s) => { for (const scan of old) s.delete(scan.nonce); });
}
