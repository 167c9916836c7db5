// Renders the icons from their SVG sources in assets/src/ (`npm run icons`). The outputs are committed, so a build or
// a package never needs this script; run it after editing an SVG and look at the PNGs.
//
//   assets/icon.ico              16, 24, 32 px from icon-small.svg (drawn on a 16 px grid, crisp when small) and
//                                48, 64, 128, 256 px from icon.svg: the exe, installer and shortcut icon
//   assets/icon.png              512 px from icon.svg: the window icon (app/main/index.ts)
//   assets/tray/<state>.png      16 px from assets/src/tray/<state>.svg, one per tray state (app/main/tray.ts)
//   assets/tray/<state>@2x.png   32 px, which Electron picks beside the 1x file on high-DPI screens
//
// sharp (libvips + librsvg) rasterises each size straight from the vector at that size, never by downscaling a
// bitmap; png-to-ico writes the .ico container.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngToIco from 'png-to-ico';
import sharp from 'sharp';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'assets', 'src');
const out = join(root, 'assets');

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** Below this size the ICO entries come from the 16 px-grid drawing. */
const SMALL_MAX = 32;

/** Rasterises an SVG at exactly `size` px: the density scales the SVG's own width (16 or 256 user units) to `size`. */
async function render(svgFile, size) {
  const svg = sharp(svgFile);
  const { width } = await svg.metadata();
  if (!width) throw new Error(`${svgFile}: no width`);
  const png = await sharp(svgFile, { density: (72 * size) / width })
    .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
  const meta = await sharp(png).metadata();
  if (meta.width !== size || meta.height !== size) throw new Error(`${svgFile} rendered at ${meta.width}x${meta.height}, not ${size}`);
  return png;
}

export async function generateIcons() {
  const written = [];
  const write = (file, data) => {
    writeFileSync(join(out, file), data);
    written.push(file);
  };

  const icoImages = [];
  for (const size of ICO_SIZES) icoImages.push(await render(join(src, size <= SMALL_MAX ? 'icon-small.svg' : 'icon.svg'), size));
  write('icon.ico', await pngToIco(icoImages));
  write('icon.png', await render(join(src, 'icon.svg'), 512));

  mkdirSync(join(out, 'tray'), { recursive: true });
  const states = readdirSync(join(src, 'tray'))
    .filter((name) => name.endsWith('.svg'))
    .map((name) => name.slice(0, -'.svg'.length))
    .sort();
  for (const state of states) {
    const svg = join(src, 'tray', `${state}.svg`);
    write(`tray/${state}.png`, await render(svg, 16));
    write(`tray/${state}@2x.png`, await render(svg, 32));
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = await generateIcons();
  console.log(`wrote ${written.length} files into assets/: ${written.join(', ')}`);
}
