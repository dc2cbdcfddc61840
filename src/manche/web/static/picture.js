// The live picture: draws the Strait from /api/v1/geo/layers as SVG (no tiles, no network
// beyond this server), the incidents from /api/v1/picture and their tracks, and keeps both
// current from the server-sent events of /api/v1/picture/stream (the session cookie
// authenticates it). No framework: a small store, re-rendered at most once per frame.

const SVG = "http://www.w3.org/2000/svg";
const config = JSON.parse(document.getElementById("picture-config").textContent);
const T = config.text;
const svg = document.getElementById("map");
const list = document.getElementById("incidents");
const count = document.getElementById("count");
const limited = document.getElementById("list-limited");
const live = document.getElementById("live");
const liveText = document.getElementById("live-text");

// Equirectangular projection scaled at 51°N (distortion under 1% across the view).
const VIEW = { lon0: 0.75, lon1: 2.55, lat0: 50.56, lat1: 51.35, width: 1000 };
const COS = Math.cos((51 * Math.PI) / 180);
const SCALE = VIEW.width / ((VIEW.lon1 - VIEW.lon0) * COS);  // SVG units per degree of latitude
const HEIGHT = Math.round((VIEW.lat1 - VIEW.lat0) * SCALE);
svg.setAttribute("viewBox", `0 0 ${VIEW.width} ${HEIGHT}`);
const x = (lon) => (lon - VIEW.lon0) * COS * SCALE;
const y = (lat) => (VIEW.lat1 - lat) * SCALE;
const px = (lon, lat) => `${x(lon).toFixed(1)},${y(lat).toFixed(1)}`;

const PHASE_RANK = { DETRESFA: 3, ALERFA: 2, INCERFA: 1, "-": 0 };
const locale = config.lang === "fr" ? "fr-FR" : "en-GB";
const when = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short", timeZone: "UTC" });
const number = new Intl.NumberFormat(locale);

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function ringsPath(rings) {
  return rings.map((ring) => "M" + ring.map(([lo, la]) => px(lo, la)).join("L") + "Z").join("");
}

function geometryPath(g) {
  switch (g.type) {
    case "Polygon": return ringsPath(g.coordinates);
    case "MultiPolygon": return g.coordinates.map(ringsPath).join("");
    case "LineString": return "M" + g.coordinates.map(([lo, la]) => px(lo, la)).join("L");
    case "MultiLineString": return g.coordinates.map((line) => "M" + line.map(([lo, la]) => px(lo, la)).join("L")).join("");
    default: return "";
  }
}

const CLASS = {
  "sovereignty:UK-LAND": "land", "sovereignty:FR-LAND": "land", "sovereignty:BE-LAND": "land",
  "sovereignty:UK-TS": "ts-uk", "sovereignty:FR-TS": "ts-fr", "sovereignty:BE-TS": "ts-be",
  "shipping:SW-LANE": "lane", "shipping:NE-LANE": "lane", "shipping:SEPARATION": "sep",
  "shipping:UK-ITZ": "itz", "shipping:FR-ITZ": "itz",
};
const ORDER = ["ts-uk", "ts-fr", "ts-be", "itz", "lane", "sep", "land"];

function label(text, lon, lat, cls = "label", anchor = "start") {
  const node = el("text", { x: x(lon).toFixed(1), y: y(lat).toFixed(1), class: cls, "text-anchor": anchor });
  node.textContent = text;
  return node;
}

