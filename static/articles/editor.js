// The writer's desk: live preview, word count and "Insert image" for the article body.
// No framework and no inline script (a Content Security Policy forbids them); the server renders
// and sanitizes every preview, so what is shown here is exactly what readers will get.
(function () {
  "use strict";

  const DEBOUNCE_MS = 400;

  function csrfToken(form) {
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text) node.textContent = text;
    return node;
  }

  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    const before = textarea.value.slice(0, start);
    const padding = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    textarea.setRangeText(padding + text + "\n\n", start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function setUp(textarea, config) {
    const form = textarea.form;
    const toolbar = element("div", { class: "desk-toolbar" });
    const altInput = element("input", {
      type: "text",
      class: "desk-alt",
      placeholder: "Image description (alt text)",
      "aria-label": "Description of the image to insert",
    });
    const fileInput = element("input", {
      type: "file",
      accept: "image/jpeg,image/png,image/webp,image/gif",
      hidden: "",
    });
    const insertButton = element("button", { type: "button", class: "button" }, "Insert image");
    const stats = element("span", { class: "desk-stats", "aria-live": "polite" });
    const status = element("span", { class: "desk-status", role: "status" });
    toolbar.append(insertButton, altInput, fileInput, stats, status);

    const preview = element("div", { class: "desk-preview prose", "aria-label": "Live preview" });
    const previewHeading = element("p", { class: "desk-preview__heading" }, "Live preview");
    const panes = element("div", { class: "desk-panes" });
    // The pane scrolls on its own, so keyboard users must be able to focus it (axe-core:
    // scrollable-region-focusable).
    const previewPane = element("div", {
      class: "desk-preview-pane",
      tabindex: "0",
      role: "region",
      "aria-label": "Live preview",
    });
    previewPane.append(previewHeading, preview);
    textarea.before(toolbar);
    textarea.parentNode.insertBefore(panes, textarea);
    panes.append(textarea, previewPane);

    let timer = null;
    let inFlight = null;

    async function refresh() {
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      const data = new FormData();
      data.append("body", textarea.value);
      try {
        const response = await fetch(config.renderUrl, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": csrfToken(form) },
          credentials: "same-origin",
          signal: inFlight.signal,
        });
        const result = await response.json();
        if (!response.ok) {
          status.textContent = result.error || "Preview unavailable.";
          return;
        }
        status.textContent = "";
        preview.innerHTML = result.html; // sanitized by the server's nh3 pipeline
        stats.textContent = `${result.words.toLocaleString()} word${result.words === 1 ? "" : "s"} · ${result.minutes} min read`;
      } catch (error) {
        if (error.name !== "AbortError") status.textContent = "Preview unavailable (offline?).";
      }
    }

    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    });

    insertButton.addEventListener("click", () => fileInput.click());
    fileInput.addEventListener("change", async () => {
      const file = fileInput.files[0];
      if (!file) return;
      status.textContent = "Uploading…";
      const data = new FormData();
      data.append("image", file);
      data.append("alt", altInput.value);
      try {
        const response = await fetch(config.uploadUrl, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": csrfToken(form) },
          credentials: "same-origin",
        });
        const result = await response.json();
        if (!response.ok) {
          status.textContent = result.error || "Upload failed.";
          return;
        }
        status.textContent = "Image inserted.";
        altInput.value = "";
        insertAtCursor(textarea, result.markdown);
      } catch (error) {
        status.textContent = "Upload failed (offline?).";
      } finally {
        fileInput.value = "";
      }
    });

    refresh();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const configNode = document.getElementById("desk-config");
    const textarea = document.querySelector("textarea[data-desk-editor]");
    if (!configNode || !textarea) return;
    setUp(textarea, {
      renderUrl: configNode.dataset.renderUrl,
      uploadUrl: configNode.dataset.uploadUrl,
    });
  });
})();
