// Small but real files for the dossier: a one-page PDF (with a correct cross-reference table) and a
// PNG image (zlib-compressed scanlines, CRC-checked chunks), written to disk for the browser's file
// chooser or sent as bytes through the API.

import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

/** A one-page PDF 1.4 that shows `text` (ASCII). @returns {Buffer} */
export function pdfBytes(text) {
  const safe = text.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
  const stream = `BT /F1 18 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`,
  ];
  let body = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A `width`×`height` RGB PNG: a blue-to-red gradient, so two seeds give different bytes. */
export function pngBytes(width = 64, height = 48, seed = 0) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      row[1 + x * 3] = (x * 4 + seed) & 0xff;
      row[2 + x * 3] = (y * 5) & 0xff;
      row[3 + x * 3] = 0x91;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * The dossier's four items, as files: name, media type and bytes.
 * @param {string} tag something unique (a candidate's name) so each dossier holds its own files
 */
export function dossierFiles(tag) {
  return {
    USER_INTERVIEWS: [
      { name: "entretiens-utilisateurs.pdf", type: "application/pdf", bytes: pdfBytes(`Entretiens - ${tag}`) },
    ],
    MOCKUPS: [{ name: "maquette-accueil.png", type: "image/png", bytes: pngBytes(64, 48, tag.length) }],
    INVESTMENT_TABLE: [
      { name: "tableau-investissement.pdf", type: "application/pdf", bytes: pdfBytes(`Investissement - ${tag}`) },
    ],
    PRESENTATION: [{ name: "presentation.pdf", type: "application/pdf", bytes: pdfBytes(`Presentation - ${tag}`) }],
  };
}

/** Writes files to `dir` (for a browser file chooser); returns their paths in order. */
export function writeFiles(dir, files) {
  fs.mkdirSync(dir, { recursive: true });
  return files.map((file) => {
    const target = path.join(dir, file.name);
    fs.writeFileSync(target, file.bytes);
    return target;
  });
}