async function drawGeography() {
  const layers = await (await fetch("/api/v1/geo/layers")).json();
  const base = el("g", { id: "geography", "aria-hidden": "true" }, svg);
  const groups = Object.fromEntries(ORDER.map((name) => [name, el("g", { class: name }, base)]));
  const lines = el("g", {}, base);
  const places = el("g", {}, base);
  const labels = el("g", {}, base);
  for (const f of layers.features) {
    const p = f.properties;
    const cls = CLASS[`${p.layer}:${p.code}`];
    if (cls) {
      el("path", { d: geometryPath(f.geometry), class: cls, "fill-rule": "evenodd", "data-code": p.code }, groups[cls]);
    } else if (p.layer === "treaty_line") {
      el("path", { d: geometryPath(f.geometry), class: "treaty", "data-layer": "treaty_line" }, lines);
    } else if (p.layer === "median_line") {
      el("path", { d: geometryPath(f.geometry), class: "median", "data-layer": "median_line", "data-proxy": p.sar_region_boundary }, lines);
    } else if (p.layer === "place" && f.geometry.type === "Point") {
      const [lo, la] = f.geometry.coordinates;
      if (lo < VIEW.lon0 || lo > VIEW.lon1 || la < VIEW.lat0 || la > VIEW.lat1) continue;
      const role = String(p.role);
      const launch = role.startsWith("launch");
      const landing = /landing|disembarkation/.test(role) && !/reference/.test(role);
      if (!launch && !landing) continue;
      const labelled = launch || role === "landing area" || role === "landing port";
      if (launch) {
        el("rect", { x: x(lo) - 5, y: y(la) - 5, width: 10, height: 10, class: "place-launch", "data-place": "launch" }, places);
      } else {
        const cx = x(lo), cy = y(la);
        el("polygon", { points: `${cx},${cy - 6} ${cx + 6},${cy + 5} ${cx - 6},${cy + 5}`, class: "place-landing", "data-place": "landing" }, places);
      }
      const name = String(p.name).replace(/ \(.*\)$/, "").replace(/ \/.*$/, "");
      if (labelled) labels.appendChild(label(name, lo + (launch ? 0.012 : -0.012), la - 0.004, "label", launch ? "start" : "end"));
    }
  }
  labels.appendChild(label(T.uk, 1.0, 51.28, "label label--sea"));
  labels.appendChild(label(T.fr, 2.1, 50.64, "label label--sea"));
  labels.appendChild(label(T.proxy, 1.17, 50.585, "label label--proxy"));
  labels.appendChild(label(T.ukTs, 1.0, 50.86, "label label--sea"));
  labels.appendChild(label(T.frTs, 1.40, 50.83, "label label--sea"));
  labels.appendChild(label(T.treaty, 1.72, 51.14, "label"));
  svg.appendChild(el("g", { id: "assets" }));
  svg.appendChild(el("g", { id: "tracks" }));
  svg.appendChild(el("g", { id: "boats" }));
}

// ---- zoom and pan: the SVG's viewBox (no tiles; lines keep their width, markers their size) --
const MAX_ZOOM = 16;
const view = { k: 1, cx: VIEW.width / 2, cy: HEIGHT / 2 };  // zoom factor, centre in map units
const zoomStatus = document.getElementById("zoom-status");
let dragged = false;

function applyView(announce = true) {
  view.k = Math.min(MAX_ZOOM, Math.max(1, view.k));
  const w = VIEW.width / view.k, h = HEIGHT / view.k;
  view.cx = Math.min(VIEW.width - w / 2, Math.max(w / 2, view.cx));  // stay over the Strait
  view.cy = Math.min(HEIGHT - h / 2, Math.max(h / 2, view.cy));
  svg.setAttribute("viewBox", `${(view.cx - w / 2).toFixed(2)} ${(view.cy - h / 2).toFixed(2)} ${w.toFixed(2)} ${h.toFixed(2)}`);
  svg.style.setProperty("--k", String(view.k));
  svg.dataset.zoom = view.k.toFixed(3);
  if (announce && zoomStatus) zoomStatus.textContent = T.zoomLevel.replace("{zoom}", number.format(Math.round(view.k * 10) / 10));
  if (view.k !== sized) resizeMarkers();  // a pan alone changes nothing drawn
}

let sized = 1;  // the zoom the markers were last sized for
function resizeMarkers() {
  // markers keep their size on screen: their radius in map units shrinks as the zoom grows
  performance.mark("manche-zoom-start");
  sized = view.k;
  for (const circle of svg.querySelectorAll("#boats circle[data-r]")) {
    circle.setAttribute("r", (Number(circle.dataset.r) / view.k).toFixed(2));
  }
  performance.measure("manche-zoom", "manche-zoom-start");
}

