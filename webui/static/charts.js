// charts.js: the analysis charts as inline SVG, drawn from plain data with
// no chart library. Every mark carries its number as text or a <title>
// (the tooltip), so that a chart reads without telling colours apart, and
// the SVG stands alone when saved (fonts and colours are attributes, not CSS).
// A mark given an href is a link (focusable, opened by Enter as by a click).

const NS = "http://www.w3.org/2000/svg";
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const INK = "#1d2433";
const MUTED = "#5f6b7a";
const ACCENT = [47, 95, 208];

/** svg creates an SVG element with attributes and children. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c) el.append(c);
  return el;
}

/** shade is the fill for t in [0, 1]: white to the accent blue. */
export function shade(t) {
  const k = Math.max(0, Math.min(1, t || 0));
  const [r, g, b] = ACCENT.map((c) => Math.round(255 + (c - 255) * k));
  return `rgb(${r},${g},${b})`;
}

/** inkOn is a text colour that reads on shade(t). */
export function inkOn(t) { return t > 0.55 ? "#ffffff" : INK; }

/** compact writes a count so that it fits a cell: 29,998 is "30k" (the tooltip has it whole). */
export function compact(n) {
  return n >= 10000 ? Math.round(n / 1000) + "k" : String(n);
}

/** clip shortens a label to n characters (code points), with an ellipsis. */
export function clip(s, n) {
  const a = [...String(s)];
  return a.length > n ? a.slice(0, n - 1).join("") + "…" : String(s);
}

function frame(width, height, label) {
  const root = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label,
    "font-family": FONT, "font-size": 12, fill: INK,
  });
  root.append(svg("title", { text: label }), svg("rect", { width, height, fill: "#ffffff" }));
  return root;
}

/** linked wraps a mark in a link to href, labelled by its tooltip, or returns it as is. */
function linked(mark, href, label) {
  if (!href) return mark;
  return svg("a", { href, "data-link": "", class: "mark-link", "aria-label": label + ". Show these segments" }, mark);
}

/**
 * barChart draws horizontal bars, one per row: {label, depth, value, colour,
 * title, href?}. Labels are indented by depth (the code hierarchy); each bar ends in
 * its number.
 */
export function barChart(rows, { title, unit }) {
  const labelW = 300, barW = 380, rowH = 22, top = 34, right = 70;
  const width = labelW + barW + right;
  const height = top + rows.length * rowH + 12;
  const root = frame(width, height, title);
  root.append(svg("text", { x: 0, y: 18, "font-size": 14, "font-weight": 600, text: title }));
  const max = Math.max(1, ...rows.map((r) => r.value));
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = r.value ? Math.max(2, (r.value / max) * barW) : 0;
    const tip = `${r.title || r.label}: ${r.value.toLocaleString()} ${unit}`;
    root.append(linked(svg("g", { class: "bar-row", "data-value": r.value },
      svg("title", { text: tip }),
      // The whole row takes the pointer, not just the bar's ink.
      svg("rect", { x: 0, y, width, height: rowH, fill: "transparent" }),
      svg("text", { x: 4 + r.depth * 14, y: y + 15, "font-weight": r.depth ? 400 : 600, text: clip(r.label, 40 - r.depth * 2) }),
      svg("rect", { x: labelW, y: y + 4, width: w, height: rowH - 8, rx: 2, fill: r.colour || shade(0.8) }),
      svg("text", { x: labelW + w + 6, y: y + 15, fill: MUTED, text: r.value.toLocaleString() })), r.href, tip));
  });
  root.append(svg("line", { x1: labelW, x2: labelW, y1: top, y2: height - 10, stroke: "#b8c0cc" }));
  return root;
}

/**
 * grid draws a matrix of shaded cells with their counts: rows and columns
 * are labels, value(i, j) a number (null for a cell that has none, drawn
 * blank), href(i, j, value), if given, where a cell leads, and a legend of
 * shades below. The co-occurrence heatmap and the
 * crosstab both use it.
 */
export function grid({ title, rows, columns, value, describe, href = () => null }) {
  const labelW = 240, cell = 30, top = 34, headH = 150, legendH = 46;
  // Column labels slant up to the right: leave them room past the last column.
  const width = labelW + columns.length * cell + headH;
  const height = top + headH + rows.length * cell + legendH;
  const root = frame(Math.max(width, 420), height, title);
  root.append(svg("text", { x: 0, y: 18, "font-size": 14, "font-weight": 600, text: title }));
  let max = 0;
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < columns.length; j++) max = Math.max(max, value(i, j) || 0);
  const y0 = top + headH;
  columns.forEach((c, j) => {
    const x = labelW + j * cell + cell / 2;
    root.append(svg("text", { x, y: y0 - 6, transform: `rotate(-50 ${x} ${y0 - 6})`, text: clip(c, 26) },
      svg("title", { text: c })));
  });
  rows.forEach((r, i) => {
    const y = y0 + i * cell;
    root.append(svg("text", { x: labelW - 6, y: y + cell / 2 + 4, "text-anchor": "end", text: clip(r, 34) }, svg("title", { text: r })));
    columns.forEach((c, j) => {
      const v = value(i, j);
      const x = labelW + j * cell;
      const t = max ? (v || 0) / max : 0;
      const g = svg("g", { class: "cell", "data-value": v === null ? "" : v },
        svg("title", { text: describe(i, j, v) }),
        svg("rect", { x, y, width: cell, height: cell, fill: v === null ? "#f1f3f6" : shade(t), stroke: "#ffffff" }));
      if (v) g.append(svg("text", { x: x + cell / 2, y: y + cell / 2 + 4, "text-anchor": "middle", "font-size": 11, fill: inkOn(t), text: compact(v) }));
      root.append(linked(g, href(i, j, v), describe(i, j, v)));
    });
  });
  // The legend: five shades with the counts they stand for.
  const ly = y0 + rows.length * cell + 16;
  root.append(svg("text", { x: 0, y: ly + 13, fill: MUTED, text: "Shade:" }));
  for (let k = 0; k <= 4; k++) {
    const x = 50 + k * 64;
    root.append(svg("rect", { x, y: ly, width: 18, height: 18, fill: shade(k / 4), stroke: "#b8c0cc" }),
      svg("text", { x: x + 24, y: ly + 13, fill: MUTED, text: String(Math.round((max * k) / 4)) }));
  }
  return root;
}
