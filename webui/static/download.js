// download.js: turns what a view shows into files the browser saves: CSV
// (for spreadsheets), SVG and PNG (for reports). Everything is made in the
// page from data it already has; nothing goes back to the server.

/** saveBlob makes the browser save blob under name. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the time the click returns; revoke later
  // anyway, as some browsers read the URL asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * csvBlob makes a CSV file of rows (arrays of cells): UTF-8 with a byte order
 * mark so that Excel reads accents and emoji, CRLF line ends, and cells a
 * spreadsheet would run as a formula prefixed with an apostrophe.
 */
export function csvBlob(rows) {
  const cell = (v) => {
    let s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v !== "number") s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const text = rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  return new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" });
}

/** svgText serializes an inline SVG element as a standalone file. */
export function svgText(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
}

/** svgBlob is svgText as a file. */
export function svgBlob(svg) {
  return new Blob([svgText(svg)], { type: "image/svg+xml;charset=utf-8" });
}

/**
 * pngBlob draws an SVG element onto a canvas at scale (2 for sharp text)
 * on a white background and resolves to a PNG.
 */
export function pngBlob(svg, scale = 2) {
  const w = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
  const hgt = Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height;
  // A data: URL, not a blob: one: the Content-Security-Policy lets images
  // come from data: only.
  const url = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(svg));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(w * scale);
      canvas.height = Math.ceil(hgt * scale);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, w, hgt);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("The browser could not make a PNG of the chart."))), "image/png");
    };
    img.onerror = () => {
      reject(new Error("The browser could not draw the chart as a picture."));
    };
    img.src = url;
  });
}

/** fileStem makes a safe file name part: "Peer support" → "peer-support". */
export function fileStem(s) {
  return String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "concord";
}
