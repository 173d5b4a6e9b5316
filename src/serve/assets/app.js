// ale serve: sortable tables, a zoomable candidate tree, and a session page
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

function zoomable(root) {
  root.querySelectorAll("svg.tree").forEach((svg) => {
    const w = parseFloat(svg.getAttribute("width")), h = parseFloat(svg.getAttribute("height"));
    let scale = 1;
    svg.addEventListener("wheel", (e) => {
      if (!e.ctrlKey && !e.shiftKey) return;
      e.preventDefault();
      scale = Math.min(4, Math.max(0.2, scale * (e.deltaY < 0 ? 1.15 : 1 / 1.15)));
      svg.setAttribute("width", w * scale);
      svg.setAttribute("height", h * scale);
    });
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
