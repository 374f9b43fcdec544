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
      var edges = new vis.DataSet(data.edges);
      var network = new vis.Network(
        box, {nodes: new vis.DataSet(data.nodes), edges: edges}, data.options
      );
      window.indsatsgrafListPairs(data, network);
      // Counts and scores on the lines keep their on-screen size whatever the zoom needed
      // to fit the picture (as in the viz page), so they can be read without hovering.
      function fitEdgeLabels() {
        var scale = network.getScale();
        var font = {size: data.labelPx.edge / scale, strokeWidth: 5 / scale,
          strokeColor: "#ffffff", align: "middle"};
        edges.update(data.edges.filter(function (edge) { return edge.label; })
          .map(function (edge) { return {id: edge.id, font: font}; }));
      }
      function ready() { fitEdgeLabels(); say(""); window.indsatsgrafReady = true; document.documentElement.setAttribute("data-ready", "true"); }
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
