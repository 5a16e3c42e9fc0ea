// Draws every icon the desktop app and its installers use, so they can be regenerated without an
// image editor: `node assets/generate-icons.mjs`. The glyph is two linked rings (one client, one
// backend, joined by the proxy). PNGs are written by hand with zlib; the .icns and .ico containers
// simply wrap PNGs, so electron-builder uses them as they are and needs no icon tool download.
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- PNG ---------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, tail]);
}

/** `rgba` holds size*size RGBA bytes, straight (not premultiplied) alpha. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- drawing (coverage by supersampling signed distances, in a unit square) -------------------

const SAMPLES = 4;

/** Distance to the glyph's edge (negative inside): two overlapping rings. */
function glyphDistance(x, y, weight) {
  const ring = (cx) => Math.abs(Math.hypot(x - cx, y - 0.5) - 0.2) - weight / 2;
  return Math.min(ring(0.36), ring(0.64));
}

function roundedSquareDistance(x, y, inset, radius) {
  const half = 0.5 - inset;
  const qx = Math.abs(x - 0.5) - (half - radius);
  const qy = Math.abs(y - 0.5) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function render(size, shade) {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          const [cr, cg, cb, ca] = shade(x, y);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return encodePng(size, out);
}

/** Scales the glyph about the centre (tray icons fill their square; the app icon leaves a margin). */
const scaled = (x, y, scale, weight) => glyphDistance((x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5, weight);

/** A monochrome glyph: macOS template images must be black with alpha only. */
const monoGlyph = (rgb, weight) => (x, y) => [...rgb, scaled(x, y, 1.25, weight) <= 0 ? 1 : 0];

/** The app icon: a rounded square with a diagonal gradient and the glyph in white. */
function appIcon(x, y) {
  if (roundedSquareDistance(x, y, 0.06, 0.2) > 0) return [0, 0, 0, 0];
  if (scaled(x, y, 0.8, 0.07) <= 0) return [255, 255, 255, 1];
  const t = (x + y) / 2;
  return [Math.round(31 + (130 - 31) * t), Math.round(111 + (80 - 111) * t), Math.round(235 + (223 - 235) * t), 1];
}

// ---- containers ---------------------------------------------------------------------------------

function icns(entries) {
  const parts = entries.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const dir = images.map(([size, png]) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...dir, ...images.map(([, png]) => png)]);
}

// ---- outputs --------------------------------------------------------------------------------------

function write(relative, data) {
  const file = path.join(here, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

const app = new Map([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((size) => [size, render(size, appIcon)]));

// Installer resources (electron-builder's buildResources directory).
write('build/icon.png', app.get(1024));
write(
  'build/icon.icns',
  icns([
    ['ic07', app.get(128)],
    ['ic08', app.get(256)],
    ['ic09', app.get(512)],
    ['ic10', app.get(1024)],
    ['ic11', app.get(32)],
    ['ic12', app.get(64)],
    ['ic13', app.get(256)],
    ['ic14', app.get(512)],
  ]),
);
write('build/icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => [size, app.get(size)])));
for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`build/icons/${size}x${size}.png`, app.get(size));

// Runtime images, packed into the app: tray icons per platform and the window/notification icon.
// Windows and Linux panels may be light or dark, so their tray glyph is a mid blue readable on both.
const TRAY_BLUE = [56, 132, 255];
write('icons/app.png', app.get(256));
write('icons/trayTemplate.png', render(16, monoGlyph([0, 0, 0], 0.1)));
write('icons/trayTemplate@2x.png', render(32, monoGlyph([0, 0, 0], 0.09)));
write('icons/tray-win.png', render(16, monoGlyph(TRAY_BLUE, 0.1)));
write('icons/tray-win@2x.png', render(32, monoGlyph(TRAY_BLUE, 0.09)));
write('icons/tray-linux.png', render(24, monoGlyph(TRAY_BLUE, 0.1)));
write('icons/tray-linux@2x.png', render(48, monoGlyph(TRAY_BLUE, 0.09)));
