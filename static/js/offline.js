/* Schoolward without a connection, on every page: registers the service worker (/sw.js), tells it
 * who is signed in on this phone, keeps drafts in the signed-in person's own IndexedDB database,
 * sends the visits waiting on the phone when the connection is back (in order, one at a time),
 * shows what waits, and wipes it all at sign-out. The visit form builds on it (visit-draft.js)
 * through window.SchoolwardOffline. */
(() => {
  "use strict";

  const script = document.currentScript;
  const onOfflinePage = script.dataset.offlinePage === "true";
  const loginPath = script.dataset.login || "/accounts/login/";
  const logoutPath = script.dataset.logout || "/accounts/logout/";
  // Pages under the sign-in pages' folder are left alone: a sign-in in progress must not be disturbed.
  const accountsPath = loginPath.split("/").slice(0, 2).join("/") + "/";
  const PAGES_PREFIX = "schoolward-pages-u";
  const META_CACHE = "schoolward-meta";
  const USER_KEY = "/__schoolward/signed-in";
  const DB_PREFIX = "schoolward-drafts-u";
  const SEND_TIMEOUT_MS = 30000;
  const RETRY_MS = 60000;
  const RETRIES_KEY = "schoolward-offline-retries";

  let user = script.dataset.user || "";
  let database = null;
  let currentDraftKey = "";

  // --- Drafts: this person's own database on the phone ---------------------------------------

  function openDatabase() {
    if (!database) {
      database = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_PREFIX + user, 1);
        request.onupgradeneeded = () => request.result.createObjectStore("drafts", { keyPath: "key" });
        request.onsuccess = () => {
          const db = request.result;
          // Another tab is wiping it at sign-out: let go.
          db.onversionchange = () => {
            db.close();
            database = null;
          };
          resolve(db);
        };
        request.onerror = () => reject(request.error);
      });
    }
    return database;
  }

  async function withStore(mode, work) {
    const db = await openDatabase();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("drafts", mode);
      const request = work(transaction.objectStore("drafts"));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  const drafts = {
    get: (key) => withStore("readonly", (store) => store.get(key)),
    all: () => withStore("readonly", (store) => store.getAll()),
    put: (draft) => withStore("readwrite", (store) => store.put(draft)),
    delete: (key) => withStore("readwrite", (store) => store.delete(key)),
  };

  const WAITING = ["queued", "sending"];

  function fixUrl(draft) {
    return draft.key.startsWith("new:") ? `${draft.url}?draft=${encodeURIComponent(draft.key)}` : draft.url;
  }

  // --- Who is signed in on this phone, for the service worker ---------------------------------

  async function signedInOnPhone() {
    const cache = await caches.open(META_CACHE);
    const entry = await cache.match(USER_KEY);
    return entry ? (await entry.text()).trim() : "";
  }

  async function tellPhoneWhoIsSignedIn() {
    if (!("caches" in window)) return;
    const cache = await caches.open(META_CACHE);
    if ((await signedInOnPhone()) === user) return;
    if (!user) {
      // Signed out, or the session ended: the worker serves no one's kept pages until a sign-in.
      await cache.delete(USER_KEY);
      return;
    }
    await cache.put(USER_KEY, new Response(user));
    // Someone else is signed in now: what was kept for the person before is theirs alone.
    for (const name of await caches.keys()) {
      if (name.startsWith(PAGES_PREFIX) && name !== PAGES_PREFIX + user) await caches.delete(name);
    }
  }

  async function registerWorker() {
    if (!("serviceWorker" in navigator) || !user || location.pathname.startsWith(accountsPath)) return;
    try {
      await navigator.serviceWorker.register(script.dataset.worker, { scope: "/", updateViaCache: "none" });
    } catch (error) {
      // No worker (e.g. a private window): pages still work online, drafts still save.
    }
  }

  function pageKey(url) {
    const parsed = new URL(url, location.href);
    return parsed.origin + parsed.pathname;
  }

  async function isKept(url) {
    if (!("caches" in window) || !user || !(await caches.has(PAGES_PREFIX + user))) return false;
    const cache = await caches.open(PAGES_PREFIX + user);
    return Boolean(await cache.match(pageKey(url), { ignoreVary: true }));
  }

  /* The static files this page uses that the worker has not kept yet. */
  async function staticsNotKept() {
    const urls = [...document.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], script[src]")].map(
      (node) => new URL(node.getAttribute("href") || node.getAttribute("src"), location.href).href,
    );
    const missing = [];
    for (const url of new Set(urls)) {
      if (!(await caches.match(url))) missing.push(url);
    }
    return missing;
  }

  /* Have the worker keep the static files this page uses, so the pages it keeps are drawn alike offline. */
  async function keepStatics() {
    if (!("caches" in window) || !navigator.onLine) return;
    if ((await staticsNotKept()).length) await keepForOffline([]);
  }

  /* Ask the worker to fetch these pages and keep them (it keeps only what the server marks),
   * with the static files the page needs to be drawn offline. */
  async function keepForOffline(urls) {
    if (!("serviceWorker" in navigator) || !user) return [];
    // The worker may not control this page yet (it was installed during this visit): ask it anyway.
    const registration = await Promise.race([
      navigator.serviceWorker.ready,
      new Promise((resolve) => setTimeout(() => resolve(null), 10000)),
    ]);
    const worker = registration && registration.active;
    if (!worker) return [];
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve([]), 15000);
      channel.port1.onmessage = (event) => {
        clearTimeout(timer);
        resolve(((event.data && event.data.kept) || []).filter(Boolean));
      };
      staticsNotKept().then((statics) => worker.postMessage({ type: "keep", urls, statics }, [channel.port2]));
    });
  }

  // --- Sending what waits -------------------------------------------------------------------

  function csrfToken() {
    const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function exclusively(work, options = {}) {
    if (navigator.locks) return navigator.locks.request(`schoolward-send-u${user}`, options, work);
    return work({});
  }

  const REFUSED_BECAUSE = {
    400: "Schoolward could not read this visit: open it, check it and send it again.",
    403: "Schoolward refused it: you may no longer log or change this visit (has the school left your caseload?).",
    404: "This visit is no longer on Schoolward, or you can no longer see it.",
  };

  /* Send one draft; the answer decides what stays on the phone. Never throws. */
  async function send(draft, { queued }) {
    const body = new URLSearchParams();
    for (const [name, value] of draft.fields) {
      if (name !== "csrfmiddlewaretoken") body.append(name, value);
    }
    await drafts.put({ ...draft, state: "sending" });
    let response;
    try {
      response = await fetch(draft.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
          "Schoolward-Send": queued ? "queued" : "now",
        },
        signal: AbortSignal.timeout ? AbortSignal.timeout(SEND_TIMEOUT_MS) : undefined,
      });
    } catch (error) {
      await drafts.put({ ...draft, state: "queued", waitingFor: "connection" });
      return { outcome: "offline" };
    }
    let answer = null;
    if ((response.headers.get("Content-Type") || "").startsWith("application/json")) {
      answer = await response.json().catch(() => null);
    }
    if (answer && answer.saved) {
      if (queued) {
        // Only what the page needs to say so: the visit itself, private note included, leaves the phone.
        await drafts.put({ key: draft.key, state: "sent", title: draft.title, url: answer.url, sentAt: Date.now() });
      } else {
        await drafts.delete(draft.key);
      }
      return { outcome: "saved", url: answer.url };
    }
    if (answer && (response.status === 409 || response.status === 422)) {
      await drafts.put({
        ...draft,
        state: "refused",
        message: answer.message || "Schoolward did not save this visit.",
        errors: answer.errors || [],
        conflict: answer.conflict ? { url: answer.url, version: answer.version } : null,
      });
      return { outcome: "refused", answer };
    }
    if (response.redirected) {
      // Sent to the sign-in page: the session ended while the phone was offline.
      await drafts.put({ ...draft, state: "queued", waitingFor: "sign-in" });
      return { outcome: "sign-in" };
    }
    if (response.status === 403 && /CSRF/.test(await response.text().catch(() => ""))) {
      // The page's security token is out of date (a sign-in since): a fresh sign-in sends it.
      await drafts.put({ ...draft, state: "queued", waitingFor: "sign-in" });
      return { outcome: "sign-in" };
    }
    if (REFUSED_BECAUSE[response.status]) {
      await drafts.put({ ...draft, state: "refused", message: REFUSED_BECAUSE[response.status], errors: [] });
      return { outcome: "refused" };
    }
    await drafts.put({ ...draft, state: "queued", waitingFor: "server" });
    return { outcome: "later" };
  }

  /* Save a draft for sending and send it at once; it stays queued when that fails. */
  function sendNow(draft) {
    return exclusively(async () => {
      const queuedDraft = { ...draft, state: "queued", queuedAt: Date.now() };
      await drafts.put(queuedDraft);
      return send(queuedDraft, { queued: false });
    });
  }

  let flushing = null;

  /* Send every visit waiting on the phone, oldest first, each once; stop at the first that cannot go. */
  function flush() {
    if (!user || !navigator.onLine) return showOutbox();
    if (!flushing) {
      flushing = exclusively(async () => {
        const waiting = (await drafts.all())
          .filter((draft) => WAITING.includes(draft.state))
          .sort((a, b) => a.queuedAt - b.queuedAt);
        for (const draft of waiting) {
          const { outcome } = await send(draft, { queued: true });
          if (outcome === "offline" && navigator.onLine) setTimeout(flush, 5000); // the connection is not quite back
          if (outcome === "offline" || outcome === "sign-in" || outcome === "later") break;
        }
      })
        .catch(() => undefined)
        .finally(() => {
          flushing = null;
          document.dispatchEvent(new CustomEvent("schoolward:sent"));
        });
    }
    return flushing.then(showOutbox);
  }

  // --- What waits, shown at the top of every page ----------------------------------------------

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children) {
      if (child !== null && child !== undefined && child !== "") node.append(child);
    }
    return node;
  }

  const WAITING_FOR = {
    "sign-in": "Sign in again to send it.",
    server: "Schoolward could not take it just now; it will try again.",
    connection: "It will be sent to Schoolward when you are back online.",
  };

  function outboxItem(draft) {
    const title = draft.title || "A visit";
    if (draft.state === "sent") {
      return el(
        "div",
        { class: "alert alert-success py-2", "data-outbox": "sent" },
        el("strong", {}, "Saved to Schoolward: "),
        `${title}. `,
        el("a", { href: draft.url }, "Open it"),
      );
    }
    if (draft.state === "refused") {
      const errors = (draft.errors || []).map((error) => el("li", {}, error));
      const discard = el("button", { type: "button", class: "btn btn-sm btn-link p-0 ms-2" }, "Discard it");
      discard.addEventListener("click", async () => {
        if (window.confirm(`Delete “${title}” from this phone? Schoolward does not have it.`)) {
          await drafts.delete(draft.key);
          showOutbox();
        }
      });
      return el(
        "div",
        { class: "alert alert-danger py-2", role: "alert", "data-outbox": "refused" },
        el("strong", {}, `Not saved to Schoolward: ${title}. `),
        errors.length ? el("ul", { class: "mb-1" }, ...errors) : draft.message,
        el("div", {}, el("a", { href: fixUrl(draft) }, "Fix it and send it again"), discard),
      );
    }
    if (WAITING.includes(draft.state)) {
      return el(
        "div",
        { class: "alert alert-warning py-2", "data-outbox": "waiting" },
        el("strong", {}, `Saved on this phone, not yet on Schoolward: ${title}. `),
        WAITING_FOR[draft.waitingFor || "connection"] || WAITING_FOR.connection,
        draft.waitingFor === "sign-in"
          ? el("a", { class: "ms-1", href: `${loginPath}?next=${encodeURIComponent(location.pathname)}` }, "Sign in")
          : null,
        el("a", { class: "ms-2", href: fixUrl(draft) }, "Change it"),
      );
    }
    return el(
      "div",
      { class: "alert alert-secondary py-2", "data-outbox": "draft" },
      `An unfinished visit is saved on this phone: ${title}. `,
      el("a", { href: fixUrl(draft) }, "Carry on with it"),
    );
  }

  async function showOutbox() {
    if (!user) return;
    const main = document.getElementById("main");
    if (!main) return;
    let all;
    try {
      all = await drafts.all();
    } catch (error) {
      return;
    }
    const shown = all
      .filter((draft) => draft.key !== currentDraftKey)
      .sort((a, b) => (a.queuedAt || a.changedAt || 0) - (b.queuedAt || b.changedAt || 0));
    let box = document.getElementById("offline-outbox");
    if (!box) {
      box = el("section", { id: "offline-outbox", "aria-label": "Visits on this phone", "aria-live": "polite" });
      main.prepend(box);
    }
    box.replaceChildren(...shown.map(outboxItem));
    // A visit that reached Schoolward is mentioned once, then forgotten by the phone.
    for (const draft of shown) {
      if (draft.state === "sent") await drafts.delete(draft.key);
    }
  }

  // --- Sign-out wipes this person's drafts and kept pages from the phone ----------------------

  async function wipe() {
    if (database) {
      try {
        (await database).close();
      } catch (error) {
        // Already closed.
      }
      database = null;
    }
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DB_PREFIX + user);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
    if ("caches" in window) {
      for (const name of await caches.keys()) {
        if (name.startsWith(PAGES_PREFIX)) await caches.delete(name);
      }
      await (await caches.open(META_CACHE)).delete(USER_KEY);
    }
  }

  async function signOut(form) {
    let unsent = [];
    try {
      unsent = (await drafts.all()).filter((draft) => draft.state !== "sent");
    } catch (error) {
      // Nothing readable to lose.
    }
    const question =
      unsent.length === 1
        ? "One visit on this phone is not on Schoolward yet. Signing out deletes it from this phone. Sign out anyway?"
        : `${unsent.length} visits on this phone are not on Schoolward yet. Signing out deletes them from this phone. Sign out anyway?`;
    if (unsent.length && !window.confirm(question)) return;
    await wipe().catch(() => undefined);
    form.dataset.wiped = "true";
    form.submit();
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!user || !(form instanceof HTMLFormElement) || form.dataset.wiped) return;
      if (new URL(form.action, location.href).pathname !== logoutPath) return;
      event.preventDefault();
      signOut(form);
    },
    true,
  );

  // --- Start ----------------------------------------------------------------------------------

  async function startOfflinePage() {
    const retry = document.querySelector("[data-offline-retry]");
    if (retry) retry.addEventListener("click", () => location.reload());
    // Try again when the connection returns, and, while the phone says it is online but the page
    // still cannot be reached (weak Wi-Fi, or the connection not quite back), after longer waits.
    window.addEventListener("online", () => setTimeout(() => location.reload(), 500));
    if (navigator.onLine) {
      const tries = Number(sessionStorage.getItem(RETRIES_KEY) || 0);
      sessionStorage.setItem(RETRIES_KEY, String(tries + 1));
      setTimeout(() => location.reload(), Math.min(60000, 2000 * 2 ** tries));
    }
    user = await signedInOnPhone().catch(() => "");
    if (!user) return;
    const formLink = document.querySelector("a[data-offline-form]");
    if (formLink && (await isKept(formLink.href))) {
      for (const node of document.querySelectorAll("[data-offline-form]")) node.hidden = false;
    }
    await showOutbox();
  }

  async function start() {
    if (onOfflinePage) {
      await startOfflinePage();
    } else {
      sessionStorage.removeItem(RETRIES_KEY);
      await tellPhoneWhoIsSignedIn().catch(() => undefined);
      if (user) {
        registerWorker().then(keepStatics);
        window.addEventListener("online", () => flush());
        setInterval(() => flush(), RETRY_MS);
        await flush();
      }
    }
    document.documentElement.dataset.offlineStarted = "true";
  }

  window.SchoolwardOffline = {
    user,
    drafts,
    send,
    sendNow,
    flush,
    showOutbox,
    exclusively,
    keepForOffline,
    isKept,
    staticsNotKept,
    el,
    fixUrl,
    setCurrentDraft(key) {
      currentDraftKey = key;
    },
  };

  const started = start();
  window.SchoolwardOffline.started = started;
})();
