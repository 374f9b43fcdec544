// Draws the network whose data the page names in data-src (JSON from the server).
// No inline script: the Content-Security-Policy allows scripts from this server only.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box || typeof vis === "undefined") { return; }
  var status = document.getElementById("network-status");
  function say(text) { if (status) { status.textContent = text; } }
  say("Tegner netværket…");
  fetch(box.getAttribute("data-src"), {headers: {"Accept": "application/json"}})
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (page) {
      var data = page.network;
      var network = new vis.Network(
        box, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}, data.options
      );
      function ready() { say(""); window.indsatsgrafReady = true; document.documentElement.setAttribute("data-ready", "true"); }
      if (data.physics) {
        network.once("stabilizationIterationsDone", function () {
          network.setOptions({physics: false});
          ready();
        });
      } else {
        network.once("afterDrawing", ready);
        network.fit();
      }
      network.on("doubleClick", function (event) {
        var id = event.nodes && event.nodes[0];
        var prefix = "https://w3id.org/indsatsgraf/id/";
        if (id && id.indexOf(prefix) === 0) { window.location.href = "/id/" + id.slice(prefix.length); }
      });
      window.indsatsgrafNetwork = network;
    })
    .catch(function (error) { say("Netværket kunne ikke tegnes (" + error.message + "); se tabellen."); window.indsatsgrafReady = true; document.documentElement.setAttribute("data-ready", "true"); });
})();
