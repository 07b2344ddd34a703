// The query page with YASGUI (installed from the npm registry by `make`, see
// tools/fetch_yasgui.py): the editor and result table of Oxigraph's and Fuseki's own pages,
// run against this endpoint only, with the competency questions as examples, the dataset's
// prefixes, and result IRIs of the dataset linked to their pages here.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("site-data").textContent);
  var base = config.baseIri || "";
  var root = document.getElementById("yasgui");
  var examples = document.getElementById("examples");

  function localHref(iri) {
    return "/" + iri.slice(base.length).replace(/^\/+/, "");
  }

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,          // the page's query, not one left in localStorage
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return []; } },
    yasqe: {
      value: config.query,
      // prefix.cc and LOV, which the other completers ask, are other hosts: not those.
      autocompleters: ["variables"]
    },
    yasr: { prefixes: config.prefixes }
  });
  var tab = yasgui.getTab();
  var yasqe = tab.getYasqe();
  var yasr = tab.getYasr();
  yasqe.setValue(config.query);

  // IRIs of the dataset link to their page on this site, in this tab.
  yasr.on("drawn", function () {
    var links = root.querySelectorAll("a[href]");
    Array.prototype.forEach.call(links, function (a) {
      var href = a.getAttribute("href");
      if (base && href.indexOf(base) === 0) {
        a.setAttribute("href", localHref(href));
        a.removeAttribute("target");
        a.classList.add("local");
      }
    });
  });

  // YASR's table swallows clicks on its cells: follow the dataset's links ourselves.
  root.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a.local") : null;
    if (a && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      window.location.assign(a.getAttribute("href"));
    }
  }, true);

  if (examples) {
    examples.addEventListener("change", function () {
      var option = examples.options[examples.selectedIndex];
      if (option && option.getAttribute("data-query")) {
        yasqe.setValue(option.getAttribute("data-query"));
        yasqe.focus();
      }
    });
  }
  if (config.autorun) {
    yasqe.query();
  }
}());
