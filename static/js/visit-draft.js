/* The visit form on a phone. Every change is saved as a draft on this phone (restored on reload,
 * after a crash or a flat battery), a line says whether the visit is saved on this phone or on
 * Schoolward, "Save visit" keeps the visit on the phone when there is no connection (offline.js
 * sends it later), and, offline, what the form would ask the server for (a school's goals, the
 * levels of their practices, a next-step row) is drawn from the data the phone kept for the form.
 * Without JavaScript none of this runs and the form posts as usual. */
(() => {
  "use strict";

  const api = window.SchoolwardOffline;
  const form = document.getElementById("visit-form");
  if (!api || !api.user || !form || !("indexedDB" in window)) return;

  const { el } = api;
  const visitId = form.dataset.visit || "";
  const isNew = !visitId;
  const bound = form.dataset.bound === "true";
  const formUrl = location.pathname;
  const dataUrl = form.dataset.offlineData;
  const template = document.getElementById("next-step-template");
  const MANAGEMENT = new Set(["csrfmiddlewaretoken", "steps-TOTAL_FORMS", "steps-INITIAL_FORMS", "steps-MIN_NUM_FORMS", "steps-MAX_NUM_FORMS"]);

  let kit = null;
  let draftKey = "";
  let state = "none";
  let saving = Promise.resolve();
  let savedUrl = "";

  const problem = el("div", { id: "draft-problem" });
  const status = el("div", { id: "draft-status", class: "small mb-3", role: "status" });
  const ready = el("p", { id: "offline-ready", class: "small text-success mb-2", hidden: "" }, "This form works offline on this phone.");
  form.before(problem, status, ready);

  // --- The line that says where the visit is saved ----------------------------------------------

  function clock(when) {
    return new Date(when).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  const BADGES = {
    none: ["text-bg-light border", isNew ? "New visit" : "On Schoolward"],
    editing: ["text-bg-warning", "On this phone"],
    queued: ["text-bg-warning", "On this phone"],
    sending: ["text-bg-info", "Sending"],
    refused: ["text-bg-danger", "Not on Schoolward"],
    saved: ["text-bg-success", "On Schoolward"],
  };

  function showStatus(changedAt) {
    const texts = {
      none: isNew
        ? "What you type is saved on this phone as you go."
        : "Saved to Schoolward. Changes you make are saved on this phone as you go.",
      editing: `Saved on this phone at ${clock(changedAt || Date.now())}; not yet sent to Schoolward.`,
      queued: "Saved on this phone, waiting to be sent to Schoolward when the connection returns.",
      sending: "Sending to Schoolward…",
      refused: "Schoolward did not save it (see why above); it is still saved on this phone.",
      saved: "Saved to Schoolward.",
    };
    const [tone, label] = BADGES[state];
    status.dataset.state = state;
    const parts = [el("span", { class: `badge ${tone} me-1` }, label), texts[state]];
    if (state === "editing" || state === "refused") {
      const discard = el("button", { type: "button", class: "btn btn-link btn-sm p-0 ms-1 align-baseline" }, "Discard");
      discard.addEventListener("click", discardDraft);
      parts.push(discard);
    }
    if (state === "saved" && savedUrl) parts.push(" ", el("a", { href: savedUrl }, "Open it"));
    if (state === "queued") {
      const change = el("button", { type: "button", class: "btn btn-link btn-sm p-0 ms-1 align-baseline" }, "Change it");
      change.addEventListener("click", takeBack);
      parts.push(change);
    }
    status.replaceChildren(...parts);
  }

  function showProblem(draft) {
    if (!draft || draft.state !== "refused") {
      problem.replaceChildren();
      return;
    }
    const errors = (draft.errors || []).map((error) => el("li", {}, error));
    const parts = [el("strong", {}, draft.message)];
    if (errors.length) parts.push(el("ul", { class: "mb-1" }, ...errors));
    if (draft.conflict) {
      parts.push(
        el(
          "p",
          { class: "mb-0" },
          "Your changes are below. Compare them with ",
          el("a", { href: draft.conflict.url, target: "_blank" }, "the saved visit"),
          "; press “Save visit” to save yours over it, or discard yours.",
        ),
      );
    } else {
      parts.push(el("p", { class: "mb-0" }, "Fix what it says below, then press “Save visit” to send it again."));
    }
    problem.replaceChildren(el("div", { class: "alert alert-danger", role: "alert", "data-testid": "draft-problem" }, ...parts));
  }

  // --- Reading and writing the draft -------------------------------------------------------------

  function newClientId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function fields() {
    const list = [];
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") list.push([name, value]);
    }
    return list;
  }

  function title() {
    const school = field("school");
    const name = school && school.selectedIndex > 0 ? school.options[school.selectedIndex].text : "No school chosen";
    const date = field("date") && field("date").value;
    const day = date ? new Date(`${date}T12:00`).toLocaleDateString([], { month: "short", day: "numeric" }) : "";
    return day ? `${name} · ${day}` : name;
  }

  function snapshot() {
    return { key: draftKey, url: formUrl, fields: fields(), title: title(), changedAt: Date.now() };
  }

  function saveDraft() {
    saving = saving.then(async () => {
      if (state === "queued" || state === "sending" || state === "saved") return;
      const draft = { ...snapshot(), state: "editing" };
      await api.drafts.put(draft);
      state = "editing";
      showStatus(draft.changedAt);
    });
    return saving.catch(() => undefined);
  }

  async function discardDraft() {
    if (!window.confirm("Discard what is saved on this phone for this visit?")) return;
    await api.drafts.delete(draftKey);
    location.assign(formUrl);
  }

  function lock(locked) {
    for (const set of form.querySelectorAll("fieldset")) set.disabled = locked;
    for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = locked;
  }

  /* Take a visit waiting on the phone back to change it, unless it is being sent right now. */
  function takeBack() {
    api.exclusively(
      async (held) => {
        if (!held) return;
        const draft = await api.drafts.get(draftKey);
        if (!draft || draft.state !== "queued") return;
        await api.drafts.put({ ...draft, state: "editing", changedAt: Date.now() });
        state = "editing";
        lock(false);
        showStatus();
      },
      { ifAvailable: true },
    );
  }

  // --- Drawing what htmx would fetch, from the data kept for the form ---------------------------

  function hiddenInput(name, value) {
    return el("input", { type: "hidden", name, value });
  }

  function pointAddButtonAt(next) {
    const button = document.getElementById("add-step");
    if (!button) return;
    const url = new URL(button.getAttribute("hx-get"), location.href);
    url.searchParams.set("index", String(next));
    const fresh = button.cloneNode(true);
    fresh.setAttribute("hx-get", url.pathname + url.search);
    fresh.removeAttribute("hx-swap-oob");
    button.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  function addStep() {
    const total = field("steps-TOTAL_FORMS");
    const index = Number(total.value);
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replaceAll("__prefix__", String(index)); // the server's own row
    const row = holder.firstElementChild;
    document.getElementById("next-steps").append(row);
    total.value = String(index + 1);
    pointAddButtonAt(index + 1);
    if (window.htmx) window.htmx.process(row);
    return row;
  }

  function removeStep(row) {
    const prefix = row.id.slice("step-".length);
    const id = row.querySelector(`[name="${prefix}-id"]`);
    const gone = el("div", { id: row.id, hidden: "" }, hiddenInput(`${prefix}-DELETE`, "on"));
    if (id && id.value) gone.append(hiddenInput(`${prefix}-id`, id.value));
    row.replaceWith(gone);
    return gone;
  }

  function schoolData() {
    const school = field("school");
    return kit && school ? kit.schools.find((each) => String(each.id) === school.value) : undefined;
  }

  function ticked() {
    return [...form.querySelectorAll("input[name=focus_goals]:checked")].map((box) => box.value);
  }

  function observedLevel(school, goals) {
    const practices = new Set((school ? school.goals : []).filter((g) => goals.includes(String(g.id))).map((g) => g.practice));
    const groups = kit.practices.filter((practice) => practices.has(practice.id));
    let content = null;
    if (groups.length) {
      const options = groups.map((practice) =>
        el("optgroup", { label: practice.name }, ...practice.levels.map((level) => el("option", { value: String(level.id) }, level.label))),
      );
      content = el(
        "div",
        { class: "mb-3" },
        el("label", { class: "form-label", for: "id_observed_level" }, kit.labels.observed_level),
        el("select", { name: "observed_level", class: "form-select", id: "id_observed_level" }, el("option", { value: "" }, "—"), ...options),
      );
    } else if (school && school.goals.length) {
      content = el("p", { class: "small text-secondary" }, kit.labels.tick_a_goal);
    }
    return el("div", { id: "observed-level" }, content);
  }

  function renderObservedLevel(goals = ticked()) {
    const holder = document.getElementById("observed-level");
    if (!holder || !kit) return false;
    const before = field("observed_level");
    const fresh = observedLevel(schoolData(), goals);
    holder.replaceWith(fresh);
    const select = fresh.querySelector("select");
    if (select && before && before.value) select.value = before.value;
    return true;
  }

  function renderFocusFields() {
    const holder = document.getElementById("focus-fields");
    if (!holder || !kit) return false;
    const school = schoolData();
    const path = (form.querySelector("[hx-target='#focus-fields']") || form).getAttribute("hx-get") || formUrl;
    let goals;
    if (!school) {
      goals = el("p", { class: "small text-secondary" }, kit.labels.choose_school);
    } else if (!school.goals.length) {
      const draftOne = el("a", { href: `${form.dataset.goalUrl}?school=${encodeURIComponent(school.code)}` }, "Draft one");
      goals = el("p", { class: "small text-secondary" }, `${school.name} ${kit.labels.no_goals} `, draftOne, ".");
    } else {
      const boxes = school.goals.map((goal, index) => {
        const id = `id_focus_goals_${index}`;
        return el(
          "div",
          { class: "form-check" },
          el("input", { class: "form-check-input", type: "checkbox", name: "focus_goals", value: String(goal.id), id }),
          el("label", { class: "form-check-label", for: id }, goal.label),
        );
      });
      goals = el(
        "div",
        { "hx-get": path, "hx-trigger": "change", "hx-include": "#id_school, [name='focus_goals']", "hx-target": "#observed-level", "hx-swap": "outerHTML" },
        el("div", { class: "mb-3" }, el("label", { class: "form-label" }, kit.labels.focus_goals), el("div", { id: "id_focus_goals" }, ...boxes)),
      );
    }
    const fresh = el("div", { id: "focus-fields" }, goals, observedLevel(school, []));
    holder.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    return true;
  }

  function today() {
    const now = new Date();
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  }

  function statusForDate() {
    const date = field("date") && field("date").value;
    if (!date) return;
    const wanted = date > today() ? "planned" : "done";
    for (const radio of form.querySelectorAll("input[name=status]")) radio.checked = radio.value === wanted;
  }

  /* Do here what the htmx request for ``target`` would have done; false when it cannot be. */
  function drawHere(target) {
    if (!target || !target.id) return false;
    if (target.id === "next-steps") return Boolean(addStep());
    if (target.id.startsWith("step-")) return Boolean(removeStep(target));
    if (target.id === "focus-fields") return renderFocusFields();
    if (target.id === "observed-level") return renderObservedLevel();
    if (target.id === "status-field") {
      statusForDate();
      return true;
    }
    return false;
  }

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (navigator.onLine || !form.contains(event.detail.elt)) return;
    if (drawHere(event.detail.target)) {
      event.preventDefault();
      saveDraft();
    }
  });
  document.body.addEventListener("htmx:sendError", (event) => {
    if (form.contains(event.detail.elt) && drawHere(event.detail.target)) saveDraft();
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (form.contains(event.detail.elt) || form.contains(event.detail.target)) saveDraft();
  });

  // --- Restoring a draft -------------------------------------------------------------------------

  function restore(draft) {
    const values = new Map();
    for (const [name, value] of draft.fields) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    const first = (name) => (values.get(name) || [])[0];
    const total = Number(first("steps-TOTAL_FORMS") || 0);
    for (let index = 0; index < total; index += 1) {
      const row = document.getElementById(`step-steps-${index}`) || addStep();
      if (values.has(`steps-${index}-DELETE`) && !row.hidden) removeStep(row);
    }
    const school = field("school");
    if (school && !school.disabled && values.has("school") && school.value !== first("school")) {
      school.value = first("school");
      renderFocusFields();
    }
    const goals = values.get("focus_goals") || [];
    const shown = ticked();
    if (goals.length !== shown.length || goals.some((goal) => !shown.includes(goal))) renderObservedLevel(goals);
    for (const control of form.elements) {
      const name = control.name;
      if (!name || MANAGEMENT.has(name) || name.endsWith("-DELETE") || control.disabled || control.type === "submit") continue;
      const wanted = values.get(name) || [];
      if (control.type === "checkbox" || control.type === "radio") {
        control.checked = wanted.includes(control.value);
      } else if (control.type === "select-multiple") {
        for (const option of control.options) option.selected = wanted.includes(option.value);
      } else if (values.has(name)) {
        control.value = wanted[0];
      }
    }
    if (draft.conflict && field("version")) field("version").value = String(draft.conflict.version);
  }

  async function loadKit() {
    try {
      const response = await fetch(dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const type = response.headers.get("Content-Type") || "";
      return response.ok && type.startsWith("application/json") ? await response.json() : null;
    } catch (error) {
      return null;
    }
  }

  async function draftToOpen() {
    if (bound) return null; // the server drew the form as it was sent: nothing to restore over it
    if (!isNew) return api.drafts.get(`edit:${visitId}`);
    const asked = new URLSearchParams(location.search).get("draft");
    if (asked) return api.drafts.get(asked);
    const unfinished = (await api.drafts.all())
      .filter((draft) => draft.key.startsWith("new:") && draft.state === "editing")
      .sort((a, b) => b.changedAt - a.changedAt);
    return unfinished[0] || null;
  }

  // --- Saving the visit ------------------------------------------------------------------------------

  async function submit(submitter) {
    await saving;
    const draft = snapshot();
    state = "sending";
    showStatus();
    lock(true);
    const result = await api.sendNow(draft);
    if (result.outcome === "saved") {
      state = "saved";
      showStatus();
      location.assign(result.url);
      return;
    }
    if (result.outcome === "refused") {
      // The server draws the form with its errors beside the fields, as it does without JavaScript.
      await api.drafts.put({ ...draft, state: "editing" });
      lock(false);
      const token = form.querySelector("[name=csrfmiddlewaretoken]");
      const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (token && cookie) token.value = decodeURIComponent(cookie[1]);
      form.dataset.native = "true";
      form.requestSubmit(submitter || undefined);
      return;
    }
    // No connection, or no session: the visit waits on the phone and offline.js sends it later.
    state = "queued";
    if (isNew) {
      location.assign(formUrl); // a blank form for the next visit; the one saved is listed above it
      return;
    }
    showStatus();
    api.showOutbox();
  }

  /* The visits waiting on the phone were just sent: say what became of this one. */
  async function afterSending() {
    if (state !== "queued") return;
    const draft = await api.drafts.get(draftKey).catch(() => null);
    if (!draft || draft.state === "sent") {
      state = "saved";
      savedUrl = draft ? draft.url : "";
      if (draft) await api.drafts.delete(draftKey);
    } else if (draft.state === "refused") {
      state = "refused";
      lock(false);
      if (draft.conflict && field("version")) field("version").value = String(draft.conflict.version);
      showProblem(draft);
    } else {
      return;
    }
    showStatus();
  }

  document.addEventListener("schoolward:sent", afterSending);

  form.addEventListener("submit", (event) => {
    if (form.dataset.native === "true") return;
    event.preventDefault();
    if (state === "sending" || state === "queued") return;
    submit(event.submitter);
  });

  // --- Start -----------------------------------------------------------------------------------------

  async function readyOffline() {
    if (!isNew) return;
    let kept = (await api.isKept(formUrl)) && (await api.isKept(dataUrl)) && !(await api.staticsNotKept()).length;
    if (!kept && navigator.onLine) {
      await api.keepForOffline([formUrl, dataUrl]);
      kept = (await api.isKept(formUrl)) && (await api.isKept(dataUrl)) && !(await api.staticsNotKept()).length;
    }
    if (kept) {
      ready.hidden = false;
      form.dataset.offlineReady = "true";
    }
  }

  async function start() {
    const kitLoading = loadKit();
    const draft = await draftToOpen().catch(() => null);
    kit = await kitLoading;
    if (draft && draft.fields) {
      restore(draft);
      draftKey = draft.key;
      state = draft.state === "sending" ? "queued" : draft.state;
      showProblem(draft);
      if (state === "queued") lock(true);
    } else {
      if (isNew && !bound && field("client_id")) field("client_id").value = newClientId();
      draftKey = isNew ? `new:${field("client_id").value}` : `edit:${visitId}`;
      if (bound) {
        const before = await api.drafts.get(draftKey).catch(() => null);
        state = before ? "editing" : "none";
      }
    }
    api.setCurrentDraft(draftKey);
    showStatus(draft && draft.changedAt);
    await api.showOutbox();
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.dataset.draftReady = "true";
    await readyOffline();
  }

  start();
})();