function unitsPerPixel() {
  const ctm = svg.getScreenCTM();
  return ctm && ctm.a ? 1 / ctm.a : VIEW.width / view.k / svg.clientWidth;
}

function toMap(clientX, clientY) {
  const ctm = svg.getScreenCTM();
  if (!ctm) return [view.cx, view.cy];
  const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  return [p.x, p.y];
}

function zoomBy(factor, at = null) {
  const [ux, uy] = at || [view.cx, view.cy];
  const k = Math.min(MAX_ZOOM, Math.max(1, view.k * factor));
  const f = view.k / k;  // keep the point under the cursor where it is
  view.cx = ux + (view.cx - ux) * f;
  view.cy = uy + (view.cy - uy) * f;
  view.k = k;
  applyView();
}

function panBy(dx, dy) {  // in map units
  view.cx += dx;
  view.cy += dy;
  applyView(false);
}

function resetView() {
  Object.assign(view, { k: 1, cx: VIEW.width / 2, cy: HEIGHT / 2 });
  applyView();
}

svg.addEventListener("wheel", (event) => {
  event.preventDefault();
  zoomBy(Math.exp(-event.deltaY * 0.002), toMap(event.clientX, event.clientY));
}, { passive: false });

let drag = null;
svg.addEventListener("pointerdown", (event) => {
  if (event.button !== 0) return;
  drag = { x: event.clientX, y: event.clientY, id: event.pointerId };
  dragged = false;
});
svg.addEventListener("pointermove", (event) => {
  if (!drag || event.pointerId !== drag.id) return;
  const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
  if (!dragged && Math.hypot(dx, dy) < 4) return;  // a click, not yet a drag
  if (!dragged) { dragged = true; svg.setPointerCapture(event.pointerId); svg.classList.add("is-dragging"); }
  const u = unitsPerPixel();
  drag.x = event.clientX;
  drag.y = event.clientY;
  panBy(-dx * u, -dy * u);
});
function endDrag(event) {
  if (!drag || event.pointerId !== drag.id) return;
  drag = null;
  svg.classList.remove("is-dragging");
  if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
  setTimeout(() => { dragged = false; }, 0);  // after the click that ends a drag
}
svg.addEventListener("pointerup", endDrag);
svg.addEventListener("pointercancel", endDrag);

svg.addEventListener("keydown", (event) => {
  const step = (VIEW.width / view.k) * 0.1;  // a tenth of the visible width
  const keys = {
    "+": () => zoomBy(1.5), "=": () => zoomBy(1.5), "-": () => zoomBy(1 / 1.5), "_": () => zoomBy(1 / 1.5),
    "0": resetView, Home: resetView,
    ArrowLeft: () => panBy(-step, 0), ArrowRight: () => panBy(step, 0),
    ArrowUp: () => panBy(0, -step), ArrowDown: () => panBy(0, step),
  };
  const action = keys[event.key];
  if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    action();
  }
});

document.getElementById("zoom-in").addEventListener("click", () => zoomBy(1.5));
document.getElementById("zoom-out").addEventListener("click", () => zoomBy(1 / 1.5));
document.getElementById("zoom-reset").addEventListener("click", resetView);
document.getElementById("map-controls").hidden = false;  // the buttons need this script

// ---- the store ---------------------------------------------------------------------------
const incidents = new Map();  // ref -> summary
const tracks = new Map();     // ref -> [[lon, lat, at], ...]
const fresh = new Set();      // refs that just appeared (highlighted once)

function matches(i) {
  const f = config.filters;
  if (f.state && i.state !== f.state) return false;
  if (f.phase && i.sar_phase !== f.phase) return false;
  if (f.zone && i.zone !== f.zone) return false;
  if (f.exercise === "exercise" && !i.exercise) return false;
  if (f.exercise === "real" && i.exercise) return false;
  return true;
}

