// Prefix suggestions for the search box of every page: asks /search for the best few matches
// as the visitor types and offers them as a list (ARIA combobox). No other host is contacted;
// without this script the box is a plain form that opens /search.
(function () {
  "use strict";
  const input = document.getElementById("site-search");
  const list = document.getElementById("site-search-list");
  if (!input || !list) return;
  const base = input.dataset.baseIri || "";
  let timer = null;
  let asked = 0;
  let options = [];
  let active = -1;

  function href(iri) {
    // As the pages link IRIs: the site's own under the base IRI, else only http(s) ones.
    if (base && iri.startsWith(base)) return "/" + iri.slice(base.length).replace(/^\/+/, "");
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(n) {
    options.forEach((li, i) => li.setAttribute("aria-selected", i === n ? "true" : "false"));
    active = n;
    if (n >= 0) input.setAttribute("aria-activedescendant", options[n].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(results) {
    list.replaceChildren();
    options = [];
    results.forEach((result) => {
      const link = href(result.iri);
      if (!link) return;
      const li = document.createElement("li");
      li.id = "site-search-option-" + options.length;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const a = document.createElement("a");
      a.href = link;
      a.tabIndex = -1;
      a.textContent = result.label;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = result.kind;
      a.append(kind);
      li.append(a);
      list.append(li);
      options.push(li);
    });
    active = -1;
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
  }

  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2) { close(); return; }
    const mine = ++asked;
    try {
      const response = await fetch("/search?format=json&limit=8&q=" + encodeURIComponent(text),
                                   { headers: { Accept: "application/json" } });
      if (mine !== asked || !response.ok) return;
      const data = await response.json();
      if (mine === asked) show(data.results || []);
    } catch (e) {
      close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options[active].querySelector("a").href);
    } else if (event.key === "Escape") {
      close();
    }
  });
  list.addEventListener("mousedown", (event) => event.preventDefault());  // keep the focus
  input.addEventListener("blur", () => setTimeout(close, 150));
})();
