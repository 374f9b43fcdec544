// One pair of departments' shared initiatives, listed below the pair matrix when a count
// in the matrix or a line between the two departments is chosen. Shared by the written
// view pages (inlined, so a file on disk stays self-contained) and the web application
// (served as a file, as its Content-Security-Policy allows no inline script).
window.indsatsgrafListPairs = function (data, network) {
  "use strict";
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
    // A large archive's page gets the first of a pair's initiatives and their count (shared)
    var count = edge.shared || edge.items.length;
    var heading = document.createElement("h3");
    heading.textContent = names[a] + " og " + names[b] + ": " + count + " fælles indsatser";
    var list = document.createElement("ul");
    edge.items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item;
      list.appendChild(li);
    });
    target.appendChild(heading);
    target.appendChild(list);
    if (count > edge.items.length) {
      var more = document.createElement("p");
      more.textContent = "… og " + (count - edge.items.length) + " flere: alle står i " +
        "forespørgslen multi-department-initiatives.";
      target.appendChild(more);
    }
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
};
