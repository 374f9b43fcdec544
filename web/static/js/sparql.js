// The YASGUI editor on /sparql: the project's prefixes, the saved queries as examples,
// and a query handed over in the address (#query=…) from a saved query's page.
(function () {
  "use strict";
  var box = document.getElementById("yasgui");
  if (!box || typeof Yasgui === "undefined") { return; }
  // Read the query handed over in the address before YASGUI rewrites the address.
  var handed = new URLSearchParams(window.location.hash.slice(1)).get("query");
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(box, {
    requestConfig: {endpoint: endpoint, method: "POST"},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }}
  });
  var tab = yasgui.getTab();
  box.querySelectorAll("textarea").forEach(function (area) {
    area.setAttribute("aria-label", "SPARQL-forespørgsel");
  });
  box.querySelectorAll("input.autocomplete").forEach(function (input) {
    input.setAttribute("aria-label", "Endepunkt");
  });
  fetch("/sparql/config.json").then(function (r) { return r.json(); }).then(function (config) {
    var prefixes = Object.keys(config.prefixes).map(function (p) {
      return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
    }).join("\n");
    if (handed) {
      tab.setQuery(handed);
    } else {
      tab.setQuery(prefixes + "\n\nSELECT ?thing ?label WHERE {\n  ?thing a ig:Initiative ; rdfs:label ?label .\n} LIMIT 20\n");
    }
    var select = document.getElementById("examples");
    config.examples.forEach(function (example, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = example.name + " — " + example.summary;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      if (select.value !== "") { tab.setQuery(config.examples[Number(select.value)].query); }
    });
    window.indsatsgrafReady = true;
    document.documentElement.setAttribute("data-ready", "true");
  });
})();
