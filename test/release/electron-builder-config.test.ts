/**
 * electron-builder.yml, checked without building a package (Electron and NSIS cannot be downloaded here): against
 * electron-builder's own JSON schema, and its `files` / `asarUnpack` patterns through electron-builder's own matchers
 * against the built app, koffi's Windows native packages and what must stay out.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { APP_USER_MODEL_ID } from '../../app/main/app-id';
import { TRAY_ICON_STATES, trayIconPath } from '../../app/main/tray';
import { repoRoot } from '../support/paths';
import { appBuilderLib, LOCKED_FUSES, packagingFor, readBuilderConfig, type BuilderConfig, type Packaging } from './builder';

const ARCHS = ['x64', 'arm64'] as const;

interface KoffiFixture {
  version: string;
  packages: Record<string, { main: string; files: string[] }>;
}
const koffiFixture = JSON.parse(readFileSync(join(repoRoot, 'test', 'release', 'fixtures', 'koffi-win32-files.json'), 'utf8')) as KoffiFixture;
const koffiVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'koffi', 'package.json'), 'utf8')) as { version: string }).version;

function filesUnder(dir: string): string[] {
  const abs = join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(repoRoot, full).split(sep).join('/'));
    }
  };
  walk(abs);
  return out;
}

function explain(p: Packaging): string {
  return `\n  files patterns as electron-builder applies them: ${JSON.stringify(p.patterns.app)}\n  node_modules patterns: ${JSON.stringify(p.patterns.modules)}\n  asarUnpack: ${JSON.stringify(p.patterns.unpack)}`;
}

const config = readBuilderConfig();

describe('electron-builder.yml', () => {
  test("is valid against electron-builder's own schema (app-builder-lib/scheme.json)", () => {
    const schema = appBuilderLib<object>('scheme.json');
    // The options electron-builder's own validator uses (app-builder-lib/out/util/config/schemaValidator.js).
    const ajv = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false });
    const validate = ajv.compile(schema);
    const check = (candidate: BuilderConfig) => {
      const copy = structuredClone(candidate);
      return validate(copy)
        ? []
        : (validate.errors ?? []).map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    };
    const errors = check(config);
    assert.deepEqual(errors, [], `electron-builder.yml does not match electron-builder's schema:\n${errors.join('\n')}`);
    // The schema is strict about unknown keys, so a misspelt option cannot pass unnoticed.
    assert.notDeepEqual(check({ ...config, nsis: { ...config.nsis, oneClik: true } }), [], 'the schema check accepted a misspelt option');
  });

  test('appId equals the AppUserModelID the app sets, which the NSIS Start menu shortcut carries', () => {
    assert.equal(config.appId, APP_USER_MODEL_ID);
    assert.equal(config.win?.appId, undefined, 'a win.appId would override appId for the shortcut');
    // electron-builder stamps appInfo.id (this appId) on the shortcut: check its NSIS template still does.
    const installer = readFileSync(join(repoRoot, 'node_modules', 'app-builder-lib', 'templates', 'nsis', 'include', 'installer.nsh'), 'utf8');
    assert.match(installer, /WinShell::SetLnkAUMI "\$newStartMenuLink" "\$\{APP_ID\}"/);
  });

  test('builds a per-user NSIS installer (no elevation, Start menu shortcut) and a portable exe for x64 and arm64', () => {
    const targets = config.win?.target as { target: string; arch: string[] }[];
    for (const name of ['nsis', 'portable']) {
      const target = targets.find((t) => t.target === name);
      assert.ok(target, `win.target has no ${name}`);
      assert.deepEqual([...target.arch].sort(), ['arm64', 'x64'], `${name} architectures`);
    }
    assert.equal(config.nsis?.oneClick, true, 'one-click: an assisted installer with perMachine false offers a per-machine (elevating) choice');
    assert.equal(config.nsis?.perMachine, false);
    assert.notEqual(config.nsis?.createStartMenuShortcut, false);
    assert.ok([undefined, 'asInvoker'].includes(config.win?.requestedExecutionLevel as string | undefined));
    assert.ok(existsSync(join(repoRoot, config.win?.icon ?? '')), `win.icon ${config.win?.icon} is missing`);
  });

  test('flips the Electron fuses that lock the packaged exe down', () => {
    assert.deepEqual(config.electronFuses, LOCKED_FUSES);
  });
});

for (const arch of ARCHS) {
  describe(`what the ${arch} package holds`, () => {
    const packaging = packagingFor(config, arch);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string };

    test('the built main, preload and renderer, packed in app.asar', () => {
      const expected = [
        pkg.main,
        'package.json',
        'out/preload/index.js',
        'out/renderer/index.html',
        'out/renderer/assets/index-00000000.js',
        'out/renderer/assets/index-00000000.css',
      ];
      const built = ['out/main', 'out/preload', 'out/renderer'].flatMap(filesUnder).filter((f) => !f.endsWith('.map'));
      for (const file of [...expected, ...built]) {
        assert.deepEqual(packaging.appFile(file), { packaged: true, unpacked: false }, `${file}${explain(packaging)}`);
      }
    });

    test('the icons the app loads at run time', () => {
      const assets = [
        'assets/icon.png',
        ...TRAY_ICON_STATES.flatMap((s) => [trayIconPath('assets', s), trayIconPath('assets', s).replace(/\.png$/, '@2x.png')]),
      ];
      for (const file of assets) assert.equal(packaging.appFile(file.split(sep).join('/')).packaged, true, `${file}${explain(packaging)}`);
    });

    test('no tests, sources, source maps, CLI, stand-in library or build files', () => {
      const representative = [
        'out/main/index.js.map',
        'out/preload/index.js.map',
        'out/cli/cli.js',
        'app/main/index.ts',
        'app/renderer/index.html',
        'test/main/update/engine.integration.test.ts',
        'test/standin/mpclient_standin.c',
        '.build/standin/MpClient.dll',
        '.build/standin/libmpclient-standin.so',
        '.build/test/release/electron-builder-config.test.js',
        'assets/src/icon.svg',
        'assets/icon.ico',
        'scripts/build.mjs',
        'electron-builder.yml',
        'package-lock.json',
        'tsconfig.json',
        'README.md',
        'docs/licenses.md',
      ];
      const onDisk = ['app', 'test', '.build/standin', 'assets/src', 'scripts', 'docs', 'out/cli'].flatMap(filesUnder);
      const maps = ['out/main', 'out/preload', 'out/renderer'].flatMap(filesUnder).filter((f) => f.endsWith('.map'));
      const leaked = [...representative, ...onDisk, ...maps].filter((file) => packaging.appFile(file).packaged);
      assert.deepEqual(leaked, [], `packaged but should not be:${explain(packaging)}`);
    });

    test(`koffi's win32-${arch} native module, unpacked from app.asar, and no other platform's`, () => {
      assert.equal(
        koffiFixture.version,
        koffiVersion,
        'test/release/fixtures/koffi-win32-files.json is for another koffi version: regenerate it (see its _comment)',
      );
      for (const [name, { main, files }] of Object.entries(koffiFixture.packages)) {
        const own = name === `@koromix/koffi-win32-${arch}`;
        for (const file of files) {
          const path = `node_modules/${name}/${file}`;
          const result = packaging.moduleFile(path);
          if (!own) assert.equal(result.packaged, false, `${path} is for another architecture${explain(packaging)}`);
          else if (file.endsWith('.node')) assert.deepEqual(result, { packaged: true, unpacked: true }, `${path}${explain(packaging)}`);
          else if (file === main || file === 'package.json')
            assert.deepEqual(result, { packaged: true, unpacked: false }, `${path}${explain(packaging)}`);
          else if (/\.(lib|exp)$/.test(file)) assert.equal(result.packaged, false, `${path} is only for linking${explain(packaging)}`);
        }
      }
      for (const other of ['linux-x64', 'darwin-arm64', 'win32-ia32']) {
        const path = `node_modules/@koromix/koffi-${other}/index.js`;
        assert.equal(packaging.moduleFile(path).packaged, false, `${path}${explain(packaging)}`);
      }
    });

    test("koffi's loader, and every file it requires, is packaged; its build-time files are not", () => {
      const koffiDir = join(repoRoot, 'node_modules', 'koffi');
      const koffiPkg = JSON.parse(readFileSync(join(koffiDir, 'package.json'), 'utf8')) as { main: string; exports: { '.': { require: string } } };
      // From the CommonJS entry (our bundles require() it), follow every relative require.
      const pending = [koffiPkg.exports['.'].require];
      const seen = new Set<string>();
      while (pending.length) {
        const file = join('node_modules/koffi', pending.pop()!).split(sep).join('/');
        if (seen.has(file)) continue;
        seen.add(file);
        assert.equal(packaging.moduleFile(file).packaged, true, `${file} (required at run time)${explain(packaging)}`);
        const source = readFileSync(join(repoRoot, file), 'utf8');
        for (const match of source.matchAll(/require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
          pending.push(relative(koffiDir, join(repoRoot, file, '..', match[1]!)));
        }
      }
      assert.ok(seen.size >= 3, `followed only ${[...seen].join(', ')}`);
      // koffi's static loader asks for the platform package by name; that is what the unpacked module answers.
      const staticLoader = readFileSync(join(koffiDir, 'src', 'koffi', 'src', 'static.cjs'), 'utf8');
      assert.ok(staticLoader.includes(`require('@koromix/koffi-win32-${arch}')`), `koffi no longer loads @koromix/koffi-win32-${arch} by name`);
      for (const file of [
        'cnoke.cjs',
        'doc/index.md',
        'src/koffi/src/ffi.cc',
        'src/koffi/src/trampolines.cjs',
        'src/koffi/CMakeLists.txt',
        'vendor/x/y.h',
        'lib/native/base/base.cc',
      ]) {
        assert.equal(packaging.moduleFile(`node_modules/koffi/${file}`).packaged, false, `node_modules/koffi/${file}${explain(packaging)}`);
      }
    });
  });
}

test("the koffi fixture matches koffi's Windows packages wherever they are on disk", (t) => {
  const places = [join(repoRoot, 'node_modules'), join(repoRoot, '.cache', 'windows', 'node_modules')];
  let compared = 0;
  for (const [name, { files }] of Object.entries(koffiFixture.packages)) {
    for (const place of places) {
      const dir = join(place, ...name.split('/'));
      if (!existsSync(join(dir, 'package.json'))) continue;
      const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
      if (version !== koffiFixture.version) continue;
      const actual = filesUnder(relative(repoRoot, dir))
        .map((f) => f.slice(relative(repoRoot, dir).split(sep).join('/').length + 1))
        .sort();
      assert.deepEqual(actual, files, `${dir} differs from test/release/fixtures/koffi-win32-files.json`);
      compared += 1;
    }
  }
  if (compared === 0)
    t.diagnostic('no Windows koffi package on disk to compare with (npm run setup:windows or node scripts/dist.mjs --fetch-only fetch them)');
});
