// ale serve: sortable tables, a candidate tree to zoom and move, and a session page
// that redraws itself when the store changes (server-sent events).
"use strict";

function cellValue(row, i) {
  const text = row.cells[i] ? row.cells[i].textContent.trim() : "";
  const n = parseFloat(text.replace(/^\$/, ""));
  return isNaN(n) || !/^[-$\d.]/.test(text) ? text.toLowerCase() : n;
}

function sortable(root) {
  root.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("th").forEach((th, i) => {
      th.addEventListener("click", () => {
        const up = !th.classList.contains("up");
        table.querySelectorAll("th").forEach((h) => h.classList.remove("up", "down"));
        th.classList.add(up ? "up" : "down");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort((a, b) => {
          const x = cellValue(a, i), y = cellValue(b, i);
          const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1;
          return up ? order : -order;
        });
        rows.forEach((r) => body.appendChild(r));
      });
    });
  });
}

// The tree's view (its viewBox), kept while the page lives so that a live
// redraw keeps the zoom and place the reader chose; null: the tree's home.
let treeView = null;

// The candidate tree zooms with the wheel at the pointer, moves when
// dragged, and has +, − and reset buttons; a drag is not a click on a node.
function zoomable(root) {
  root.querySelectorAll("svg.tree").forEach((svg) => {
    if (svg.dataset.zoomable) return;
    svg.dataset.zoomable = "1";
    const [, , w, h] = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", Math.round(Math.min(h, window.innerHeight * 0.7)));
    const home = () => {
      const cw = svg.clientWidth || w, ch = svg.clientHeight || h;
      return { x: Math.min(0, (w - cw) / 2), y: 0, w: cw, h: ch };
    };
    let view = treeView || home();
    const show = () => svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map((v) => v.toFixed(1)).join(" "));
    // Screen pixels per unit of the tree now (the view keeps the box's shape).
    const scale = () => (svg.clientWidth || w) / view.w;
    const zoom = (factor, cx, cy) => {
      const fit = Math.min((svg.clientWidth || w) / w, (svg.clientHeight || h) / h);
      const next = Math.min(8, Math.max(Math.min(0.5, fit * 0.8), scale() * factor));
      const k = scale() / next;
      view = { x: cx - (cx - view.x) * k, y: cy - (cy - view.y) * k, w: view.w * k, h: view.h * k };
      treeView = view;
      show();
    };
    // The point of the tree under a point of the screen.
    const at = (clientX, clientY) => {
      const box = svg.getBoundingClientRect();
      return { x: view.x + (clientX - box.left) / scale(), y: view.y + (clientY - box.top) / scale() };
    };
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const p = at(e.clientX, e.clientY);
      // Pixels, or lines (some mice and browsers) of about 33 pixels.
      const dy = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
      zoom(Math.pow(1.0015, -dy), p.x, p.y);
    }, { passive: false });
    let drag = null, dragged = false;
    svg.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, view, id: e.pointerId };
      dragged = false;
    });
    svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (!dragged) svg.setPointerCapture(drag.id);
      dragged = true;
      svg.classList.add("dragging");
      const s = scale();
      view = { x: drag.view.x - dx / s, y: drag.view.y - dy / s, w: view.w, h: view.h };
      treeView = view;
      show();
    });
    // A node's link is not dragged away: the drag moves the tree.
    svg.addEventListener("dragstart", (e) => e.preventDefault());
    const release = () => { drag = null; svg.classList.remove("dragging"); };
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    // The click that ends a drag does not follow the node's link.
    svg.addEventListener("click", (e) => {
      if (dragged) { e.preventDefault(); e.stopPropagation(); dragged = false; }
    }, true);
    const tools = document.createElement("div");
    tools.className = "tree-tools";
    const button = (label, title, act) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = title;
      b.addEventListener("click", act);
      tools.appendChild(b);
    };
    const middle = () => [view.x + view.w / 2, view.y + view.h / 2];
    button("+", "zoom in", () => zoom(1.25, ...middle()));
    button("\u2212", "zoom out", () => zoom(1 / 1.25, ...middle()));
    button("reset", "the whole width at its own size", () => { treeView = null; view = home(); show(); });
    const box = svg.closest(".tree-box") || svg;
    box.parentNode.insertBefore(tools, box);
    show();
  });
}

function live() {
  const box = document.getElementById("live");
  if (!box || !window.EventSource) return;
  let busy = false, again = false;
  const redraw = () => {
    if (busy) { again = true; return; }
    busy = true;
    fetch(box.dataset.live)
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        box.innerHTML = html;
        box.dataset.nodes = box.querySelectorAll("svg.tree g.node").length;
        sortable(box);
        zoomable(box);
      })
      .catch(() => {})
      .finally(() => { busy = false; if (again) { again = false; redraw(); } });
  };
  const events = new EventSource(box.dataset.events);
  // What the page was drawn from; the first event says whether it is still so.
  let seen = box.dataset.activity;
  events.addEventListener("change", (e) => {
    if (seen !== e.data) redraw();
    seen = e.data;
  });
  box.dataset.nodes = box.querySelectorAll("svg.tree g.node").length;
}

sortable(document);
zoomable(document);
live();
