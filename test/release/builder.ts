/**
 * electron-builder's own view of electron-builder.yml, for the release tests: the YAML read as electron-builder reads
 * it (js-yaml), and its `files` / `asarUnpack` patterns run through electron-builder's own matchers
 * (app-builder-lib/out/fileMatcher: the default exclusions it adds, minimatch with its options, its partial-directory
 * rules), called the way its platform packager calls them. Those are internal modules: if an electron-builder upgrade
 * moves them, these tests fail loudly, and the semantics should be checked again. They are loaded at run time from
 * node_modules, not bundled into the test.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { repoRoot } from '../support/paths';

export type BuilderConfig = Record<string, unknown> & {
  appId?: string;
  productName?: string;
  directories?: { output?: string; buildResources?: string; app?: string };
  files?: unknown;
  asarUnpack?: unknown;
  win?: Record<string, unknown> & { icon?: string; target?: unknown; appId?: string; files?: unknown; asarUnpack?: unknown };
  nsis?: Record<string, unknown>;
  portable?: Record<string, unknown>;
  electronFuses?: Record<string, unknown>;
};

export const CONFIG_FILE = 'electron-builder.yml';

/** The fuses the packaged exe must have (Electron security checklist item 19). */
export const LOCKED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};

export function readBuilderConfig(): BuilderConfig {
  return load(readFileSync(join(repoRoot, CONFIG_FILE), 'utf8')) as BuilderConfig;
}

const requireFromRoot = createRequire(join(repoRoot, 'package.json'));

/** What a matched file looks like to electron-builder's filter: a stat, plus the in-app path for module files. */
interface FilterStat {
  isDirectory(): boolean;
  moduleFullFilePath?: string;
}
type Filter = (file: string, stat: FilterStat) => boolean;
interface FileMatcher {
  readonly patterns: string[];
  createFilter(): Filter;
}
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, macroExpander: (pattern: string) => string, patterns?: string[]) => FileMatcher;
  getMainFileMatchers: (
    appDir: string,
    destination: string,
    macroExpander: (p: string) => string,
    platformSpecificBuildOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ) => FileMatcher[];
  getNodeModuleFileMatcher: (
    appDir: string,
    destination: string,
    macroExpander: (p: string) => string,
    platformSpecificBuildOptions: object,
    packager: object,
  ) => FileMatcher;
  getFileMatchers: (config: object, name: string, defaultDestination: string, options: object) => FileMatcher[] | null;
}
interface MacroExpanderModule {
  expandMacro: (pattern: string, arch: string | null, appInfo: object, extra?: object, isProductNameSanitized?: boolean) => string;
}

export function appBuilderLib<T>(path: string): T {
  return requireFromRoot(`app-builder-lib/${path}`) as T;
}

/** Where a file lands, for one architecture: in the package or not, and unpacked from app.asar or not. */
export interface Packaging {
  /** A project file (path relative to the repository root, `/`-separated). */
  appFile(path: string): { packaged: boolean; unpacked: boolean };
  /** A file of a package in node_modules, e.g. `node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node`. */
  moduleFile(path: string): { packaged: boolean; unpacked: boolean };
  /** The final pattern lists electron-builder uses, for messages. */
  patterns: { app: string[]; modules: string[]; unpack: string[] };
}

export function packagingFor(config: BuilderConfig, arch: 'x64' | 'arm64'): Packaging {
  const { FileMatcher, getMainFileMatchers, getNodeModuleFileMatcher, getFileMatchers } = appBuilderLib<FileMatcherModule>('out/fileMatcher');
  const { expandMacro } = appBuilderLib<MacroExpanderModule>('out/util/macroExpander');
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const productName = config.productName ?? 'app';
  const appInfo = { productName, sanitizedProductName: productName, productFilename: productName, version, name: 'defender-updater' };
  // As PlatformPackager.computeFileSets / doPack: the arch macro, the os of the win configuration, and `${/*}`.
  const macroExpander = (pattern: string) => expandMacro(pattern, arch, appInfo, { os: 'win', '/*': '{,/**/*}' });
  const appDir = repoRoot;
  const destination = '/packaged/resources/app';
  const outDir = resolve(repoRoot, config.directories?.output ?? 'dist');
  const win = config.win ?? {};
  const info = {
    isPrepackedAppAsar: false,
    config,
    projectDir: repoRoot,
    buildResourcesDir: resolve(repoRoot, config.directories?.buildResources ?? 'build'),
    debugLogger: { isEnabled: false },
  };
  const mains = getMainFileMatchers(appDir, destination, macroExpander, win, { info }, outDir, false);
  const main = mains[0];
  if (mains.length !== 1 || !main) throw new Error(`expected one main file matcher, got ${mains.length} (a "from"/"to" file set?)`);
  const appFilter = main.createFilter();
  const modules = getNodeModuleFileMatcher(appDir, destination, macroExpander, win, info);
  const moduleFilter = new FileMatcher(join(appDir, 'node_modules'), destination, macroExpander, modules.patterns).createFilter();
  const unpackMatchers = getFileMatchers(config, 'asarUnpack', destination, {
    macroExpander,
    customBuildOptions: win,
    globalOutDir: outDir,
    defaultSrc: appDir,
  });
  const unpackFilter = unpackMatchers?.[0]?.createFilter() ?? (() => false);
  /** The file and every folder above it must pass, as electron-builder's walkers test each folder before entering it. */
  const walk = (filter: Filter, path: string, firstFolder: number, stat: (sub: string, dir: boolean) => FilterStat) => {
    const parts = path.split('/');
    for (let n = firstFolder; n < parts.length; n++) {
      const sub = parts.slice(0, n).join('/');
      if (!filter(join(appDir, sub), stat(sub, true))) return false;
    }
    return filter(join(appDir, path), stat(path, false));
  };
  return {
    appFile(path) {
      const stat = (_sub: string, dir: boolean): FilterStat => ({ isDirectory: () => dir });
      const packaged = walk(appFilter, path, 1, stat);
      return { packaged, unpacked: packaged && unpackFilter(join(appDir, path), stat(path, false)) };
    },
    moduleFile(path) {
      // As NodeModuleCopyHelper: the filter sees the path inside the app (moduleFullFilePath), from the package's own
      // folder down (node_modules/<name> itself is entered by the dependency collector, not the filter).
      const packageDepth = path.startsWith('node_modules/@') ? 3 : 2;
      const stat = (sub: string, dir: boolean): FilterStat => ({ isDirectory: () => dir, moduleFullFilePath: sub });
      const packaged = walk(moduleFilter, path, packageDepth + 1, stat);
      return { packaged, unpacked: packaged && unpackFilter(join(appDir, path), stat(path, false)) };
    },
    patterns: { app: main.patterns, modules: modules.patterns, unpack: unpackMatchers?.[0]?.patterns ?? [] },
  };
}
