// The door's offline decisions, as plain functions the page, its tests and its bench call alike:
// read a ticket's code, check its Ed25519 signature with the door list's public key, and decide
// the scan from the list and this device's own scans, in checkin.rules.decide_scan's order.
// A ticket (checkin.ticket_tokens) is base32 of 11 payload bytes, big-endian (format u8 = 1,
// event u32, RSVP u32, version u16), then the 64-byte signature over those 11 bytes.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const TICKET_CHARS = 120; // 75 bytes in base32, no padding
const PAYLOAD_BYTES = 11;
const FORMAT = 1;

/** The ticket's parts, or null for anything that is not shaped like one (nothing else is checked here). */
export function readTicket(text) {
  const code = String(text).trim().toUpperCase().replace(/=+$/, "");
  if (code.length !== TICKET_CHARS) return null;
  const raw = new Uint8Array(75);
  let bits = 0, value = 0, at = 0;
  for (const char of code) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = (value << 5) | digit; bits += 5;
    if (bits >= 8) { bits -= 8; raw[at++] = (value >> bits) & 0xff; }
  }
  const view = new DataView(raw.buffer);
  return {
    code, payload: raw.subarray(0, PAYLOAD_BYTES), signature: raw.subarray(PAYLOAD_BYTES),
    format: view.getUint8(0), eventId: view.getUint32(1), rsvpId: view.getUint32(5), version: view.getUint16(9),
  };
}

export function base64urlBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

const vendored = () => {
  const version = new URL(import.meta.url).searchParams.get("v");
  return new URL(`vendor/noble-ed25519.js${version ? `?v=${version}` : ""}`, import.meta.url).href;
};

/** A signature checker for the list's key: WebCrypto's Ed25519 where the browser has it, else the
 * vendored @noble/ed25519 (strict RFC 8032 reading, as WebCrypto and the server's OpenSSL).
 * `engine` forces one ("webcrypto" or "noble"), for the tests and the bench. */
export async function makeVerifier(rawKey, engine = "auto") {
  if (engine !== "noble") {
    try {
      const key = await crypto.subtle.importKey("raw", rawKey, { name: "Ed25519" }, false, ["verify"]);
      const verify = (signature, payload) => crypto.subtle.verify({ name: "Ed25519" }, key, signature, payload).catch(() => false);
      return { engine: "webcrypto", verify };
    } catch (unsupported) {
      if (engine === "webcrypto") throw unsupported;
    }
  }
  // The library hashes with WebCrypto's SHA-512, which an insecure page (http on a LAN) lacks:
  // no checker then, rather than one that calls every ticket forged.
  if (!globalThis.crypto || !crypto.subtle) throw new Error("no WebCrypto on an insecure page");
  const ed = await import(vendored());
  const verify = (signature, payload) => ed.verifyAsync(signature, payload, rawKey, { zip215: false }).catch(() => false);
  return { engine: "noble", verify };
}

export const admissionKey = (rsvpId, item) => (item ? `${rsvpId}:${item}` : String(rsvpId));

/** The list read once into lookups, so a decision costs a few map reads. */
export function indexList(list) {
  return {
    list,
    tickets: new Map(list.tickets.map((t) => [t.rsvp_id, t])),
    refused: new Map(list.refused.map((r) => [r.rsvp_id, r])),
    admitted: new Map(list.admitted.map((a) => [admissionKey(a.rsvp_id, a.item), { at: Date.parse(a.checked_in_at), gate: a.gate }])),
    points: new Map(list.meeting_points.map((p) => [p.id, { opens: Date.parse(p.opens_at), departs: Date.parse(p.starts_at) }])),
    opens: Date.parse(list.opens_at),
    closes: Date.parse(list.closes_at),
  };
}

const REFUSALS = {
  cancelled: "The member cancelled this RSVP.",
  suspended: "Not admitted while the membership is suspended; the club's host can help.",
  not_confirmed: "On the waitlist, not confirmed.",
};

/** The door's answer to a genuine ticket (its signature checked) with no network:
 * {result, detail, ticket?, since?, gate?, notOnList?}. `here` maps this device's admissions by
 * admissionKey to {at, gate}; `now` is in milliseconds. */
export function decideOffline(claims, index, here, now, item = null) {
  const { list } = index;
  if (claims.eventId !== list.event_id) return { result: "wrong_event", detail: "This ticket is for another event." };
  const ticket = index.tickets.get(claims.rsvpId);
  const refused = index.refused.get(claims.rsvpId);
  const current = refused ? refused.version : ticket ? ticket.version : null;
  // Only the latest version admits. A newer one than the list knows was reissued since the list
  // was fetched (the member's phone shows the fresh code): it is the club's, and it admits.
  if (current !== null && claims.version < current) return { result: "invalid", detail: "This ticket was replaced by a newer one." };
  if (list.status === "cancelled") return { result: "cancelled", detail: "The event is cancelled." };
  if (refused) return { result: refused.reason, detail: REFUSALS[refused.reason] || "" };
  if (!ticket) return { result: "not_confirmed", detail: "Not on this device's door list.", notOnList: true };
  const key = admissionKey(claims.rsvpId, item);
  const inAlready = here.get(key) || index.admitted.get(key);
  if (inAlready) return { result: "already_checked_in", detail: "Already checked in.", ticket, since: inAlready.at, gate: inAlready.gate };
  const point = item ? index.points.get(item) : null;
  if (point) {
    if (now < point.opens) return { result: "not_open", detail: "This meeting point has not opened yet.", ticket };
    if (now >= point.departs) return { result: "departed", detail: "The group has left this meeting point; the departure does not wait.", ticket };
  }
  if (now < index.opens) return { result: "not_open", detail: "Check-in has not opened yet.", ticket };
  if (now > index.closes) return { result: "closed", detail: "Check-in has closed.", ticket };
  return { result: "admitted", detail: "Welcome.", ticket };
}

/** Read, check and decide a scanned code: the whole offline path, timed by the bench. */
export async function judge(text, index, verifier, here, now, item = null) {
  const claims = readTicket(text);
  if (!claims) return { result: "invalid", detail: "This is not a valid ticket.", claims: null };
  if (!(await verifier.verify(claims.signature, claims.payload)) || claims.format !== FORMAT) {
    return { result: "invalid", detail: "This is not a valid ticket.", claims: null };
  }
  return { ...decideOffline(claims, index, here, now, item), claims };
}

/** An instant with this device's UTC offset, as the API takes times ("2026-12-01T19:05:00.250+08:00"). */
export function withOffset(ms) {
  const at = new Date(ms);
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, "0");
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:` +
    `${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}
