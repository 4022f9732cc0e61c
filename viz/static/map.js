/* chainkg map page: reads the page's JSON data, draws it with vis-network, wires interaction.
 *
 * Safety: data strings reach the page only through textContent and canvas text, never
 * innerHTML. Speed: positions are precomputed (physics off); large maps collapse each
 * segment's firms into one node that opens on click. window.chainkg exposes the network and
 * its data sets for tests; window.__chainkgReady is set after the first draw. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("chainkg-data").textContent);
  const container = document.getElementById("net");
  const SEGMENT_GROUPS = new Set(["present", "weak", "missing", "segment", "external"]);
  const FIRM_GROUPS = new Set(["local", "target", "focus"]);
  const GAP_GROUPS = new Set(["weak", "missing"]);
  const FADED = 0.15;
  const state = { local: true, targets: false, gaps: false, selected: null };

  // ------------------------------------------------------------------ data
  const rows = D.nodes;
  const ids = rows.map((n) => n[0]);
  const groupOf = rows.map((n) => D.groups[n[2]]);
  const anchorOf = new Map();
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  rows.forEach((n, i) => { if (n[5] >= 0) anchorOf.set(n[0], ids[n[5]]); });

  function isHidden(group) {
    return (group === "target" && !state.targets) || (group === "local" && !state.local);
  }
  const nodeItems = rows.map((n, i) => ({
    id: n[0], label: n[1], group: groupOf[i], x: n[3], y: n[4], hidden: isHidden(groupOf[i]),
  }));
  const edgeStyles = D.edgeStyles;
  const edgeKind = D.edges.map((e) => D.kinds[e[2]]);
  // a firm's lines to segments other than the one it hangs off cross the map: shown on click
  const sideLine = D.edges.map((e, i) => edgeKind[i] === "operates" && e[1] !== rows[e[0]][5]);
  function edgeHidden(i) {
    const kind = edgeKind[i];
    return (kind === "targets" && !state.targets) || (kind === "operates" && !state.local) ||
      (sideLine[i] && state.selected !== ids[D.edges[i][0]]);
  }
  const edgeItems = D.edges.map((e, i) => Object.assign(
    { id: i, from: ids[e[0]], to: ids[e[1]], kind: edgeKind[i], hidden: edgeHidden(i) },
    edgeStyles[edgeKind[i]],
    e.length > 4 ? { label: D.strings[e[4]] } : {},
  ));
  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);

  // upstream/downstream adjacency over supply links, and each firm's segments
  const up = new Map(), down = new Map(), firmSegments = new Map();
  function push(map, key, value) { (map.get(key) || map.set(key, []).get(key)).push(value); }
  D.edges.forEach((e, i) => {
    const from = ids[e[0]], to = ids[e[1]], kind = edgeKind[i];
    if (kind === "supplies" || kind === "cross" || kind === "links") {
      push(down, from, to); push(up, to, from);
    } else { push(firmSegments, from, to); }
  });

  // ------------------------------------------------------------------ network
  const network = new vis.Network(container, { nodes, edges }, D.options);
  window.chainkg = { network, nodes, edges, data: D, state };

  network.on("beforeDrawing", (ctx) => {
    // stage headers keep a readable size on screen whatever the zoom
    const size = Math.min(18 / network.getScale(), 72);
    const top = D.top - 24 - 1.6 * size, height = D.bottom - top + 24;
    D.bands.forEach((band, i) => {
      ctx.fillStyle = i % 2 ? "#f3f6f8" : "#eaf0f3";
      ctx.fillRect(band[1], top, band[2] - band[1], height);
      ctx.fillStyle = "#455a64";
      ctx.font = "bold " + size + "px " + D.options.nodes.font.face;
      ctx.textAlign = "center";
      ctx.fillText(band[0], (band[1] + band[2]) / 2, top + 1.25 * size);
    });
  });
  network.once("afterDrawing", () => {
    window.__chainkgReadyAt = performance.now();
    window.__chainkgReady = true;
  });

  // ------------------------------------------------------------------ clusters
  const clusters = new Map(); // cluster id -> segment id
  function clusterFirms() {
    if (!D.clusterMinFirms) return;
    const bySegment = new Map();
    ids.forEach((id, i) => { if (groupOf[i] === "local") push(bySegment, anchorOf.get(id), id); });
    const crowded = [...bySegment].filter((entry) => entry[1].length >= D.clusterMinFirms);
    crowded.forEach(([segment, members], k) => {
      const first = rows[indexOf.get(members[0])];
      const clusterId = "cluster:" + segment;
      const inside = new Set(members);
      const options = {
        joinCondition: (o) => inside.has(o.id),
        clusterNodeProperties: {
          id: clusterId, label: members.length + "家本地企业 ▸", group: "local",
          x: first[3], y: first[4], borderWidth: 2, hidden: !state.local,
        },
        clusterEdgeProperties: edgeStyles.operates,
      };
      collapse(members, options, k === crowded.length - 1);
      clusters.set(clusterId, segment);
    });
  }
  // The public cluster() scans every node and re-indexes the whole network per call: minutes
  // for 1,000 segments × 20,000 nodes. The vendored vis-network's _cluster() takes the members
  // directly; re-indexing happens once, after the last cluster. (Public path kept as fallback.)
  function collapse(members, options, last) {
    const engine = network.clustering;
    if (typeof engine._cluster !== "function" || typeof engine._checkOptions !== "function") {
      engine.cluster(options, last);
      return;
    }
    const nodesIn = {}, edgesIn = {};
    members.forEach((id) => {
      const node = network.body.nodes[id];
      nodesIn[id] = node;
      node.edges.forEach((e) => { if (engine.clusteredEdges[e.id] === undefined) edgesIn[e.id] = e; });
    });
    engine._cluster(nodesIn, edgesIn, engine._checkOptions(options), last);
  }
  function openCluster(clusterId) {
    network.clustering.openCluster(clusterId, {
      releaseFunction: (_, positions) => {
        const placed = {};
        Object.keys(positions).forEach((id) => {
          const n = rows[indexOf.get(id)];
          placed[id] = { x: n[3], y: n[4] };
        });
        return placed;
      },
    });
    clusters.delete(clusterId);
  }
  clusterFirms();

  // ------------------------------------------------------------------ tooltips
  const tip = document.getElementById("tip");
  function factList(flat) {
    const dl = document.createElement("dl");
    for (let i = 0; i < flat.length; i += 2) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = D.keys[flat[i]];
      dd.textContent = D.strings[flat[i + 1]];
      dl.append(dt, dd);
    }
    return dl;
  }
  function showTip(title, groupLabel, flat, pointer) {
    const head = document.createElement("div"), g = document.createElement("span");
    head.className = "t"; head.textContent = title;
    g.className = "g"; g.textContent = groupLabel;
    head.append(g);
    tip.replaceChildren(head, factList(flat));
    const box = container.getBoundingClientRect();
    tip.hidden = false;
    tip.style.left = Math.min(pointer.x + 14, box.width - tip.offsetWidth - 4) + "px";
    tip.style.top = Math.min(pointer.y + 14, box.height - tip.offsetHeight - 4) + "px";
  }
  network.on("hoverNode", (p) => {
    if (clusters.has(p.node)) {
      const n = network.clustering.getNodesInCluster(p.node).length;
      showTip(n + "家本地企业", "点击展开", [], p.pointer.DOM);
      return;
    }
    const i = indexOf.get(p.node);
    showTip(rows[i][1], D.groupLabels[rows[i][2]], rows[i][6], p.pointer.DOM);
  });
  network.on("hoverEdge", (p) => {
    const e = D.edges[p.edge];
    if (e && e[3].length) {
      showTip(rows[e[0]][1] + " → " + rows[e[1]][1], "", e[3], p.pointer.DOM);
    }
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach((ev) => {
    network.on(ev, () => { tip.hidden = true; });
  });

  // ------------------------------------------------------------------ highlight & filters
  const statusLine = document.getElementById("status");
  function walk(adjacency, start, into) {
    const todo = [start];
    while (todo.length) {
      for (const next of adjacency.get(todo.pop()) || []) {
        if (!into.has(next)) { into.add(next); todo.push(next); }
      }
    }
  }
  function selection(id) {
    const keep = new Set([id]);
    let text;
    if (FIRM_GROUPS.has(groupOf[indexOf.get(id)])) {
      (firmSegments.get(id) || []).forEach((s) => keep.add(s));
      text = "已选企业：" + rows[indexOf.get(id)][1] + "，所在环节 " + (keep.size - 1) + " 个";
    } else {
      const ups = new Set(), downs = new Set();
      walk(up, id, ups); walk(down, id, downs);
      ups.forEach((s) => keep.add(s)); downs.forEach((s) => keep.add(s));
      text = "已选：" + rows[indexOf.get(id)][1] + "，上游 " + ups.size + " 个、下游 " +
        downs.size + " 个环节";
      anchorOf.forEach((segment, firm) => { if (keep.has(segment)) keep.add(firm); });
    }
    return { keep, text };
  }
  function gapView() {
    const keep = new Set();
    ids.forEach((id, i) => { if (!SEGMENT_GROUPS.has(groupOf[i]) || GAP_GROUPS.has(groupOf[i])) keep.add(id); });
    anchorOf.forEach((segment, firm) => {
      if (groupOf[indexOf.get(firm)] === "local" && !GAP_GROUPS.has(groupOf[indexOf.get(segment)])) keep.delete(firm);
    });
    return keep;
  }
  function paint() {
    let keep = null;
    if (state.selected) {
      const s = selection(state.selected);
      keep = s.keep; statusLine.textContent = s.text;
    } else {
      statusLine.textContent = "";
      if (state.gaps) keep = gapView();
    }
    nodes.update(ids.map((id, i) => ({
      id, hidden: isHidden(groupOf[i]), opacity: !keep || keep.has(id) ? 1 : FADED,
    })));
    edges.update(edgeItems.map((e, i) => {
      const lit = !keep || (keep.has(e.from) && keep.has(e.to));
      const color = Object.assign({}, edgeStyles[edgeKind[i]].color, { opacity: lit ? 1 : FADED });
      return { id: e.id, hidden: edgeHidden(i), color };
    }));
    clusters.forEach((segment, clusterId) => {
      network.clustering.updateClusteredNode(clusterId, {
        hidden: !state.local, opacity: !keep || keep.has(segment) ? 1 : FADED,
      });
    });
  }
  network.on("click", (p) => {
    const id = p.nodes[0];
    if (id !== undefined && clusters.has(id)) { openCluster(id); return; }
    state.selected = id === undefined ? null : id;
    paint();
  });
  function bind(inputId, key) {
    const box = document.getElementById(inputId);
    if (!box) return;
    box.addEventListener("change", () => { state[key] = box.checked; state.selected = null; paint(); });
  }
  bind("f-local", "local");
  bind("f-targets", "targets");
  bind("f-gaps", "gaps");
  function setBox(inputId, key, value) {
    const box = document.getElementById(inputId);
    if (box) box.checked = value;
    state[key] = value;
  }
  document.getElementById("reset").addEventListener("click", () => {
    state.selected = null;
    network.unselectAll();
    paint();
    network.fit({ animation: false });
  });

  // ------------------------------------------------------------------ search
  const input = document.getElementById("q"), hits = document.getElementById("hits");
  const haystack = rows.map((n) => (n[1] + " " + n[0] + " " + (n[7] >= 0 ? D.strings[n[7]] : "")).toLowerCase());
  function reveal(id) {
    const group = groupOf[indexOf.get(id)];
    if (group === "target" && !state.targets) setBox("f-targets", "targets", true);
    if (group === "local" && !state.local) setBox("f-local", "local", true);
    const path = network.clustering.findNode(id);
    path.slice(0, -1).forEach((c) => { if (clusters.has(c)) openCluster(c); });
    state.selected = id;
    paint();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    hits.hidden = true;
  }
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    hits.replaceChildren();
    if (!q) { hits.hidden = true; return; }
    for (let i = 0; i < rows.length && hits.childElementCount < 20; i++) {
      if (!haystack[i].includes(q)) continue;
      const li = document.createElement("li");
      li.textContent = rows[i][1] + " · " + D.groupLabels[rows[i][2]];
      li.dataset.node = String(i);
      li.addEventListener("click", () => reveal(ids[i]));
      hits.append(li);
    }
    if (!hits.childElementCount) {
      const li = document.createElement("li");
      li.textContent = "没有匹配的环节或企业";
      hits.append(li);
    }
    hits.hidden = false;
  });
  input.addEventListener("keydown", (ev) => {
    const first = hits.querySelector("li[data-node]");
    if (ev.key === "Enter" && first) reveal(ids[Number(first.dataset.node)]);
    if (ev.key === "Escape") { hits.hidden = true; }
  });

  network.fit({ animation: false });
})();
