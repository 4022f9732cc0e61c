/* chainkg map page: reads the page's JSON data, draws it with vis-network, wires interaction.
 *
 * Safety: data strings reach the page only through textContent and canvas text, never
 * innerHTML. Speed: positions are precomputed (physics off), and vis-network is handed a
 * filtered view of the data: hidden target firms, and the firms of crowded segments on large
 * maps (collapsed behind one "N家本地企业" box that opens on click), are not built until shown.
 * The DataSets always hold the whole graph. window.chainkg exposes them and the network for
 * tests; window.__chainkgReady is set after the first drawn frame. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("chainkg-data").textContent);
  const container = document.getElementById("net");
  const FACE = D.options.nodes.font.face;
  const SEGMENT_GROUPS = new Set(
    ["present", "weak", "missing", "segment", "external", "own", "neighbour"]);
  const FIRM_GROUPS = new Set(["local", "target", "focus"]);
  const GAP_GROUPS = new Set(["weak", "missing"]);
  const FADED = 0.15;
  const state = { local: true, targets: false, gaps: false, selected: null };
  let keep = null; // ids drawn at full strength (a selection, the gap filter); null: all

  // ------------------------------------------------------------------ data
  // the page data comes field by field (see viz/render.py pack): D.id[i], D.label[i], …
  const ids = D.id, labels = D.label;
  const groupOf = D.group.map((g) => D.groups[g]);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const anchorOf = new Map();
  D.anchor.forEach((a, i) => { if (a >= 0) anchorOf.set(ids[i], ids[a]); });
  function push(map, key, value) { (map.get(key) || map.set(key, []).get(key)).push(value); }
  function starts(counts) { // offsets of each item's facts in the flat fact list
    const at = [0];
    counts.forEach((c, i) => at.push(at[i] + 2 * c));
    return at;
  }
  const nodeFactAt = starts(D.factCount), edgeFactAt = starts(D.edgeFactCount);
  const nodeFacts = (i) => D.facts.slice(nodeFactAt[i], nodeFactAt[i + 1]);
  const edgeFacts = (i) => D.edgeFacts.slice(edgeFactAt[i], edgeFactAt[i + 1]);
  const edgeLabel = new Map(D.edgeLabels);
  // the text drawn in a box: the label fitted by viz/labels.py (the full name is in the tooltip)
  const wraps = new Map(D.wraps);
  function drawn(i) {
    if (wraps.has(i)) return wraps.get(i);
    return D.cut[i] ? Array.from(labels[i]).slice(0, D.cut[i]).join("") + "…" : labels[i];
  }

  const edgeStyles = D.edgeStyles;
  const edgeKind = D.kind.map((k) => D.kinds[k]);
  // a firm's lines to segments other than the one it hangs off cross the map: shown on click
  const sideLine = edgeKind.map((k, i) => k === "operates" && D.to[i] !== D.anchor[D.from[i]]);
  const nodes = new vis.DataSet(ids.map((id, i) => ({
    id, label: drawn(i), group: groupOf[i], x: D.x[i], y: D.y[i],
  })));
  const edges = new vis.DataSet(edgeKind.map((kind, i) => Object.assign(
    { id: i, from: ids[D.from[i]], to: ids[D.to[i]], kind },
    edgeStyles[kind],
    edgeLabel.has(i) ? { label: D.strings[edgeLabel.get(i)] } : {},
  )));

  // upstream/downstream adjacency over supply links, and each firm's segments
  const up = new Map(), down = new Map(), firmSegments = new Map();
  edgeKind.forEach((kind, i) => {
    const from = ids[D.from[i]], to = ids[D.to[i]];
    if (kind === "supplies" || kind === "cross" || kind === "links") {
      push(down, from, to); push(up, to, from);
    } else { push(firmSegments, from, to); }
  });

  // crowded segments of a large map: their local firms start collapsed behind one box
  const collapsed = new Map(); // segment id -> { members, x, y }
  const collapsedIn = new Map(); // firm id -> segment id
  if (D.clusterMinFirms) {
    const bySegment = new Map();
    ids.forEach((id, i) => { if (groupOf[i] === "local") push(bySegment, anchorOf.get(id), id); });
    bySegment.forEach((members, segment) => {
      if (members.length < D.clusterMinFirms) return;
      const first = indexOf.get(members[0]);
      collapsed.set(segment, { members, x: D.x[first], y: D.y[first] });
      members.forEach((m) => collapsedIn.set(m, segment));
    });
  }

  function shown(id) {
    const group = groupOf[indexOf.get(id)];
    if (group === "target") return state.targets;
    if (group === "local") return state.local && !collapsedIn.has(id);
    return true;
  }
  function edgeShown(edge) {
    return shown(edge.from) && shown(edge.to) && (!sideLine[edge.id] || state.selected === edge.from);
  }
  const nodeView = new vis.DataView(nodes, { filter: (n) => shown(n.id) });
  const edgeView = new vis.DataView(edges, { filter: edgeShown });

  // ------------------------------------------------------------------ legend
  // open beside a wide map; folded on a phone, where it would take the map's width (folded
  // before the network exists: a later resize would rescale the first view)
  const legend = document.getElementById("legend");
  if (legend && window.matchMedia("(max-width: 700px)").matches) legend.open = false;

  // ------------------------------------------------------------------ network
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, D.options);
  window.chainkg = {
    network, nodes, edges, data: D, state, collapsed,
    isShown: (id) => nodeView.get(id) !== null,
  };

  network.on("beforeDrawing", (ctx) => {
    // stage headers keep a readable size on screen whatever the zoom
    const size = Math.min(18 / network.getScale(), 72);
    const top = D.top - 24 - 1.6 * size, height = D.bottom - top + 24;
    D.bands.forEach((band, i) => {
      ctx.fillStyle = i % 2 ? "#f3f6f8" : "#eaf0f3";
      ctx.fillRect(band[1], top, band[2] - band[1], height);
      ctx.fillStyle = "#455a64";
      ctx.font = "bold " + size + "px " + FACE;
      ctx.textAlign = "center";
      ctx.fillText(band[0], (band[1] + band[2]) / 2, top + 1.25 * size);
    });
  });
  network.on("afterDrawing", drawCollapsed);
  network.once("afterDrawing", () => {
    window.__chainkgReadyAt = performance.now();
    window.__chainkgReady = true;
  });

  // ------------------------------------------------------------------ collapsed boxes
  const BOX_W = 96, BOX_H = 22;
  function collapsedLabel(box) { return box.members.length + "家本地企业 ▸"; }
  function drawCollapsed(ctx) {
    if (!state.local) return;
    ctx.font = "12px " + FACE;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    collapsed.forEach((box, segment) => {
      const faded = keep && !keep.has(segment);
      ctx.globalAlpha = faded ? FADED : 1;
      ctx.fillStyle = "#e3f2fd";
      ctx.strokeStyle = "#1565c0";
      ctx.lineWidth = 2;
      ctx.fillRect(box.x - BOX_W / 2, box.y - BOX_H / 2, BOX_W, BOX_H);
      ctx.strokeRect(box.x - BOX_W / 2, box.y - BOX_H / 2, BOX_W, BOX_H);
      ctx.fillStyle = "#0d47a1";
      ctx.fillText(collapsedLabel(box), box.x, box.y);
    });
    ctx.globalAlpha = 1;
  }
  function collapsedAt(point) {
    if (!state.local) return null;
    for (const [segment, box] of collapsed) {
      if (Math.abs(point.x - box.x) <= BOX_W / 2 && Math.abs(point.y - box.y) <= BOX_H / 2) {
        return segment;
      }
    }
    return null;
  }
  function expand(segment) {
    const box = collapsed.get(segment);
    if (!box) return;
    collapsed.delete(segment);
    box.members.forEach((m) => collapsedIn.delete(m));
    refresh();
  }
  let overBox = false;
  container.addEventListener("mousemove", (ev) => {
    const rect = container.getBoundingClientRect();
    const dom = { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
    const segment = collapsedAt(network.DOMtoCanvas(dom));
    container.style.cursor = segment ? "pointer" : "";
    if (segment) {
      const n = collapsed.get(segment).members.length;
      showTip(n + "家本地企业", "点击展开", [], dom);
      overBox = true;
    } else if (overBox) {
      tip.hidden = true;
      overBox = false;
    }
  });

  // ------------------------------------------------------------------ sources
  // a source is shown as its site (or a short title), the full citation on hover
  const URL_RE = /https?:\/\/[^\s（）()，,；;、]+/g;
  const CHAINKG_RE = /ChainKG (\([^)]*\)(, [\w./]+)*|[\w./]+\.json)/g; // the national pool
  function site(url) {
    try { return new URL(url).hostname.replace(/^(www|m)\./, ""); } catch (e) { return url; }
  }
  function shortSources(text) {
    const found = [];
    for (const m of text.matchAll(URL_RE)) found.push([m.index, m[0], site(m[0])]);
    for (const m of text.matchAll(CHAINKG_RE)) found.push([m.index, m[0], "ChainKG开源产业链图谱"]);
    found.sort((a, b) => a[0] - b[0]);
    const out = document.createDocumentFragment();
    let last = 0;
    for (const [at, full, short] of found) {
      if (at < last) continue;
      const span = document.createElement("span");
      span.className = "src"; span.title = full; span.textContent = short;
      out.append(text.slice(last, at), span);
      last = at + full.length;
    }
    out.append(text.slice(last));
    return out;
  }
  document.querySelectorAll(".head .note, .head .subtitle").forEach((el) => {
    el.replaceChildren(shortSources(el.textContent));
  });

  // ------------------------------------------------------------------ tooltips
  const tip = document.getElementById("tip");
  function factList(flat) {
    const dl = document.createElement("dl");
    for (let i = 0; i < flat.length; i += 2) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      const value = flat[i + 1]; // long values are indexes into the string table
      dt.textContent = D.keys[flat[i]];
      dd.append(shortSources(typeof value === "number" ? D.strings[value] : value));
      dl.append(dt, dd);
    }
    return dl;
  }
  function showTip(title, groupLabel, flat, pointer, pinned) {
    tip.classList.toggle("pinned", Boolean(pinned));
    const head = document.createElement("div"), g = document.createElement("span");
    head.className = "t"; head.textContent = title;
    g.className = "g"; g.textContent = groupLabel;
    head.append(g);
    tip.replaceChildren(head, factList(flat));
    const box = container.getBoundingClientRect();
    tip.hidden = false;
    tip.style.left = Math.max(0, Math.min(pointer.x + 14, box.width - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(pointer.y + 14, box.height - tip.offsetHeight - 4)) + "px";
  }
  window.chainkg.showTip = (id) => nodeTip(id, { x: 0, y: 0 }, true); // for tests
  network.on("hoverNode", (p) => nodeTip(p.node, p.pointer.DOM, false));
  network.on("hoverEdge", (p) => edgeTip(p.edge, p.pointer.DOM, false));
  function nodeTip(id, pointer, pinned) {
    const i = indexOf.get(id);
    showTip(labels[i], D.groupLabels[D.group[i]], nodeFacts(i), pointer, pinned);
  }
  function edgeTip(i, pointer, pinned) {
    const facts = typeof i === "number" ? edgeFacts(i) : [];
    if (!facts.length) return false;
    showTip(labels[D.from[i]] + " → " + labels[D.to[i]], "", facts, pointer, pinned);
    return true;
  }
  ["blurNode", "blurEdge"].forEach((ev) => {
    network.on(ev, () => { if (!tip.classList.contains("pinned")) tip.hidden = true; });
  });
  ["dragStart", "zoom"].forEach((ev) => { network.on(ev, () => { tip.hidden = true; }); });
  container.addEventListener("mouseleave", (ev) => {
    if (!tip.contains(ev.relatedTarget)) tip.hidden = true;
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
    const lit = new Set([id]);
    const name = labels[indexOf.get(id)];
    if (FIRM_GROUPS.has(groupOf[indexOf.get(id)])) {
      (firmSegments.get(id) || []).forEach((s) => lit.add(s));
      return { lit, text: "已选企业：" + name + "，所在环节 " + (lit.size - 1) + " 个" };
    }
    const ups = new Set(), downs = new Set();
    walk(up, id, ups); walk(down, id, downs);
    ups.forEach((s) => lit.add(s)); downs.forEach((s) => lit.add(s));
    anchorOf.forEach((segment, firm) => { if (lit.has(segment)) lit.add(firm); });
    const text = "已选：" + name + "，上游 " + ups.size + " 个、下游 " + downs.size + " 个环节";
    return { lit, text };
  }
  function gapView() {
    const lit = new Set();
    ids.forEach((id, i) => {
      const segmentOk = !SEGMENT_GROUPS.has(groupOf[i]) || GAP_GROUPS.has(groupOf[i]);
      if (segmentOk) lit.add(id);
    });
    anchorOf.forEach((segment, firm) => {
      const local = groupOf[indexOf.get(firm)] === "local";
      if (local && !GAP_GROUPS.has(groupOf[indexOf.get(segment)])) lit.delete(firm);
    });
    return lit;
  }
  function refresh() {
    keep = null;
    statusLine.textContent = "";
    if (state.selected) {
      const s = selection(state.selected);
      keep = s.lit; statusLine.textContent = s.text;
    } else if (state.gaps) {
      keep = gapView();
    }
    nodes.update(ids.map((id) => ({ id, opacity: !keep || keep.has(id) ? 1 : FADED })));
    edges.update(edgeKind.map((_, i) => {
      const lit = !keep || (keep.has(ids[D.from[i]]) && keep.has(ids[D.to[i]]));
      return { id: i, color: Object.assign({}, edgeStyles[edgeKind[i]].color, { opacity: lit ? 1 : FADED }) };
    }));
    nodeView.refresh();
    edgeView.refresh();
    network.redraw();
  }
  // a click or a tap selects a node and pins its details (touch screens have no hover)
  network.on("click", (p) => {
    const id = p.nodes[0];
    if (id === undefined) {
      const segment = collapsedAt(p.pointer.canvas);
      if (segment) { expand(segment); return; }
    }
    state.selected = id === undefined ? null : id;
    refresh();
    if (id !== undefined) nodeTip(id, p.pointer.DOM, true);
    else if (!(p.edges.length && edgeTip(p.edges[0], p.pointer.DOM, true))) tip.hidden = true;
  });
  function setBox(inputId, key, value) {
    const box = document.getElementById(inputId);
    if (box) box.checked = value;
    state[key] = value;
  }
  [["f-local", "local"], ["f-targets", "targets"], ["f-gaps", "gaps"]].forEach(([inputId, key]) => {
    const box = document.getElementById(inputId);
    if (!box) return;
    box.addEventListener("change", () => { state[key] = box.checked; state.selected = null; refresh(); });
  });
  // the default view: the whole map when its labels stay legible that way, else the map's
  // upstream (top-left) corner at the smallest legible zoom (D.minScale, see viz/style.py)
  function defaultView() {
    network.fit({ animation: false });
    if (network.getScale() >= D.minScale) return;
    let left = Infinity, top = Infinity;
    nodeView.getIds().forEach((id) => {
      const box = network.getBoundingBox(id);
      left = Math.min(left, box.left); top = Math.min(top, box.top);
    });
    const band = D.bands.length ? 24 + 1.6 * 18 / D.minScale + 8 : 8;
    const s = D.minScale;
    network.moveTo({
      scale: s, animation: false,
      position: {
        x: left - 12 / s + container.clientWidth / (2 * s),
        y: Math.min(top, D.top - band) + container.clientHeight / (2 * s),
      },
    });
  }
  document.getElementById("reset").addEventListener("click", () => {
    state.selected = null;
    network.unselectAll();
    tip.hidden = true;
    refresh();
    defaultView();
  });


  // ------------------------------------------------------------------ search
  const input = document.getElementById("q"), hits = document.getElementById("hits");
  const haystack = ids.map((id, i) =>
    (labels[i] + " " + id + " " + (D.search[i] >= 0 ? D.strings[D.search[i]] : "")).toLowerCase());
  function reveal(id) {
    const group = groupOf[indexOf.get(id)];
    if (group === "target" && !state.targets) setBox("f-targets", "targets", true);
    if (group === "local" && !state.local) setBox("f-local", "local", true);
    if (collapsedIn.has(id)) expand(collapsedIn.get(id));
    state.selected = id;
    refresh();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    hits.hidden = true;
  }
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    hits.replaceChildren();
    if (!q) { hits.hidden = true; return; }
    for (let i = 0; i < ids.length && hits.childElementCount < 20; i++) {
      if (!haystack[i].includes(q)) continue;
      const li = document.createElement("li");
      li.textContent = labels[i] + " · " + D.groupLabels[D.group[i]];
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

  defaultView();
})();
