// Graph view of one policy's neighbourhood: elements from /graph/{id}/elements.json,
// captions and colours as in the Bloom perspective; a click on a node opens its page.
(function () {
  var box = document.getElementById("cy");
  fetch(box.dataset.src).then(function (r) { return r.json(); }).then(function (data) {
    var legend = document.getElementById("legend");
    data.legend.forEach(function (item) {
      var span = document.createElement("span");
      span.className = "legend-item";
      span.innerHTML = '<i style="background:' + item.color + '"></i>';
      span.appendChild(document.createTextNode(item.caption));
      legend.appendChild(span);
    });
    var cy = cytoscape({
      container: box,
      elements: data.elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { "background-color": "data(color)", "label": "data(label)",
          "font-size": 9, "min-zoomed-font-size": 6, "text-wrap": "ellipsis", "text-max-width": 120, "width": 18, "height": 18 } },
        { selector: "node[kind = 'Policy']", style: { "width": 34, "height": 34, "font-size": 11, "font-weight": "bold" } },
        { selector: "edge", style: { "label": "data(label)", "font-size": 7, "curve-style": "bezier",
          "target-arrow-shape": "triangle", "width": 1, "line-color": "#bbb", "target-arrow-color": "#bbb",
          "color": "#666", "text-rotation": "autorotate", "min-zoomed-font-size": 9 } }
      ],
      layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 70 }
    });
    cy.on("tap", "node", function (evt) { window.location.href = evt.target.data("href"); });
    box.dataset.nodes = cy.nodes().length;
    box.dataset.edges = cy.edges().length;
    box.classList.add("ready");
    window.policyGraph = cy;
  });
})();
