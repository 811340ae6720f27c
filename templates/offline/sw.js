// Schoolward's service worker. It keeps three things, each in its own cache:
// - the static files every page needs (the same for everyone);
// - the pages and data the server marks with CONFIG.header for one person (the new-visit form
//   and what it offers), in that person's own cache, served only while the phone says they are
//   the one signed in, and deleted when they sign out or someone else signs in;
// - who is signed in on this phone (written by the pages, see static/js/offline.js).
// Anything else goes to the network as usual; a page that cannot be reached offline gets the
// friendly offline page. Nothing sent with POST is ever kept.
"use strict";

const CONFIG = {{ config }};
const STATIC_CACHE = `schoolward-static-${CONFIG.version}`;
const PAGES_PREFIX = "schoolward-pages-u";
const META_CACHE = "schoolward-meta";
const USER_KEY = "/__schoolward/signed-in";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.precache))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("schoolward-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await refreshKeptPages();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(fromStaticCache(event));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (CONFIG.offlineData.includes(url.pathname) && !request.headers.has("HX-Request")) {
    event.respondWith(networkThenKept(event));
  }
});

// A page asks for itself to be kept, with the static files it names (fetched before this worker ran).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  const port = event.ports[0];
  const statics = (data.statics || []).filter((url) => new URL(url, self.location.origin).pathname.startsWith(CONFIG.staticPrefix));
  event.waitUntil(
    Promise.all([
      caches.open(STATIC_CACHE).then((cache) => cache.addAll(statics)),
      ...data.urls.map((url) => keepFromNetwork(url)),
    ])
      .then(([, ...kept]) => port && port.postMessage({ kept }))
      .catch(() => port && port.postMessage({ kept: [] })),
  );
});

async function signedIn() {
  const cache = await caches.open(META_CACHE);
  const entry = await cache.match(USER_KEY);
  return entry ? (await entry.text()).trim() : "";
}

async function setSignedIn(user) {
  const cache = await caches.open(META_CACHE);
  await cache.put(USER_KEY, new Response(user));
  // Someone else is signed in now: what was kept for the person before is theirs alone.
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES_PREFIX) && name !== PAGES_PREFIX + user) await caches.delete(name);
  }
}

function pageKey(url) {
  const parsed = new URL(url, self.location.origin);
  return parsed.origin + parsed.pathname;
}

// Keep a response only when the server marked it for the person, in their own cache.
async function keep(url, response) {
  const owner = response.headers.get(CONFIG.header);
  if (!owner || !response.ok || response.type !== "basic" || response.redirected) return false;
  if (owner !== (await signedIn())) await setSignedIn(owner);
  const cache = await caches.open(PAGES_PREFIX + owner);
  await cache.put(pageKey(url), response);
  return true;
}

async function keepFromNetwork(url) {
  const response = await fetch(pageKey(url), { credentials: "same-origin", cache: "no-store" });
  return (await keep(url, response)) ? pageKey(url) : null;
}

async function keptFor(url) {
  const user = await signedIn();
  if (!user || !(await caches.has(PAGES_PREFIX + user))) return undefined;
  const cache = await caches.open(PAGES_PREFIX + user);
  return cache.match(pageKey(url), { ignoreVary: true });
}

// A new worker may come with new static files: fetch the kept pages again, so they name them.
async function refreshKeptPages() {
  const user = await signedIn();
  if (!user || !(await caches.has(PAGES_PREFIX + user))) return;
  const cache = await caches.open(PAGES_PREFIX + user);
  for (const request of await cache.keys()) {
    try {
      if (!(await keepFromNetwork(request.url))) await cache.delete(request);
    } catch (error) {
      // Offline while updating: the page kept before stays.
    }
  }
}

async function navigate(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (response.headers.has(CONFIG.header)) {
      const url = new URL(request.url);
      // A page opened with a query (a school chosen in advance) is kept in its plain form.
      const kept = url.search ? keepFromNetwork(url.href) : keep(url.href, response.clone());
      event.waitUntil(kept.catch(() => false));
    }
    return response;
  } catch (error) {
    const kept = await keptFor(request.url);
    if (kept) return kept;
    const offline = await caches.match(CONFIG.offlinePage, { cacheName: STATIC_CACHE });
    return offline || new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function networkThenKept(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    event.waitUntil(keep(request.url, response.clone()).catch(() => false));
    return response;
  } catch (error) {
    const kept = await keptFor(request.url);
    if (kept) return kept;
    throw error;
  }
}

async function fromStaticCache(event) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(event.request, { ignoreVary: true });
  const fresh = fetch(event.request).then((response) => {
    if (response.ok && response.type === "basic") cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => undefined));
    return cached;
  }
  return fresh;
}
