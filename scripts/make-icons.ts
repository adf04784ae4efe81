/**
 * Draws the Teams app icons with pngjs: appPackage/color.png (192×192, full colour) and
 * appPackage/outline.png (32×32, white on transparent). The glyph is three rising bars under
 * an arc: engagement growing. Run with `tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgba = [number, number, number, number];

const BRAND: Rgba = [0x4f, 0x52, 0xb2, 255]; // the manifest's accentColor
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

function canvas(size: number, fill: Rgba): PNG {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.set(fill, i * 4);
  return png;
}

function set(png: PNG, x: number, y: number, color: Rgba): void {
  if (x < 0 || y < 0 || x >= png.width || y >= png.height) return;
  png.data.set(color, (y * png.width + x) * 4);
}

function rect(png: PNG, x0: number, y0: number, w: number, h: number, color: Rgba): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(png, x, y, color);
}

/** A ring segment (the upper half of an annulus) centred at (cx, cy). */
function arc(png: PNG, cx: number, cy: number, r: number, thickness: number, color: Rgba): void {
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (y + 0.5 <= cy && d <= r && d >= r - thickness) set(png, x, y, color);
    }
  }
}

/** Clears the corners outside a rounded square of radius `r`. */
function roundCorners(png: PNG, r: number): void {
  const n = png.width;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const cx = x < r ? r : x >= n - r ? n - r - 1 : x;
      const cy = y < r ? r : y >= n - r ? n - r - 1 : y;
      if (Math.hypot(x - cx, y - cy) > r) set(png, x, y, CLEAR);
    }
  }
}

/** The glyph on a size×size grid, scaled from a 32-unit design. */
function glyph(png: PNG, color: Rgba, inset: number): void {
  const unit = (png.width - 2 * inset) / 32;
  const u = (v: number) => Math.round(inset + v * unit);
  const bar = (x: number, top: number) => rect(png, u(x), u(top), u(x + 5) - u(x), u(28) - u(top), color);
  bar(5, 19);
  bar(13.5, 14);
  bar(22, 9);
  arc(png, u(16), u(16), 14.5 * unit, Math.max(2, 2.5 * unit), color);
}

export function makeColorIcon(): PNG {
  const png = canvas(192, BRAND);
  roundCorners(png, 36);
  glyph(png, WHITE, 30);
  return png;
}

export function makeOutlineIcon(): PNG {
  const png = canvas(32, CLEAR);
  glyph(png, WHITE, 0);
  return png;
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '..', 'appPackage');
  writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(makeColorIcon()));
  writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(makeOutlineIcon()));
  console.log(`Wrote ${path.join(dir, 'color.png')} and outline.png`);
}
