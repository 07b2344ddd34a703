// The query page: runs the textarea's query with a POST to the SPARQL endpoint and renders
// SELECT/ASK results as a table, CONSTRUCT/DESCRIBE results as Turtle, errors as text.
// Loaded as a file because the server's Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var results = document.getElementById("results");
  var graphOut = document.getElementById("graph-result");
  var errorBox = document.getElementById("error");
  var downloads = document.getElementById("downloads");
  var status = document.getElementById("status");
  var runButton = document.getElementById("run");
  var examples = document.getElementById("examples");
  var config = JSON.parse(document.getElementById("site-data").textContent);
  var base = config.baseIri || "";
  var endpoint = config.endpoint || "/sparql";
  var prefixes = config.prefixes || {};
  var XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";

  // Where a link to the IRI goes: its path here when it is under the base IRI, the IRI itself
  // when it is on the web (http, https), else null: a javascript: or data: IRI from the data
  // is shown as text, never as a live link.
  function localHref(iri) {
    if (base && iri.indexOf(base) === 0) {
      return "/" + iri.slice(base.length).replace(/^\/+/, "");
    }
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  function curie(iri) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length &&
          (best === null || ns.length > prefixes[best].length)) {
        best = p;
      }
    });
    return best === null ? iri : best + ":" + iri.slice(prefixes[best].length);
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderTerm(term) {
    var cell = document.createDocumentFragment();
    if (!term) { return cell; }
    if (term.type === "uri") {
      var href = localHref(term.value);
      var a = href === null ? el("span", "iri", curie(term.value)) :
        el("a", base && term.value.indexOf(base) === 0 ? "" : "external", curie(term.value));
      if (href !== null) { a.href = href; }
      a.title = term.value;
      cell.appendChild(a);
    } else if (term.type === "bnode") {
      cell.appendChild(el("span", "bnode", "_:" + term.value));
    } else if (term.type === "triple") {
      cell.appendChild(el("span", "triple", "<< " + [term.value.subject, term.value.predicate,
        term.value.object].map(function (t) { return t ? t.value : ""; }).join(" ") + " >>"));
    } else {
      cell.appendChild(el("span", "literal", term.value));
      if (term["xml:lang"]) {
        cell.appendChild(document.createTextNode(" "));
        cell.appendChild(el("span", "lang", "@" + term["xml:lang"]));
      } else if (term.datatype && term.datatype !== XSD_STRING) {
        cell.appendChild(document.createTextNode(" "));
        var dt = el("span", "datatype", "^^" + curie(term.datatype));
        dt.title = term.datatype;
        cell.appendChild(dt);
      }
    }
    return cell;
  }

  function renderTable(data) {
    var vars = (data.head && data.head.vars) || [];
    var rows = (data.results && data.results.bindings) || [];
    var thead = el("thead");
    var headRow = el("tr");
    vars.forEach(function (v) {
      var th = el("th", "", "?" + v);
      th.scope = "col";
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) {
        var td = el("td");
        td.appendChild(renderTerm(row[v]));
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    results.appendChild(thead);
    results.appendChild(tbody);
    return rows.length;
  }

  function renderDownloads(query, kind) {
    clear(downloads);
    var formats = kind === "graph"
      ? [["Turtle", "ttl"], ["N-Triples", "nt"], ["JSON-LD", "jsonld"]]
      : [["CSV", "csv"], ["TSV", "tsv"], ["JSON", "json"], ["XML", "xml"]];
    downloads.appendChild(el("span", "label", "Download: "));
    formats.forEach(function (f, i) {
      if (i) { downloads.appendChild(document.createTextNode(" · ")); }
      var a = el("a", "", f[0]);
      a.href = endpoint + "?query=" + encodeURIComponent(query) + "&format=" + f[1];
      a.setAttribute("download", "");
      downloads.appendChild(a);
    });
    downloads.hidden = false;
  }

  function reset() {
    clear(results);
    clear(errorBox);
    errorBox.hidden = true;
    graphOut.textContent = "";
    graphOut.hidden = true;
    clear(downloads);
    downloads.hidden = true;
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  function run() {
    var query = textarea.value;
    reset();
    if (!query.trim()) {
      showError("Write a query first.");
      return;
    }
    try {
      history.replaceState(null, "", endpoint + "?query=" + encodeURIComponent(query));
    } catch (e) { /* not allowed on some schemes: the URL just stays as it is */ }
    status.textContent = "Running…";
    runButton.disabled = true;
    var started = Date.now();
    var body = new URLSearchParams();
    body.set("query", query);
    fetch(endpoint, {
      method: "POST",
      headers: {
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body.toString()
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      return response.text().then(function (text) {
        var seconds = ((Date.now() - started) / 1000).toFixed(2);
        if (!response.ok) {
          status.textContent = "";
          showError("Error " + response.status + " " + response.statusText + ": " + text.trim());
          return;
        }
        if (type.indexOf("json") !== -1) {
          var data = JSON.parse(text);
          if (typeof data.boolean === "boolean") {
            status.textContent = "Answer: " + (data.boolean ? "yes (true)" : "no (false)") +
              " in " + seconds + " s";
            renderDownloads(query, "boolean");
            return;
          }
          var count = renderTable(data);
          status.textContent = count + (count === 1 ? " row" : " rows") + " in " + seconds + " s";
          renderDownloads(query, "select");
        } else {
          graphOut.textContent = text;
          graphOut.hidden = false;
          status.textContent = "Graph result (Turtle) in " + seconds + " s";
          renderDownloads(query, "graph");
        }
      });
    }).catch(function (err) {
      status.textContent = "";
      showError("The request failed: " + err.message);
    }).then(function () {
      runButton.disabled = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  if (examples) {
    examples.addEventListener("change", function () {
      var option = examples.options[examples.selectedIndex];
      if (option && option.getAttribute("data-query")) {
        textarea.value = option.getAttribute("data-query");
        textarea.focus();
      }
    });
  }
  if (form.getAttribute("data-autorun") === "true") {
    run();
  }
}());
