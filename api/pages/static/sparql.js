// The SPARQL editor: YASGUI on this server's /sparql, one tab per named query.
// Autocompleters that call other hosts (LOV class/property lookup) are switched off.
(function () {
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  // a new tab starts with the project prefixes declared (the endpoint predeclares them too)
  var prefixBlock = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  }).join("\n");
  var newTab = prefixBlock + "\n\nSELECT ?policy ?title WHERE {\n  ?policy a pkg:PolicyDocument ; pkg:title ?title\n} LIMIT 10\n";
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { value: newTab },
    yasr: { prefixes: config.prefixes }
  });
  var first = yasgui.getTab();
  first.getYasqe().setValue(config.initial || config.tabs[0].query);
  first.setName(config.initial ? "query" : config.tabs[0].name);
  config.tabs.slice(config.initial ? 0 : 1).forEach(function (tab) {
    yasgui.addTab(false, { name: tab.name, yasqe: { value: tab.query },
      requestConfig: { endpoint: endpoint, method: "POST" } });
  });
  window.yasgui = yasgui;
})();
