/* Suggestions as you type, for every search form marked data-suggest.
 *
 * Progressive enhancement: without this script the forms work as plain GET forms.
 * With it, the search field becomes an ARIA 1.2 combobox with a listbox popup
 * (WAI-ARIA Authoring Practices, "combobox with list autocomplete"):
 *   Down/Up move through the suggestions, Enter opens the chosen one (or submits the
 *   form when none is chosen), Escape closes the list (a second Escape clears the field),
 *   Tab leaves as usual. A polite live region says how many suggestions there are.
 * Suggestions come from our own JSON API (/api/search); text is inserted with
 * textContent only, never as HTML.
 */
(function () {
  "use strict";
  var MIN_CHARS = 2, DELAY = 150, LIMIT = 8;
  var texts = document.getElementById("suggest-text");
  if (!texts || !window.fetch || !document.querySelector) return;
  var T = texts.dataset;
  var kinds = {};
  try { kinds = JSON.parse(T.kinds || "{}"); } catch (e) { kinds = {}; }
  var pageLang = document.documentElement.lang || "nl";

  function plural(n) {
    if (n === 0) return T.none;
    return (n === 1 ? T.one : T.many).replace("%(num)s", String(n));
  }

  function setup(form, index) {
    var input = form.querySelector("input[type=search]");
    if (!input) return;
    var listId = "suggest-list-" + index;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", T.label);
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [], active = -1, timer = null, controller = null, lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var options = list.children;
      for (var k = 0; k < options.length; k++) {
        options[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(i) {
      if (items[i]) window.location.href = items[i].url;
    }

    function render(hits) {
      items = hits;
      list.textContent = "";
      hits.forEach(function (hit, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.textContent = hit.title;
        if (hit.title_lang && hit.title_lang !== pageLang) title.lang = hit.title_lang;
        li.appendChild(title);
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = (kinds[hit.kind] || hit.kind) + (hit.orphacode ? " · ORPHA:" + hit.orphacode : "");
        li.appendChild(kind);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        li.addEventListener("click", function () { go(i); });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (hits.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent = plural(hits.length) + (hits.length ? " " + T.hint : "");
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      if (controller) controller.abort();
      if (q.length < MIN_CHARS) { items = []; list.textContent = ""; close(); status.textContent = ""; return; }
      controller = window.AbortController ? new AbortController() : null;
      var url = "/api/search?" + new URLSearchParams({ q: q, lang: pageLang, limit: String(LIMIT) });
      fetch(url, { signal: controller ? controller.signal : undefined, headers: { accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
        .then(function (data) { if (input.value.trim() === q) render(data.hits || []); })
        .catch(function () { /* offline or aborted: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (ev) {
      var open = !list.hidden && items.length > 0;
      if (ev.key === "ArrowDown") {
        if (!open) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); highlight(0); } return; }
        ev.preventDefault();
        highlight(active < items.length - 1 ? active + 1 : 0);
      } else if (ev.key === "ArrowUp") {
        if (!open) return;
        ev.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (ev.key === "Enter") {
        if (open && active >= 0) { ev.preventDefault(); go(active); }
      } else if (ev.key === "Escape") {
        if (open) { ev.preventDefault(); close(); }
        else if (input.value) { ev.preventDefault(); input.value = ""; lastQuery = ""; status.textContent = ""; }
      } else if (ev.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var forms = document.querySelectorAll("form[data-suggest]");
  for (var i = 0; i < forms.length; i++) setup(forms[i], i);
})();
