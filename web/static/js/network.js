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
      listPairs(data, network);
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

  // A count in the pair matrix (or a line between two departments) lists the pair's
  // shared initiatives below the matrix, as on the viz page.
  function listPairs(data, network) {
    var target = document.getElementById("pair-items");
    if (!target) { return; }
    var byPair = {}, byId = {}, names = {};
    data.nodes.forEach(function (node) { names[node.id] = node.name || node.label; });
    data.edges.forEach(function (edge) {
      if (edge.items) {
        byPair[edge.from + "|" + edge.to] = byPair[edge.to + "|" + edge.from] = byId[edge.id] = edge;
      }
    });
    function show(a, b) {
      var edge = byPair[a + "|" + b];
      if (!edge) { return; }
      target.textContent = "";
      var heading = document.createElement("h3");
      heading.textContent = names[a] + " og " + names[b] + ": " + edge.items.length + " fælles indsatser";
      var list = document.createElement("ul");
      edge.items.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item;
        list.appendChild(li);
      });
      target.appendChild(heading);
      target.appendChild(list);
      network.selectEdges([edge.id]);
    }
    document.querySelectorAll("#pair-matrix button.pair").forEach(function (button) {
      button.addEventListener("click", function () { show(button.dataset.a, button.dataset.b); });
    });
    network.on("click", function (params) {
      if (!params.nodes.length && params.edges.length) {
        var edge = byId[params.edges[0]];
        if (edge) { show(edge.from, edge.to); }
      }
    });
  }
})();
