// The "Formulare" part of the patient page: the conversation's forms, one form rendered from
// its definition (backend_server/forms/definition.py), the draft saved while the patient
// types, the signature pad, and submission. The checks mirror backend_server/forms/answers.py
// (the server decides; these only give the patient the same message earlier).
// Texts from the definition are set with textContent only, never parsed as HTML.
"use strict";

window.PRAXISDESK_FORMS = (function () {
  const DRAFT_DELAY_MS = 1000;
  const HASH_PREFIX = "#formular-";
  // Same limits as answers.py.
  const MAX_STROKES = 100;
  const MAX_POINTS = 5000;
  const MIN_PATH_LENGTH = 40;
  const MIN_PATH_RATIO = 0.08;
  const MIN_EXTENT = 10;
  const MIN_EXTENT_RATIO = 0.03;
  const DEFAULT_MAX_LENGTH = { text: 500, long_text: 5000 };
  const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;
  // eslint-disable-next-line no-control-regex
  const CONTROL_MULTI_LINE = /[\x00-\x08\x0b-\x1f\x7f]/;
  // eslint-disable-next-line no-control-regex
  const CONTROL_SINGLE_LINE = /[\x00-\x1f\x7f]/;
  // fetch keepalive bodies are limited to 64 KiB in browsers; larger ones go without it.
  const KEEPALIVE_MAX = 60000;

  function start(page) {
    const t = page.t;
    const $ = (id) => document.getElementById(id);
    let forms = [];          // the list: [{id, title, status, created_at, submitted_at}]
    let lastMessageId = null;
    let current = null;      // the open form, see openForm()
    let listBusy = false;
    let listStale = true;    // the last load failed (offline, 429): try again with the next poll

    function el(tag, className, text) {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined && text !== null) node.textContent = text;
      return node;
    }

    function formUrl(id) { return page.api + "/forms/" + encodeURIComponent(id); }

    // ---- the list -------------------------------------------------------------------------

    async function loadList() {
      if (listBusy) return;
      listBusy = true;
      try {
        const response = await fetch(page.api + "/forms", { cache: "no-store" });
        // A dead link is noticed by the conversation poll, which shows the notice.
        if (!response.ok) return;
        forms = await response.json();
        listStale = false;
        renderList();
      } catch (e) {
        // offline: the conversation poll tells the patient; the list comes with the next change
      } finally {
        listBusy = false;
      }
    }

    function renderList() {
      const section = $("forms");
      const list = $("form-list");
      section.hidden = !forms.length;
      list.replaceChildren(...forms.map((f) => {
        const li = el("li", "form-item " + (f.status === "submitted" ? "done" : "open"));
        const text = el("div", "form-item-text");
        text.appendChild(el("p", "form-item-title", f.title));
        const state = el("p", "form-item-state");
        state.textContent = f.status === "submitted" && f.submitted_at
          ? t("formSubmittedOn", { date: page.formatTime(f.submitted_at) })
          : t("formOpen");
        text.appendChild(state);
        li.appendChild(text);
        const button = el("button", f.status === "submitted" ? "" : "primary");
        button.type = "button";
        button.appendChild(document.createTextNode(
          f.status === "submitted" ? t("formShow") : t("formFill")));
        button.appendChild(el("span", "visually-hidden", ": " + f.title));
        button.addEventListener("click", () => { location.hash = HASH_PREFIX + f.id; });
        li.appendChild(button);
        return li;
      }));
    }

    // ---- rules (mirror of answers.py) -----------------------------------------------------

    function allFields(definition) {
      const out = [];
      definition.sections.forEach((s) => s.fields.forEach((f) => out.push(f)));
      return out;
    }

    function isRequired(field) { return Boolean(field.required || field.must_accept); }

    function textLimit(field) {
      return field.max_length || DEFAULT_MAX_LENGTH[field.type] || DEFAULT_MAX_LENGTH.text;
    }

    function numberText(value) { return String(value).replace(".", ","); }

    function requiredCode(field) {
      if (field.type === "signature") return "required_signature";
      if (field.type === "yes_no" && field.must_accept) return "must_accept";
      if (["single_choice", "multiple_choice", "yes_no"].includes(field.type)) return "required_choice";
      return "required";
    }

    // {value} for an answer, {} for "not answered", {code, vars} for a problem.
    function cleanValue(field, raw) {
      if (raw === undefined || raw === null) return {};
      const kind = field.type;
      if (kind === "text" || kind === "long_text") {
        if (typeof raw !== "string") return { code: "type_text" };
        let text = raw.replace(/\r\n/g, "\n").replace(/\r/g, "\n").trim();
        if (!text) return {};
        const control = kind === "long_text" ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE;
        // A single line pasted with tabs or line breaks becomes one line, as on the server.
        if (control.test(text) && kind === "text") text = text.split(/\s+/).join(" ");
        if (control.test(text)) return { code: "invalid_text" };
        if (Array.from(text).length > textLimit(field)) {
          return { code: "too_long", vars: { n: textLimit(field) } };
        }
        return { value: text };
      }
      if (kind === "number") {
        let value;
        if (typeof raw === "number") {
          value = raw;
        } else if (typeof raw === "string") {
          const text = raw.trim();
          if (!text) return {};
          if (text.length > 40 || !NUMBER.test(text)) return { code: "type_number" };
          value = Number(text.replace(",", "."));
        } else {
          return { code: "type_number" };
        }
        if (!Number.isFinite(value)) return { code: "type_number" };
        if (field.min !== null && field.min !== undefined && value < field.min) {
          return { code: "too_small", vars: { n: numberText(field.min) } };
        }
        if (field.max !== null && field.max !== undefined && value > field.max) {
          return { code: "too_large", vars: { n: numberText(field.max) } };
        }
        return { value: value };
      }
      if (kind === "date") {
        if (raw === "") return {};
        if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { code: "invalid_date" };
        const parsed = new Date(raw + "T00:00:00Z");
        if (isNaN(parsed) || parsed.toISOString().slice(0, 10) !== raw || parsed.getUTCFullYear() < 1900) {
          return { code: "invalid_date" };
        }
        return { value: raw };
      }
      if (kind === "yes_no") {
        return typeof raw === "boolean" ? { value: raw } : { code: "type_yes_no" };
      }
      if (kind === "single_choice") {
        if (raw === "") return {};
        return typeof raw === "string" && field.choices.includes(raw)
          ? { value: raw } : { code: "invalid_choice" };
      }
      if (kind === "multiple_choice") {
        if (!Array.isArray(raw) || raw.length > field.choices.length) return { code: "invalid_choices" };
        if (!raw.length) return {};
        if (raw.some((c) => !field.choices.includes(c)) || new Set(raw).size !== raw.length) {
          return { code: "invalid_choices" };
        }
        return { value: field.choices.filter((c) => raw.includes(c)) };
      }
      return cleanSignature(raw);
    }

    function cleanSignature(raw) {
      if (!raw || !Array.isArray(raw.strokes) || !(raw.width > 0) || !(raw.height > 0)) {
        return { code: "signature_invalid" };
      }
      const strokes = raw.strokes.filter((s) => s.length);
      if (!strokes.length) return {};
      let points = 0;
      strokes.forEach((s) => { points += s.length; });
      if (strokes.length > MAX_STROKES || points > MAX_POINTS) return { code: "signature_too_large" };
      let path = 0;
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      strokes.forEach((s) => s.forEach((p, i) => {
        if (i) path += Math.hypot(p[0] - s[i - 1][0], p[1] - s[i - 1][1]);
        minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
      }));
      const extent = Math.max(maxX - minX, maxY - minY);
      const canvas = Math.max(raw.width, raw.height);
      if (path < Math.max(MIN_PATH_LENGTH, MIN_PATH_RATIO * canvas) ||
          extent < Math.max(MIN_EXTENT, MIN_EXTENT_RATIO * canvas)) {
        return { code: "signature_too_small" };
      }
      return { value: { strokes: strokes, width: raw.width, height: raw.height } };
    }

    function isVisible(field, cleaned, shown) {
      const cond = field.show_if;
      if (!cond) return true;
      // A condition on a hidden or invalid answer is false: nothing cascades from it.
      if (!shown.has(cond.field) || !(cond.field in cleaned)) return false;
      const value = cleaned[cond.field];
      if (Array.isArray(value)) return value.includes(cond.equals);
      return value === cond.equals;
    }

    // One pass in form order, like answers._check: visible fields, clean answers, problems.
    function evaluate(definition, answers) {
      const cleaned = {};
      const errors = {};
      const shown = new Set();
      allFields(definition).forEach((field) => {
        if (!isVisible(field, cleaned, shown)) return;
        shown.add(field.id);
        const result = cleanValue(field, answers[field.id]);
        if (result.code) {
          errors[field.id] = { code: result.code, vars: result.vars };
        } else if (result.value === undefined) {
          if (isRequired(field)) errors[field.id] = { code: requiredCode(field) };
        } else if (field.must_accept && result.value !== true) {
          errors[field.id] = { code: "must_accept" };
        } else {
          cleaned[field.id] = result.value;
        }
      });
      return { cleaned: cleaned, errors: errors, shown: shown };
    }

    function errorText(error) {
      // The server's German wording is the reference; in English the code's own text.
      if (error.message_de && page.lang() === "de") return error.message_de;
      const key = "err_" + error.code;
      return t(t(key) === key ? "err_generic" : key, error.vars);
    }

    // ---- opening and closing one form ---------------------------------------------------

    function route() {
      const hash = location.hash;
      const id = hash.startsWith(HASH_PREFIX) ? decodeURIComponent(hash.slice(HASH_PREFIX.length)) : "";
      if (id && (!current || current.id !== id)) {
        openForm(id);
      } else if (!id && current) {
        closeForm();
      }
    }

    function showView(formOpen) {
      document.body.dataset.view = formOpen ? "form" : "";
      $("app").hidden = formOpen;
      $("form-view").hidden = !formOpen;
    }

    async function openForm(id) {
      if (current) { flushDraft(); }
      current = {
        id: id, request: null, answers: {}, serverErrors: {}, shownErrors: {},
        readOnly: false, justSubmitted: false, attachmentId: null, dirty: false, timer: null,
        savedBody: "",
        saving: false, again: false, key: null, keyFor: "", busy: false, widgets: {},
      };
      const state = current;
      showView(true);
      $("form-title").textContent = "";
      $("form-body").replaceChildren();
      $("form-loading").hidden = false;
      window.scrollTo(0, 0);
      let response = null;
      try {
        response = await fetch(formUrl(id), { cache: "no-store" });
      } catch (e) {
        response = null;
      }
      if (current !== state) return;
      $("form-loading").hidden = true;
      if (!response || !response.ok) {
        const gone = response && response.status === 404;
        $("form-body").replaceChildren(el("p", "status form-message",
          gone ? t("formGone") : t("formLoadFailed")));
        if (gone) loadList();
        return;
      }
      state.request = await response.json();
      state.readOnly = state.request.status !== "sent";
      const draft = state.request.draft_answers || {};
      Object.keys(draft).forEach((key) => {
        const value = draft[key];
        state.answers[key] = typeof value === "number" ? numberText(value) : value;
      });
      state.savedBody = draftBody(state);
      renderForm();
      $("form-title").focus();
    }

    function closeForm() {
      flushDraft();
      current = null;
      showView(false);
      $("form-body").replaceChildren();
      loadList();
    }

    $("form-back").addEventListener("click", () => {
      if (location.hash.startsWith(HASH_PREFIX)) {
        history.replaceState(null, "", location.pathname + location.search);
      }
      closeForm();
    });
    window.addEventListener("hashchange", route);

    // ---- rendering the form -------------------------------------------------------------

    function paragraphs(text, className) {
      const box = el("div", className);
      text.split("\n").filter((p) => p.trim()).forEach((p) => box.appendChild(el("p", "", p)));
      return box;
    }

    function renderForm() {
      const state = current;
      const request = state.request;
      const definition = request.definition;
      $("form-title").textContent = request.title;
      const body = $("form-body");
      state.widgets = {};

      const done = el("p", "form-done", state.justSubmitted ? t("formThanks") : "");
      done.id = "form-done";
      done.tabIndex = -1;
      done.setAttribute("role", "status");
      done.hidden = !state.justSubmitted;

      if (state.readOnly && !state.justSubmitted) {
        // After a reload the answers are no longer on the server's form (the draft is gone,
        // the sealed PDF is the record): say so instead of showing an empty form.
        const notice = el("p", "form-done", request.status === "submitted"
          ? t("formSubmittedNotice", { date: page.formatTime(request.submitted_at) })
          : t("formGone"));
        body.replaceChildren(notice);
        return;
      }

      const form = el("form", "form-fill");
      form.id = "form-fill";
      form.noValidate = true;
      form.appendChild(done);
      if (state.justSubmitted && state.attachmentId) {
        const para = el("p", "form-pdf");
        const link = el("a", "attachment", t("formPdf"));
        link.href = page.api + "/attachments/" + encodeURIComponent(state.attachmentId);
        link.setAttribute("download", request.title + ".pdf");
        para.appendChild(link);
        form.appendChild(para);
      }
      if (definition.description) form.appendChild(paragraphs(definition.description, "form-description"));
      if (!state.readOnly) {
        const note = el("p", "hint");
        note.appendChild(document.createTextNode(t("formRequiredNote")));
        form.appendChild(note);
      }
      const summary = el("div", "form-summary");
      summary.id = "form-summary";
      summary.setAttribute("role", "alert");
      summary.hidden = true;
      form.appendChild(summary);

      definition.sections.forEach((section) => {
        const box = el("section", "form-section");
        box.setAttribute("aria-labelledby", "sec-" + section.id);
        const heading = el("h3", "", section.title);
        heading.id = "sec-" + section.id;
        box.appendChild(heading);
        if (section.text) box.appendChild(paragraphs(section.text, "section-text"));
        section.fields.forEach((field) => box.appendChild(buildField(field)));
        form.appendChild(box);
      });

      if (!state.readOnly) {
        const footer = el("div", "form-footer");
        const submit = el("button", "primary", t("formSubmit"));
        submit.type = "submit";
        submit.id = "form-submit";
        footer.appendChild(submit);
        const status = el("p", "status");
        status.id = "form-status";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        footer.appendChild(status);
        const draft = el("p", "hint");
        draft.id = "draft-status";
        footer.appendChild(draft);
        form.appendChild(footer);
        form.addEventListener("submit", (event) => { event.preventDefault(); submitForm(); });
        form.addEventListener("focusout", () => { if (state.dirty) flushDraft(); });
      }
      body.replaceChildren(form);
      update();
    }

    function describedBy(field) {
      return (field.help ? "help-" + field.id + " " : "") + "err-" + field.id;
    }

    function fieldLabel(field, tag, forId) {
      const label = el(tag, "field-label");
      if (forId) label.htmlFor = forId;
      label.appendChild(document.createTextNode(field.label));
      if (isRequired(field) && !current.readOnly) {
        const mark = el("span", "req", " *");
        mark.setAttribute("aria-hidden", "true");
        label.appendChild(mark);
        label.appendChild(el("span", "visually-hidden", " (" + t("requiredField") + ")"));
      }
      return label;
    }

    function buildField(field) {
      const state = current;
      const id = "fi-" + field.id;
      const group = ["yes_no", "single_choice", "multiple_choice"].includes(field.type) && !field.must_accept;
      const wrap = el(group ? "fieldset" : "div", "field field-" + field.type);
      wrap.id = "field-" + field.id;
      wrap.dataset.field = field.id;
      if (group) {
        wrap.appendChild(fieldLabel(field, "legend"));
        wrap.setAttribute("aria-describedby", describedBy(field));
      } else if (field.must_accept) {
        // built below: the checkbox comes first, its label beside it
      } else if (field.type === "signature") {
        const label = fieldLabel(field, "p");
        label.id = "label-" + field.id;
        wrap.appendChild(label);
      } else {
        wrap.appendChild(fieldLabel(field, "label", id));
      }
      let help = null;
      if (field.help) {
        help = el("p", "hint", field.help);
        help.id = "help-" + field.id;
        if (!field.must_accept) wrap.appendChild(help);
      }
      const error = el("p", "field-error");
      error.id = "err-" + field.id;

      const value = state.answers[field.id];
      let read;
      let control = null;
      if (field.type === "text" || field.type === "long_text" || field.type === "number" ||
          field.type === "date") {
        if (field.type === "long_text") {
          control = el("textarea");
          control.rows = 3;
        } else {
          control = el("input");
          control.type = field.type === "date" ? "date" : "text";
        }
        if (field.type === "number") {
          // text, not type=number: a German "84,5" must stay as typed
          control.inputMode = "decimal";
          control.autocomplete = "off";
        }
        if (field.type === "date") { control.min = "1900-01-01"; control.max = "9999-12-31"; }
        if (field.type === "text" || field.type === "long_text") control.maxLength = textLimit(field);
        control.value = typeof value === "string" ? value : (value === undefined ? "" : String(value));
        read = () => (control.value === "" ? undefined : control.value);
        wrap.appendChild(control);
      } else if (field.type === "yes_no" && field.must_accept) {
        const row = el("div", "accept");
        control = el("input");
        control.type = "checkbox";
        control.checked = value === true;
        const label = fieldLabel(field, "label", id);
        row.appendChild(control);
        row.appendChild(label);
        wrap.appendChild(row);
        if (help) wrap.appendChild(help);
        read = () => (control.checked ? true : undefined);
      } else if (group) {
        const options = field.type === "yes_no"
          ? [{ value: true, label: t("yes") }, { value: false, label: t("no") }]
          : field.choices.map((c) => ({ value: c, label: c }));
        const multiple = field.type === "multiple_choice";
        const list = el("div", "options" + (field.type === "yes_no" ? " inline" : ""));
        const inputs = options.map((option, index) => {
          const label = el("label", "option");
          const input = el("input");
          input.type = multiple ? "checkbox" : "radio";
          input.name = id;
          input.id = id + "-" + index;
          input.checked = multiple ? Array.isArray(value) && value.includes(option.value)
            : value === option.value;
          label.appendChild(input);
          label.appendChild(el("span", "", option.label));
          list.appendChild(label);
          return { input: input, value: option.value };
        });
        wrap.appendChild(list);
        read = () => {
          const chosen = inputs.filter((i) => i.input.checked).map((i) => i.value);
          if (multiple) return chosen.length ? chosen : undefined;
          return chosen.length ? chosen[0] : undefined;
        };
        if (!multiple && !isRequired(field) && !state.readOnly) {
          // An optional radio group can otherwise never be emptied again.
          const clear = el("button", "link", t("clearAnswer"));
          clear.type = "button";
          clear.className = "link clear-answer";
          clear.addEventListener("click", () => {
            inputs.forEach((i) => { i.input.checked = false; });
            changed(field);
            inputs[0].input.focus();
          });
          wrap.appendChild(clear);
          state.widgets[field.id + ":clear"] = clear;
        }
        state.widgets[field.id + ":inputs"] = inputs.map((i) => i.input);
      } else if (field.type === "signature") {
        read = signaturePad(field, wrap);
      }
      if (control) {
        control.id = id;
        control.setAttribute("aria-describedby", describedBy(field));
        if (isRequired(field)) control.setAttribute("aria-required", "true");
        state.widgets[field.id + ":inputs"] = [control];
      }
      wrap.appendChild(error);
      if (state.readOnly) {
        wrap.querySelectorAll("input, textarea").forEach((input) => {
          input.disabled = field.type === "yes_no" || field.type.endsWith("choice") || input.type === "checkbox";
          input.readOnly = true;
        });
      } else {
        wrap.addEventListener("input", () => changed(field));
        wrap.addEventListener("change", () => changed(field));
      }
      state.widgets[field.id] = { wrap: wrap, error: error, read: read };
      return wrap;
    }

    // The answer of one field changed: keep it, drop its old message, show or hide the
    // fields that depend on it, and save the draft a moment later.
    function changed(field) {
      const state = current;
      if (!state || state.readOnly) return;
      const widget = state.widgets[field.id];
      const value = widget.read();
      if (value === undefined) delete state.answers[field.id];
      else state.answers[field.id] = value;
      delete state.shownErrors[field.id];
      delete state.serverErrors[field.id];
      state.dirty = true;
      clearTimeout(state.timer);
      state.timer = setTimeout(flushDraft, DRAFT_DELAY_MS);
      update();
    }

    function update() {
      const state = current;
      const definition = state.request.definition;
      const result = evaluate(definition, state.answers);
      allFields(definition).forEach((field) => {
        const widget = state.widgets[field.id];
        if (!widget) return;
        widget.wrap.hidden = !result.shown.has(field.id);
        const error = state.serverErrors[field.id] || state.shownErrors[field.id];
        widget.error.textContent = error ? errorText(error) : "";
        widget.wrap.classList.toggle("has-error", Boolean(error));
        (state.widgets[field.id + ":inputs"] || []).forEach((input) => {
          if (error) input.setAttribute("aria-invalid", "true");
          else input.removeAttribute("aria-invalid");
        });
        const clear = state.widgets[field.id + ":clear"];
        if (clear) clear.hidden = state.answers[field.id] === undefined;
      });
      return result;
    }

    // ---- the signature pad ----------------------------------------------------------------

    // Strokes are kept in CSS pixels of the canvas (its logical size); the backing store is
    // devicePixelRatio times larger so the line stays sharp on phones.
    function signaturePad(field, wrap) {
      const state = current;
      const box = el("div", "sig-box");
      const canvas = el("canvas", "sig-canvas");
      canvas.id = "fi-" + field.id;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-labelledby", "label-" + field.id);
      canvas.setAttribute("aria-describedby", describedBy(field) + " sig-hint-" + field.id);
      box.appendChild(canvas);
      wrap.appendChild(box);
      const hint = el("p", "hint", state.readOnly ? "" : t("signatureHint"));
      hint.id = "sig-hint-" + field.id;
      const clear = el("button", "sig-clear", t("signatureClear"));
      clear.type = "button";
      if (!state.readOnly) {
        const row = el("div", "sig-row");
        row.appendChild(hint);
        row.appendChild(clear);
        wrap.appendChild(row);
      }
      const ctx = canvas.getContext("2d");
      let size = { w: 0, h: 0 };
      let stroke = null;
      let pointer = null;

      function sig() { return state.answers[field.id]; }

      function pointCount(s) {
        let n = 0;
        s.strokes.forEach((st) => { n += st.length; });
        return n;
      }

      function layout() {
        const rect = canvas.getBoundingClientRect();
        if (!rect.width || !rect.height) return;
        const dpr = window.devicePixelRatio || 1;
        size = { w: Math.round(rect.width * 100) / 100, h: Math.round(rect.height * 100) / 100 };
        canvas.width = Math.round(rect.width * dpr);
        canvas.height = Math.round(rect.height * dpr);
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        const s = sig();
        // A draft drawn on another screen size (or before the phone was turned) is scaled
        // to this canvas, so new strokes and old ones share one coordinate system.
        if (s && s.strokes && s.width > 0 && s.height > 0 && (s.width !== size.w || s.height !== size.h)) {
          const fx = size.w / s.width, fy = size.h / s.height;
          s.strokes = s.strokes.map((st) => st.map((p) => [
            Math.round(p[0] * fx * 10) / 10, Math.round(p[1] * fy * 10) / 10]));
          s.width = size.w;
          s.height = size.h;
        }
        redraw();
      }

      function pen() {
        ctx.lineWidth = 2.4;
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        ctx.strokeStyle = "#10243a";
        ctx.fillStyle = "#10243a";
      }

      function redraw() {
        ctx.clearRect(0, 0, size.w, size.h);
        // the line to sign on; not part of the signature
        ctx.strokeStyle = "#b7c3cf";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(16, size.h * 0.78);
        ctx.lineTo(size.w - 16, size.h * 0.78);
        ctx.stroke();
        const s = sig();
        if (!s || !s.strokes) return;
        pen();
        s.strokes.forEach((st) => {
          if (st.length === 1) {
            ctx.beginPath();
            ctx.arc(st[0][0], st[0][1], 1.2, 0, 2 * Math.PI);
            ctx.fill();
            return;
          }
          ctx.beginPath();
          ctx.moveTo(st[0][0], st[0][1]);
          st.slice(1).forEach((p) => ctx.lineTo(p[0], p[1]));
          ctx.stroke();
        });
      }

      function at(event) {
        const rect = canvas.getBoundingClientRect();
        const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
        const y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
        return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
      }

      if (!state.readOnly) {
        canvas.addEventListener("pointerdown", (event) => {
          if (pointer !== null || !event.isPrimary) return;
          if (event.pointerType === "mouse" && event.button !== 0) return;
          event.preventDefault();
          if (!size.w) layout();
          let s = sig();
          if (!s || !s.strokes) {
            s = { strokes: [], width: size.w, height: size.h };
            state.answers[field.id] = s;
          }
          if (s.strokes.length >= MAX_STROKES || pointCount(s) >= MAX_POINTS) {
            state.shownErrors[field.id] = { code: "signature_too_large" };
            update();
            return;
          }
          try {
            // keeps the stroke when the finger leaves the box; synthetic events have no
            // active pointer to capture, which must not lose the stroke
            canvas.setPointerCapture(event.pointerId);
          } catch (e) { /* drawn without capture */ }
          pointer = event.pointerId;
          stroke = [at(event)];
          s.strokes.push(stroke);
          redraw();
        });
        canvas.addEventListener("pointermove", (event) => {
          if (event.pointerId !== pointer || !stroke) return;
          event.preventDefault();
          const s = sig();
          const events = (typeof event.getCoalescedEvents === "function" && event.getCoalescedEvents().length)
            ? event.getCoalescedEvents() : [event];
          let total = pointCount(s);
          pen();
          events.forEach((e) => {
            const p = at(e);
            const last = stroke[stroke.length - 1];
            if (Math.hypot(p[0] - last[0], p[1] - last[1]) < 1 || total >= MAX_POINTS) return;
            stroke.push(p);
            total += 1;
            ctx.beginPath();
            ctx.moveTo(last[0], last[1]);
            ctx.lineTo(p[0], p[1]);
            ctx.stroke();
          });
        });
        const end = (event) => {
          if (event.pointerId !== pointer) return;
          pointer = null;
          stroke = null;
          changed(field);
        };
        canvas.addEventListener("pointerup", end);
        canvas.addEventListener("pointercancel", end);
        clear.addEventListener("click", () => {
          delete state.answers[field.id];
          redraw();
          changed(field);
        });
      }

      if (typeof ResizeObserver === "function") {
        new ResizeObserver(() => layout()).observe(canvas);
      } else {
        window.addEventListener("resize", layout);
        requestAnimationFrame(layout);
      }
      return () => {
        const s = sig();
        return s && s.strokes && s.strokes.length ? s : undefined;
      };
    }

    // ---- the draft ------------------------------------------------------------------------

    function draftBody(state) {
      return JSON.stringify({ answers: state.answers });
    }

    function draftStatus(state, key) {
      if (current !== state) return;
      const status = $("draft-status");
      if (status) status.textContent = key ? t(key) : "";
    }

    function putDraft(state, body, keepalive) {
      return fetch(formUrl(state.id) + "/draft", {
        method: "PUT", body: body, headers: { "Content-Type": "application/json" },
        keepalive: keepalive && body.length < KEEPALIVE_MAX });
    }

    // Sends the draft now if anything changed; one save at a time, so they arrive in order.
    async function flushDraft() {
      const state = current;
      if (!state || state.readOnly || !state.request || !state.dirty) return;
      clearTimeout(state.timer);
      state.timer = null;
      if (state.saving) { state.again = true; return; }
      const body = draftBody(state);
      state.dirty = false;
      state.saving = true;
      let response = null;
      try {
        response = await putDraft(state, body, false);
      } catch (e) {
        response = null;
      }
      state.saving = false;
      if (response && response.ok) {
        state.savedBody = body;
        draftStatus(state, "draftSaved");
      } else if (response && (response.status === 409 || response.status === 404)) {
        // Submitted meanwhile (another tab or device) or withdrawn: show it as it is now.
        // Not when this page is submitting it itself: a draft sent just before the submit
        // may well arrive after it.
        if (current === state && !state.busy && !state.readOnly) openForm(state.id);
        return;
      } else {
        state.dirty = true;   // tried again with the next change or blur
        draftStatus(state, "draftFailed");
      }
      if (state.again) { state.again = false; flushDraft(); }
    }

    // The page is going away (reload, tab closed, phone locked): whatever the server has not
    // confirmed yet goes out with keepalive, which the browser finishes after the page is
    // gone. An ordinary save still in flight would be cancelled by the unload, so "not yet
    // confirmed" counts, not only "changed since the last save".
    function flushOnExit() {
      const state = current;
      if (!state || state.readOnly || !state.request || state.busy) return;
      const body = draftBody(state);
      if (body === state.savedBody) return;
      clearTimeout(state.timer);
      state.timer = null;
      state.dirty = false;
      putDraft(state, body, true).then((response) => {
        if (response.ok) state.savedBody = body; else state.dirty = true;
      }, () => { state.dirty = true; });
    }

    window.addEventListener("pagehide", flushOnExit);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flushOnExit();
    });

    // ---- submitting -----------------------------------------------------------------------

    function showErrors(state, errors, fromServer) {
      const summary = $("form-summary");
      const ids = Object.keys(errors);
      if (fromServer) state.serverErrors = errors; else state.shownErrors = errors;
      update();
      summary.replaceChildren(el("p", "", t("formFix")));
      summary.hidden = false;
      const first = allFields(state.request.definition).find((f) => ids.includes(f.id));
      if (first) {
        const widget = state.widgets[first.id];
        const target = widget.wrap.querySelector("input, textarea, canvas") || widget.wrap;
        widget.wrap.scrollIntoView({ block: "center" });
        if (target.focus) target.focus({ preventScroll: true });
      }
    }

    async function submitForm() {
      const state = current;
      if (!state || state.readOnly || state.busy) return;
      const status = $("form-status");
      const result = evaluate(state.request.definition, state.answers);
      state.serverErrors = {};
      if (Object.keys(result.errors).length) {
        status.textContent = "";
        showErrors(state, result.errors, false);
        return;
      }
      state.shownErrors = {};
      $("form-summary").hidden = true;
      update();
      // Only the visible, checked answers leave the page.
      const body = JSON.stringify({ answers: result.cleaned });
      if (state.keyFor !== body) { state.key = page.newKey(); state.keyFor = body; }
      const key = state.key;
      clearTimeout(state.timer);
      state.busy = true;
      $("form-submit").disabled = true;
      status.textContent = t("formSubmitting");
      const response = await page.sendWithRetries(() => fetch(formUrl(state.id) + "/submit", {
        method: "POST", body: body,
        headers: { "Idempotency-Key": key, "Content-Type": "application/json" } }));
      state.busy = false;
      if (current !== state) return;
      $("form-submit").disabled = false;
      if (response && response.ok) {
        const answer = await response.json();
        state.readOnly = true;
        state.justSubmitted = true;
        state.dirty = false;
        state.attachmentId = answer.attachment_id || null;
        state.request.status = "submitted";
        state.request.submitted_at = answer.submitted_at;
        renderForm();
        window.scrollTo(0, 0);
        $("form-done").focus({ preventScroll: true });
        loadList();
        page.refresh();
        return;
      }
      if (response === null) { status.textContent = t("sendFailed"); return; }
      const problem = await page.problemOf(response);
      if (response.status === 422 && problem.code === "form_invalid" && Array.isArray(problem.errors)) {
        const errors = {};
        const known = new Set(allFields(state.request.definition).map((f) => f.id));
        const other = [];
        problem.errors.forEach((e) => {
          if (known.has(e.field_id) && !errors[e.field_id]) errors[e.field_id] = e;
          else other.push(e);
        });
        status.textContent = other.map(errorText).join(" ");
        showErrors(state, errors, true);
        return;
      }
      if (response.status === 409 || response.status === 404) {
        status.textContent = t(response.status === 409 ? "formAlreadySubmitted" : "formGone");
        openForm(state.id);
        return;
      }
      status.textContent = response.status === 413 ? t("formTooLarge")
        : page.problemText(response, problem);
    }

    // ---- hooks for app.js -------------------------------------------------------------

    return {
      // Every conversation answer: a new message may be the practice's "please fill in" note
      // (each form request adds one) or the patient's submitted PDF.
      onConversation: function (data) {
        const messages = data.messages || [];
        const newest = messages.length ? messages[messages.length - 1].id : "";
        if (newest !== lastMessageId || listStale) {
          lastMessageId = newest;
          loadList();
        }
      },
      onLanguage: function () {
        renderList();
        if (current && current.request) {
          const submittedNow = current.justSubmitted;
          renderForm();
          if (submittedNow) $("form-done").hidden = false;
        }
      },
      start: function () {
        loadList();
        route();
      },
    };
  }

  return { start: start };
})();
