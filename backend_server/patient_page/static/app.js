// The patient's page: shows the conversation, sends messages, files and requests.
// Texts from the server are only ever set with textContent, never parsed as HTML.
"use strict";

(function () {
  const STRINGS = window.PRAXISDESK_STRINGS;
  const LANG_KEY = "praxisdesk.lang";
  const POLL_MS = 5000;
  const MAX_FILE_BYTES = 20 * 1024 * 1024;
  const FILE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "heic", "heif"];
  const MAX_WINDOWS = 5;

  const token = decodeURIComponent(location.pathname.split("/p/")[1] || "").split("/")[0];
  const api = "/api/v1/p/" + encodeURIComponent(token);
  const $ = (id) => document.getElementById(id);

  let lang = "de";
  try {
    lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "de";
  } catch (e) { /* storage may be blocked; German it is */ }

  let data = null;          // the last conversation answer
  const pending = [];       // messages on their way: {key, text, fileName}
  let polling = null;
  let pollBusy = false;
  let readSentFor = "";

  function t(key, vars) {
    let text = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.de[key] || key;
    if (vars) {
      Object.keys(vars).forEach((name) => { text = text.replace("{" + name + "}", vars[name]); });
    }
    return text;
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Pages served over plain http on a LAN are no secure context: no randomUUID there.
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function formatTime(iso) {
    const locale = lang === "de" ? "de-DE" : "en-GB";
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" })
      .format(new Date(iso));
  }

  function formatDate(iso) {
    const locale = lang === "de" ? "de-DE" : "en-GB";
    return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(iso));
  }

  // ---- language -------------------------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      el.textContent = t(el.getAttribute("data-i18n"));
    });
    const switcher = $("lang-switch");
    switcher.textContent = t("switchTo");
    switcher.lang = lang === "de" ? "en" : "de";
    document.title = data ? data.practice_name + " – " + t("pageTitle") : t("pageTitle");
    render();
    forms.onLanguage();
  }

  $("lang-switch").addEventListener("click", () => {
    lang = lang === "de" ? "en" : "de";
    try { localStorage.setItem(LANG_KEY, lang); } catch (e) { /* not remembered then */ }
    applyLanguage();
  });

  // ---- state of the page ----------------------------------------------------------------

  function showInvalid() {
    document.body.dataset.state = "invalid";
    if (polling !== null) { clearInterval(polling); polling = null; }
  }

  async function problemOf(response) {
    try { return await response.json(); } catch (e) { return {}; }
  }

  function problemText(response, problem) {
    const code = problem && problem.code;
    if (code === "attachment_too_large" || response.status === 413) return t("fileTooLarge");
    if (code === "unsupported_media_type" || response.status === 415) return t("fileType");
    if (code === "invalid_filename") return t("fileName");
    if (code === "rate_limited" || response.status === 429) {
      const seconds = (problem && problem.retry_after) || response.headers.get("Retry-After") || 60;
      return t("rateLimited", { seconds: seconds });
    }
    if (code === "conflict") return t("conflict");
    if (code === "validation_error") return t("invalidInput");
    return t("sendFailed");
  }

  // ---- loading and showing the conversation ---------------------------------------------

  async function refresh() {
    if (pollBusy || document.body.dataset.state === "invalid") return;
    pollBusy = true;
    try {
      const response = await fetch(api + "/conversation", { cache: "no-store" });
      if (response.status === 404) { showInvalid(); return; }
      if (!response.ok) return;   // e.g. 429: the next poll tries again
      data = await response.json();
      $("loading").hidden = true;
      const status = $("composer-status");
      if (status.classList.contains("offline")) {
        status.textContent = "";
        status.classList.remove("offline");
      }
      render();
      markRead();
      forms.onConversation(data);
    } catch (e) {
      const status = $("composer-status");
      if (!status.textContent) { status.textContent = t("offline"); status.classList.add("offline"); }
    } finally {
      pollBusy = false;
    }
  }

  function markRead() {
    // The read endpoint sets read_at on the staff messages the patient has now seen.
    if (!data) return;
    const unread = data.messages.filter((m) => m.author === "staff" && m.read_at === null);
    if (!unread.length) return;
    const marker = unread[unread.length - 1].id;
    if (marker === readSentFor) return;
    readSentFor = marker;
    fetch(api + "/read", { method: "POST" }).catch(() => { readSentFor = ""; });
  }

  function attachmentLink(att) {
    // A file still being sent has no id yet: its name only, no link.
    const a = document.createElement(att.id ? "a" : "span");
    if (att.id) {
      a.href = api + "/attachments/" + encodeURIComponent(att.id);
      a.setAttribute("download", att.filename || "");
    }
    a.className = "attachment";
    a.textContent = "📎 " + (att.filename || t("attachment"));
    return a;
  }

  function messageItem(m) {
    const li = document.createElement("li");
    li.className = "msg " + (m.author === "patient" ? "mine" : "theirs");
    li.dataset.id = m.id || "";
    const who = document.createElement("p");
    who.className = "who";
    who.textContent = m.author === "patient" ? t("you") : (data ? data.practice_name : t("practice"));
    li.appendChild(who);
    if (m.text) {
      const body = document.createElement("p");
      body.className = "text";
      body.textContent = m.text;
      li.appendChild(body);
    }
    (m.attachments || []).forEach((att) => li.appendChild(attachmentLink(att)));
    const meta = document.createElement("p");
    meta.className = "meta";
    const time = document.createElement("time");
    if (m.created_at) {
      time.dateTime = m.created_at;
      time.textContent = formatTime(m.created_at);
    } else {
      time.textContent = t("sending");
    }
    meta.appendChild(time);
    if (m.author === "patient" && m.created_at) {
      const tick = document.createElement("span");
      const isRead = Boolean(m.read_at);
      tick.className = "ticks" + (isRead ? " read" : "");
      tick.textContent = isRead ? " ✓✓" : " ✓";
      tick.title = isRead ? t("read") : t("delivered");
      tick.setAttribute("aria-label", tick.title);
      meta.appendChild(tick);
    }
    li.appendChild(meta);
    return li;
  }

  function inquiryItem(q) {
    const li = document.createElement("li");
    li.className = "msg mine inquiry-item";
    const who = document.createElement("p");
    who.className = "who";
    who.textContent = t("inquiry") + ": " + t("type_" + q.type) + " (" + t("status_" + q.status) + ")";
    li.appendChild(who);
    if (q.text) {
      const body = document.createElement("p");
      body.className = "text";
      body.textContent = q.text;
      li.appendChild(body);
    }
    const meta = document.createElement("p");
    meta.className = "meta";
    const time = document.createElement("time");
    time.dateTime = q.created_at;
    time.textContent = formatTime(q.created_at);
    meta.appendChild(time);
    li.appendChild(meta);
    return li;
  }

  // Rendered items by key; a poll that brings nothing new changes nothing in the DOM, so
  // screen readers (the thread is an aria-live log) announce only what is really new.
  const rendered = new Map();

  function keyed(key, signature, build) {
    const known = rendered.get(key);
    if (known && known.signature === signature) return known.node;
    const node = build();
    rendered.set(key, { signature: signature, node: node });
    return node;
  }

  function render() {
    if (!data) return;
    $("practice-name").removeAttribute("data-i18n");
    $("practice-name").textContent = data.practice_name;
    document.title = data.practice_name + " – " + t("pageTitle");
    const thread = $("thread");
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    const entries = data.messages.map((m) => ({
      at: m.created_at, key: "m:" + m.id,
      // read_at shows only on the patient's own messages (the ticks)
      signature: JSON.stringify([lang, data.practice_name, m.text,
        m.author === "patient" ? Boolean(m.read_at) : null, m.attachments || []]),
      build: () => messageItem(m) }))
      .concat((data.inquiries || []).map((q) => ({
        at: q.created_at, key: "q:" + q.id, signature: JSON.stringify([lang, q.status]),
        build: () => inquiryItem(q) })));
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const known = new Set(data.messages.map((m) => m.id));
    pending.filter((p) => !known.has(p.id)).forEach((p) => {
      entries.push({ key: "p:" + p.key, signature: lang, build: () => messageItem({
        author: "patient", text: p.text,
        attachments: p.fileName ? [{ id: "", filename: p.fileName }] : [] }) });
    });
    if (!entries.length) {
      entries.push({ key: "empty", signature: lang, build: () => {
        const li = document.createElement("li");
        li.className = "muted";
        li.textContent = t("empty");
        return li;
      } });
    }
    const wanted = entries.map((e) => keyed(e.key, e.signature, e.build));
    const keep = new Set(entries.map((e) => e.key));
    Array.from(rendered.keys()).forEach((key) => { if (!keep.has(key)) rendered.delete(key); });
    wanted.forEach((node, index) => {
      const current = thread.children[index];
      if (current !== node) thread.insertBefore(node, current || null);
    });
    while (thread.children.length > wanted.length) thread.lastElementChild.remove();
    $("expiry").textContent = t("validUntil", { date: formatDate(data.link_expires_at) });
    // (not while a form is open: the conversation is hidden then)
    if (atBottom && document.body.dataset.view !== "form") window.scrollTo(0, document.body.scrollHeight);
  }

  // ---- sending, with one idempotency key per send kept across its retries ----------------

  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  // Retries network failures, 5xx and short 429s with the same key; the server stores a
  // send once per key, so a retry after a lost answer cannot duplicate it.
  async function sendWithRetries(makeRequest) {
    let last = null;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt) await sleep(500 * 2 ** (attempt - 1));
      try {
        last = await makeRequest();
      } catch (e) {
        last = null;
        continue;
      }
      if (last.ok || (last.status < 500 && last.status !== 429)) return last;
      if (last.status === 429 && Number(last.headers.get("Retry-After") || 60) > 5) return last;
    }
    return last;
  }

  async function report(statusEl, response) {
    if (response === null) { statusEl.textContent = t("sendFailed"); return; }
    if (response.status === 404) { showInvalid(); return; }
    statusEl.textContent = problemText(response, await problemOf(response));
  }

  const composer = { key: null, busy: false };
  const textArea = $("message-text");
  const fileInput = $("file-input");

  function resetComposerKey() { if (!composer.busy) composer.key = null; }
  textArea.addEventListener("input", resetComposerKey);

  function fileProblem(file) {
    if (!file) return "";
    const ext = (file.name.split(".").pop() || "").toLowerCase();
    if (file.size > MAX_FILE_BYTES) return t("fileTooLarge");
    if (!FILE_EXTENSIONS.includes(ext)) return t("fileType");
    return "";
  }

  function showFile() {
    const file = fileInput.files[0];
    const name = $("file-name");
    if (file) {
      name.removeAttribute("data-i18n");
      name.textContent = file.name;
    } else {
      name.setAttribute("data-i18n", "noFile");
      name.textContent = t("noFile");
    }
    $("file-clear").hidden = !file;
  }

  fileInput.addEventListener("change", () => {
    resetComposerKey();
    showFile();
    $("composer-status").textContent = fileProblem(fileInput.files[0]);
  });

  $("file-clear").addEventListener("click", () => {
    fileInput.value = "";
    resetComposerKey();
    showFile();
    $("composer-status").textContent = "";
    fileInput.focus();
  });

  textArea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });

  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (composer.busy) return;
    const status = $("composer-status");
    const text = textArea.value;
    const file = fileInput.files[0] || null;
    if (!text.trim() && !file) { status.textContent = t("emptyMessage"); textArea.focus(); return; }
    const problem = fileProblem(file);
    if (problem) { status.textContent = problem; fileInput.focus(); return; }
    composer.busy = true;
    composer.key = composer.key || newKey();
    const key = composer.key;
    const entry = { key: key, text: text, fileName: file ? file.name : "" };
    pending.push(entry);
    status.textContent = t("sending");
    $("send-button").disabled = true;
    render();
    const response = await sendWithRetries(() => {
      if (file) {
        const form = new FormData();
        form.append("file", file, file.name);
        if (text.trim()) form.append("text", text);
        return fetch(api + "/messages/upload", { method: "POST", body: form,
          headers: { "Idempotency-Key": key } });
      }
      return fetch(api + "/messages", { method: "POST", body: JSON.stringify({ text: text }),
        headers: { "Idempotency-Key": key, "Content-Type": "application/json" } });
    });
    composer.busy = false;
    $("send-button").disabled = false;
    if (response && response.ok) {
      const message = await response.json();
      entry.id = message.id;
      if (data && !data.messages.some((m) => m.id === message.id)) data.messages.push(message);
      pending.splice(pending.indexOf(entry), 1);
      if (textArea.value === text) textArea.value = "";
      fileInput.value = "";
      showFile();
      composer.key = null;
      status.textContent = t("sent");
      render();
      refresh();
    } else {
      pending.splice(pending.indexOf(entry), 1);
      render();
      await report(status, response);
    }
  });

  // ---- inquiries ------------------------------------------------------------------------

  const inquiry = { key: null, busy: false };
  const inquiryForm = $("inquiry-form");
  inquiryForm.addEventListener("input", () => { if (!inquiry.busy) inquiry.key = null; });

  function showInquiryFields() {
    const type = $("inquiry-type").value;
    inquiryForm.querySelectorAll("fieldset[data-type]").forEach((fs) => {
      fs.hidden = fs.dataset.type !== type;
    });
  }
  $("inquiry-type").addEventListener("change", showInquiryFields);

  function addWindow() {
    const list = $("appt-windows");
    if (list.children.length >= MAX_WINDOWS) return;
    const item = $("window-template").content.firstElementChild.cloneNode(true);
    item.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.getAttribute("data-i18n")); });
    item.querySelector(".w-remove").addEventListener("click", () => {
      if (list.children.length > 1) { item.remove(); updateWindowButtons(); }
    });
    list.appendChild(item);
    updateWindowButtons();
  }

  function updateWindowButtons() {
    const list = $("appt-windows");
    $("appt-add").disabled = list.children.length >= MAX_WINDOWS;
    list.querySelectorAll(".w-remove").forEach((b) => { b.disabled = list.children.length <= 1; });
  }
  $("appt-add").addEventListener("click", addWindow);

  function inquiryDetails(type) {
    if (type === "appointment") {
      const reason = $("appt-reason").value.trim();
      if (!reason) return { error: "needReason" };
      const windows = [];
      for (const item of $("appt-windows").children) {
        const start = item.querySelector(".w-start").value;
        const end = item.querySelector(".w-end").value;
        if (!start && !end) continue;
        const s = new Date(start), e = new Date(end);
        if (!start || !end || isNaN(s) || isNaN(e) || s >= e) return { error: "needWindow" };
        windows.push({ start: s.toISOString(), end: e.toISOString() });
      }
      if (windows.length < 1 || windows.length > MAX_WINDOWS) return { error: "needWindow" };
      return { details: { reason: reason, preferred_windows: windows } };
    }
    if (type === "prescription") {
      const meds = $("rx-meds").value.split("\n").map((s) => s.trim()).filter(Boolean);
      if (meds.length < 1 || meds.length > 10 || meds.some((m) => m.length > 200)) return { error: "needMeds" };
      return { details: { medications: meds } };
    }
    if (type === "referral") {
      const specialty = $("ref-specialty").value.trim();
      return specialty ? { details: { specialty: specialty } } : { error: "needSpecialty" };
    }
    if (type === "sick_note") {
      const from = $("sick-from").value, to = $("sick-to").value;
      if (!from || !to || from > to) return { error: "needDates" };
      return { details: { from: from, to: to } };
    }
    if (type === "results") {
      const subject = $("res-subject").value.trim();
      return subject ? { details: { subject: subject } } : { error: "needSubject" };
    }
    return { details: {} };
  }

  inquiryForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (inquiry.busy) return;
    const status = $("inquiry-status");
    const type = $("inquiry-type").value;
    const built = inquiryDetails(type);
    if (built.error) { status.textContent = t(built.error); return; }
    const body = { type: type, details: built.details, text: $("inquiry-text").value.trim() };
    inquiry.busy = true;
    inquiry.key = inquiry.key || newKey();
    const key = inquiry.key;
    status.textContent = t("sending");
    $("inquiry-send").disabled = true;
    const response = await sendWithRetries(() => fetch(api + "/inquiries", {
      method: "POST", body: JSON.stringify(body),
      headers: { "Idempotency-Key": key, "Content-Type": "application/json" } }));
    inquiry.busy = false;
    $("inquiry-send").disabled = false;
    if (response && response.ok) {
      inquiryForm.reset();
      $("appt-windows").replaceChildren();
      addWindow();
      showInquiryFields();
      inquiry.key = null;
      status.textContent = t("inquirySent");
      refresh();
    } else {
      await report(status, response);
    }
  });

  // ---- forms (forms.js) -----------------------------------------------------------------

  const forms = window.PRAXISDESK_FORMS.start({
    api: api, t: t, lang: () => lang, newKey: newKey, sendWithRetries: sendWithRetries,
    showInvalid: showInvalid, problemOf: problemOf, problemText: problemText,
    formatTime: formatTime, refresh: refresh,
  });

  // ---- start ----------------------------------------------------------------------------

  addWindow();
  showInquiryFields();
  applyLanguage();
  if (document.body.dataset.state !== "invalid") {
    refresh();
    forms.start();
    polling = setInterval(refresh, POLL_MS);
  }
})();