function urgency(a, b) {
  if (a.active !== b.active) return a.active ? -1 : 1;
  const phase = (PHASE_RANK[b.sar_phase] || 0) - (PHASE_RANK[a.sar_phase] || 0);
  if (phase) return phase;
  return (b.last_event_at || "").localeCompare(a.last_event_at || "");
}

function tag(text, cls) {
  const span = document.createElement("span");
  span.className = `tag ${cls}`;
  span.textContent = text;
  return span;
}

function listItem(i) {
  const li = document.createElement("li");
  li.dataset.ref = i.ref;
  li.className = `is-${i.sar_phase.toLowerCase()}` + (fresh.has(i.ref) ? " is-new" : "");
  const a = document.createElement("a");
  a.href = `/incidents/${encodeURIComponent(i.ref)}`;
  a.textContent = i.ref;
  li.appendChild(a);
  const tags = document.createElement("div");
  tags.className = "tags";
  if (i.sar_phase !== "-") {
    const phase = tag(i.sar_phase, i.sar_phase === "DETRESFA" ? "tag--alert" : `tag--${i.sar_phase.toLowerCase()}`);
    tags.appendChild(phase);
  }
  const state = tag("", i.active ? "" : "tag--closed");
  const dot = document.createElement("span");
  dot.className = "state-dot";
  dot.style.background = config.colours[i.state] || "#fff";
  state.append(dot, config.states[i.state] || i.state || "–");
  tags.appendChild(state);
  if (i.exercise) tags.appendChild(tag(T.exercise, "tag--exercise"));
  if (i.findings) tags.appendChild(tag(i.findings === 1 ? T.findingOne : T.findings.replace("{num}", number.format(i.findings)), "tag--review"));
  li.appendChild(tags);
  const facts = document.createElement("div");
  facts.className = "facts";
  const parts = [];
  if (i.persons_aboard !== null && i.persons_aboard !== undefined) {
    parts.push(i.persons_aboard === 1 ? T.personsOne : T.persons.replace("{num}", number.format(i.persons_aboard)));
  }
  parts.push(i.zone || "–", i.coordinating_centre || i.responsible_centre || "–");
  if (i.last_event_at) parts.push(`${T.lastEvent} ${when.format(new Date(i.last_event_at))} UTC`);
  facts.textContent = parts.join(" · ");
  li.appendChild(facts);
  return li;
}

function renderList(shown) {
  // the most urgent only (as the server's list): a year holds hundreds of closed incidents
  const items = shown.slice(0, config.listLimit).map(listItem);
  limited.hidden = shown.length <= config.listLimit;
  if (!items.length) {
    const li = document.createElement("li");
    li.id = "no-incidents";
    li.textContent = T.none;
    items.push(li);
  }
  list.replaceChildren(...items);
  count.textContent = number.format(shown.length);
}

function renderMap(shown) {
  const trackLayer = document.getElementById("tracks");
  const boatLayer = document.getElementById("boats");
  if (!trackLayer || !boatLayer) return;
  const trackNodes = [];
  const boatNodes = [];
  for (const i of [...shown].reverse()) {  // most urgent drawn last, on top
    const colour = config.colours[i.state] || "#1d70b8";
    const points = tracks.get(i.ref) || [];
    if (points.length > 1) {
      trackNodes.push(el("polyline", { class: "track", stroke: colour, points: points.map(([lo, la]) => px(lo, la)).join(" ") }));
    }
    if (!i.position) continue;
    const g = el("g", { class: "boat-marker", "data-ref": i.ref, "data-state": i.state || "", "data-phase": i.sar_phase });
    const cx = x(i.position.lon), cy = y(i.position.lat);
    const k = 1 / view.k;  // markers keep their size on screen when zoomed
    if (i.sar_phase === "DETRESFA" && i.active) el("circle", { cx, cy, r: 8 * k, "data-r": 8, class: "pulse" }, g);
    const r = i.active ? 7 : 5;
    el("circle", { cx, cy, r: r * k, "data-r": r, fill: colour, class: "boat" + (i.exercise ? " boat--exercise" : "") }, g);
    const title = el("title", {}, g);
    title.textContent = `${i.ref} · ${config.states[i.state] || i.state}` + (i.sar_phase !== "-" ? ` · ${i.sar_phase}` : "") + (i.exercise ? ` · ${T.exercise}` : "");
    g.addEventListener("click", () => { if (!dragged) window.location.href = `/incidents/${encodeURIComponent(i.ref)}`; });
    boatNodes.push(g);
  }
  trackLayer.replaceChildren(...trackNodes);
  boatLayer.replaceChildren(...boatNodes);
}

