/**
 * Every icon the packaging config and the app name exists at the size Windows and Electron expect, read from the
 * files themselves (PNG IHDR, ICO directory entries and the images they point to).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TRAY_ICON_STATES, trayIconPath } from '../../app/main/tray';
import { repoRoot } from '../support/paths';
import { readBuilderConfig } from './builder';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngInfo {
  width: number;
  height: number;
  colorType: number;
}

function readPng(data: Buffer, what: string): PngInfo {
  assert.ok(data.subarray(0, 8).equals(PNG_SIGNATURE), `${what} is not a PNG`);
  assert.equal(data.toString('ascii', 12, 16), 'IHDR', `${what}: no IHDR first`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), colorType: data.readUInt8(25) };
}

/** The sizes in an ICO's directory, each checked against the image it points to (PNG, or BMP with doubled height). */
function readIcoSizes(file: string): number[] {
  const data = readFileSync(file);
  assert.equal(data.readUInt16LE(0), 0, `${file}: reserved field`);
  assert.equal(data.readUInt16LE(2), 1, `${file}: not an icon (type)`);
  const count = data.readUInt16LE(4);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    const width = data[entry] || 256;
    const height = data[entry + 1] || 256;
    const length = data.readUInt32LE(entry + 8);
    const offset = data.readUInt32LE(entry + 12);
    assert.equal(width, height, `${file}: entry ${i} is not square`);
    assert.ok(offset + length <= data.length, `${file}: entry ${i} points past the end`);
    const image = data.subarray(offset, offset + length);
    if (image.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const png = readPng(image, `${file} entry ${i}`);
      assert.deepEqual([png.width, png.height], [width, height], `${file}: entry ${i} PNG size`);
    } else {
      assert.equal(image.readUInt32LE(0), 40, `${file}: entry ${i} is neither PNG nor BMP`);
      assert.deepEqual([image.readInt32LE(4), image.readInt32LE(8)], [width, 2 * height], `${file}: entry ${i} BMP size`);
      assert.equal(image.readUInt16LE(14), 32, `${file}: entry ${i} is not 32-bit (no alpha)`);
    }
    sizes.push(width);
  }
  return sizes.sort((a, b) => a - b);
}

test('the exe and installer icon (.ico) holds every size from 16 to 256 px', () => {
  const config = readBuilderConfig();
  const icons = [config.win?.icon, config.nsis?.installerIcon, config.nsis?.uninstallerIcon].filter((p): p is string => typeof p === 'string');
  assert.ok(icons.length > 0, 'electron-builder.yml names no win.icon');
  for (const icon of icons) {
    const file = join(repoRoot, icon);
    assert.ok(existsSync(file), `${icon} is missing`);
    assert.deepEqual(readIcoSizes(file), [16, 24, 32, 48, 64, 128, 256], icon);
  }
});

test('the window icon the app loads is a 512 px PNG with transparency', () => {
  // app/main/index.ts loads join(app.getAppPath(), 'assets', <name>): every such name must exist.
  const source = readFileSync(join(repoRoot, 'app', 'main', 'index.ts'), 'utf8');
  const named = [...source.matchAll(/join\(app\.getAppPath\(\), 'assets', '([^']+\.png)'\)/g)].map((m) => m[1]);
  assert.deepEqual(named, ['icon.png']);
  const png = readPng(readFileSync(join(repoRoot, 'assets', 'icon.png')), 'assets/icon.png');
  assert.deepEqual([png.width, png.height, png.colorType], [512, 512, 6]);
});

test('every tray state has a 16 px icon and a 32 px @2x icon, with transparency', () => {
  for (const state of TRAY_ICON_STATES) {
    const oneX = trayIconPath(join(repoRoot, 'assets'), state);
    for (const [file, size] of [
      [oneX, 16],
      [oneX.replace(/\.png$/, '@2x.png'), 32],
    ] as const) {
      assert.ok(existsSync(file), `${file} is missing`);
      const png = readPng(readFileSync(file), file);
      assert.deepEqual([png.width, png.height, png.colorType], [size, size, 6], file);
    }
  }
});

test('every icon has its SVG source, and no source is left for a state the tray no longer has', () => {
  const sources = readdirSync(join(repoRoot, 'assets', 'src', 'tray'))
    .filter((name) => name.endsWith('.svg'))
    .map((name) => name.slice(0, -4))
    .sort();
  assert.deepEqual(sources, [...TRAY_ICON_STATES].sort());
  for (const name of ['icon.svg', 'icon-small.svg']) assert.ok(existsSync(join(repoRoot, 'assets', 'src', name)), `assets/src/${name} is missing`);
});