let scheduled = false;
function render() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    performance.mark("manche-render-start");
    const shown = [...incidents.values()].filter(matches).sort(urgency);
    renderList(shown);
    renderMap(shown);
    fresh.clear();
    // how long a redraw takes (read by the browser tests; visible in the browser's profiler)
    performance.measure("manche-render", "manche-render-start");
  });
}

function apply(message) {
  const i = message.incident;
  if (!i) return;
  if (!incidents.has(i.ref)) fresh.add(i.ref);
  incidents.set(i.ref, i);
  if (i.position) {
    const points = tracks.get(i.ref) || [];
    const last = points[points.length - 1];
    if (!last || last[2] !== i.position.at) points.push([i.position.lon, i.position.lat, i.position.at]);
    points.sort((a, b) => a[2].localeCompare(b[2]));
    tracks.set(i.ref, points);
  }
  render();
}

async function loadAssets() {
  const data = await (await fetch("/api/v1/picture/assets", { headers: { Accept: "application/json" } })).json();
  const layer = document.getElementById("assets");
  const nodes = [];
  const seen = new Set();
  for (const a of data.assets) {
    if (a.lon < VIEW.lon0 || a.lon > VIEW.lon1 || a.lat < VIEW.lat0 || a.lat > VIEW.lat1) continue;
    // assets at the same home base are stacked: offset them a little so each stays visible
    const key = `${a.lon.toFixed(3)},${a.lat.toFixed(3)}`;
    let n = 0;
    while (seen.has(`${key}#${n}`)) n += 1;
    seen.add(`${key}#${n}`);
    const cx = x(a.lon) + n * 7, cy = y(a.lat) - 10;
    const g = el("g", { class: "asset-marker", "data-asset": a.asset, "data-basis": a.basis });
    el("polygon", { points: `${cx},${cy - 5} ${cx + 5},${cy} ${cx},${cy + 5} ${cx - 5},${cy}`, class: a.basis === "home base" ? "asset asset--home" : "asset" }, g);
    const title = el("title", {}, g);
    title.textContent = `${a.asset} · ${a.name} · ${a.basis === "home base" ? T.homeBase : T.reported}`;
    nodes.push(g);
  }
  layer.replaceChildren(...nodes);
}

async function load() {
  const [picture, trackData] = await Promise.all([
    fetch("/api/v1/picture", { headers: { Accept: "application/json" } }).then((r) => r.json()),
    fetch("/api/v1/picture/tracks", { headers: { Accept: "application/json" } }).then((r) => r.json()),
  ]);
  incidents.clear();
  for (const i of picture.incidents) incidents.set(i.ref, i);
  tracks.clear();
  for (const [ref, points] of Object.entries(trackData.tracks)) tracks.set(ref, points);
  render();
}

function connect() {
  const source = new EventSource("/api/v1/picture/stream");
  source.onopen = () => {
    live.className = "live live--on";
    liveText.textContent = T.live;
    load();  // catch up with anything recorded while disconnected
  };
  source.onerror = () => {
    live.className = "live live--off";
    liveText.textContent = T.reconnecting;
  };
  for (const kind of ["incident-new", "state-change", "alert", "update"]) {
    source.addEventListener(kind, (event) => apply(JSON.parse(event.data)));
  }
}

await drawGeography();
svg.dataset.drawn = "true";
await load();
await loadAssets();
setInterval(loadAssets, 30000);  // asset positions are not in the live stream
connect();
