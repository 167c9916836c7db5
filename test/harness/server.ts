/**
 * Browser test harness only (never part of the app): serves the built renderer on 127.0.0.1 and answers its bridge
 * with the real app controller over the real engine (koffi + the library named by MPCLIENT_PATH). The restart
 * command is recorded, never run, and copied text is recorded, never put on the system clipboard; so are "Restart as
 * administrator", Windows Security and opening an export (as if on a standard Windows account). The Open dialog of
 * *Update from file…* answers DU_HARNESS_PACKAGE_FILE (or is "closed"), and links are recorded, never opened; settings, history
 * and the restart prompt's state live in a temporary user-data folder. The organisation's policies are what
 * DU_HARNESS_POLICIES holds (`{"HKLM": {"AllowCancel": {"type": "REG_DWORD", "data": 0}}, "HKCU": {…}}`, the registry's
 * values as the reader returns them), replaced by POST /__harness/policies, which then reads them as the app does when
 * its window gains focus. Wired by the app's own composeApp.
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { AppEvent } from '../../app/shared/ipc';
import { composeApp } from '../../app/main/compose-app';
import type { ClipboardPort, CommandRunner, ExportPort, PackageDialogPort, PolicyPort } from '../../app/main/ports';
import { resolvePolicies, type Hive, type RawValues } from '../../app/shared/policy';
import type { ElevationPort } from '../../app/main/elevation';
import { createLinkOpener, type ShellPort } from '../../app/main/security';

export interface HarnessOptions {
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The bundled bridge script served as /__harness/bridge.js. */
  bridgeFile: string;
  /** axe-core, served same-origin so E2E can add it with a script tag under the page's CSP. */
  axeFile?: string;
  /** Load the stand-in as the app's demo mode would (every screen shows "Demo"). */
  demo: boolean;
  watchdogMs?: number;
  /** Defaults to a fresh temporary folder, removed on close. */
  userDataDir?: string;
  env: Record<string, string | undefined>;
  appRoot: string;
}

export interface RecordedCommand {
  file: string;
  args: string[];
  at: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const BRIDGE_TAG = '<script src="./__harness/bridge.js"></script>';

export async function startHarness(options: HarnessOptions): Promise<{ url: string; close(): Promise<void> }> {
  const ownDir = !options.userDataDir;
  const userData = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'du-harness-'));
  mkdirSync(userData, { recursive: true });

  const commands: RecordedCommand[] = [];
  const runner: CommandRunner = {
    run(file, args) {
      commands.push({ file, args: [...args], at: Date.now() });
      return Promise.resolve({ code: 0, stdout: '', stderr: '', error: null });
    },
  };
  const exporter: ExportPort = {
    choosePath(_format, suggestedName) {
      mkdirSync(join(userData, 'exports'), { recursive: true });
      return Promise.resolve(join(userData, 'exports', suggestedName));
    },
    writeFile: (path, contents) => writeFile(path, contents, 'utf8'),
  };
  // What "Copy diagnostics" wrote, in order; the page's own clipboard is never touched.
  const copied: string[] = [];
  const clipboard: ClipboardPort = {
    writeText(text) {
      copied.push(text);
    },
  };
  // What the window asked of Windows, in order: relaunches, quits, Windows Security, opened exports.
  const actions: { action: string; path?: string }[] = [];
  const elevation: ElevationPort = {
    status: () => 'standard',
    relaunchElevated() {
      actions.push({ action: 'relaunch-elevated' });
      return Promise.resolve('started');
    },
  };
  const shell: ShellPort = {
    openWindowsSecurity: () => Promise.resolve(void actions.push({ action: 'open-windows-security' })),
    openFile: (path) => Promise.resolve(void actions.push({ action: 'open-file', path })),
    showInFolder: (path) => void actions.push({ action: 'show-in-folder', path }),
  };

  // Test tooling only: the registry's policy keys as the test wrote them; never read by the app's own code paths.
  let policyValues = JSON.parse(options.env.DU_HARNESS_POLICIES || '{}') as Partial<Record<Hive, RawValues>>;
  const policies: PolicyPort = {
    read: () => ({ policies: resolvePolicies(policyValues.HKLM ?? {}, policyValues.HKCU ?? {}), problem: null }),
  };

  const packageDialog: PackageDialogPort = { choosePackage: () => Promise.resolve(options.env.DU_HARNESS_PACKAGE_FILE || null) };
  // The addresses the app's own link table gave, in order; nothing is opened.
  const opened: string[] = [];
  const links = createLinkOpener({ openExternal: (url) => Promise.resolve(void opened.push(url)) });
  // The version the packaged app reports (Electron's app.getVersion() reads the same field).
  const { version: appVersion } = JSON.parse(readFileSync(join(options.appRoot, 'package.json'), 'utf8')) as { version: string };

  const core = await composeApp({
    userData,
    engine: {
      env: options.env,
      platform: process.platform,
      // Test tooling: MPCLIENT_PATH names the library under test.
      trustEnvironment: true,
      demo: options.demo,
      appRoot: options.appRoot,
      ...(options.watchdogMs ? { watchdogMs: options.watchdogMs } : {}),
    },
    runner,
    shutdownPath: 'C:\\Windows\\System32\\shutdown.exe',
    exporter,
    clipboard,
    elevation,
    shell,
    quit: () => void actions.push({ action: 'quit' }),
    packageDialog,
    links,
    policies,
    appVersion,
    platform: process.platform,
  });
  // Screens and tests start from an answered Defender (the app itself shows "connecting" meanwhile).
  await core.engineReady;
  const { controller, engine } = core;

  const indexHtml = readFileSync(join(options.rendererDir, 'index.html'), 'utf8');
  // A classic script in <head> runs before the deferred module script, so the bridge exists when the app starts.
  const servedIndex = indexHtml.includes(BRIDGE_TAG) ? indexHtml : indexHtml.replace('<title>', `${BRIDGE_TAG}\n    <title>`);
  const streams = new Set<ServerResponse>();
  const unsubscribe = controller.subscribe((event: AppEvent) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(line);
  });
  // When the engine received each notification of the newest update, by seq - 1: the window gets only the newest
  // few records per frame, so notification-to-DOM (npm run bench) takes every notification's time from here.
  let receipts: { runId: number | null; at: number[] } = { runId: null, at: [] };
  const unsubscribeReceipts = engine.subscribe(
    (event) => {
      if (event.type !== 'progress') return;
      if (event.snapshot.runId !== receipts.runId) receipts = { runId: event.snapshot.runId, at: [] };
      for (const record of event.records) receipts.at[record.seq - 1] = record.receivedAt;
    },
    { everyRecord: true },
  );
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);

  const host = `127.0.0.1:${options.port}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
  });

  function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    let body = '';
    for await (const chunk of req) {
      body += String(chunk);
      if (body.length > 1_000_000) throw new Error('body too large');
    }
    return body;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // Only this origin: a page elsewhere (or a DNS-rebinding host name) gets nothing.
    if (req.headers.host !== host && req.headers.host !== `localhost:${options.port}`) return send(res, 421, 'text/plain', 'wrong host');
    const origin = req.headers.origin;
    if (origin && origin !== `http://${req.headers.host}`) return send(res, 403, 'text/plain', 'foreign origin');
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname;

    if (req.method === 'POST' && path === '/__harness/library') {
      // Test tooling: Defender "appears" (or goes) for the next discovery, as when its service is turned back on.
      const text = await readBody(req);
      options.env.MPCLIENT_PATH = (JSON.parse(text) as { path?: string }).path;
      return send(res, 200, 'application/json', 'null');
    }
    if (req.method === 'POST' && path === '/__harness/policies') {
      // Test tooling: an administrator changed the policies; the window then gains focus.
      policyValues = JSON.parse(await readBody(req)) as Partial<Record<Hive, RawValues>>;
      return send(res, 200, 'application/json', JSON.stringify({ changed: controller.rereadPolicies() }));
    }
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const channel = decodeURIComponent(path.slice('/api/'.length));
      let payload: unknown;
      try {
        const text = await readBody(req);
        payload = text ? (JSON.parse(text) as { payload?: unknown }).payload : undefined;
      } catch (error) {
        return send(res, 400, 'text/plain', `bad body: ${String(error)}`);
      }
      const result = await controller.dispatch(channel, payload);
      return send(res, 200, 'application/json', JSON.stringify(result));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');

    switch (path) {
      case '/api/events': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(`data: ${JSON.stringify({ type: 'state', state: controller.getState() } satisfies AppEvent)}\n\n`);
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      case '/__harness/bridge.js':
        return send(res, 200, TYPES['.js']!, readFileSync(options.bridgeFile));
      case '/__harness/axe.min.js':
        if (!options.axeFile) return send(res, 404, 'text/plain', 'no axe-core');
        return send(res, 200, TYPES['.js']!, readFileSync(options.axeFile));
      case '/__harness/commands':
        return send(res, 200, 'application/json', JSON.stringify(commands));
      case '/__harness/clipboard':
        return send(res, 200, 'application/json', JSON.stringify(copied));
      case '/__harness/actions':
        return send(res, 200, 'application/json', JSON.stringify(actions));
      case '/__harness/links':
        return send(res, 200, 'application/json', JSON.stringify(opened));
      case '/__harness/state':
        return send(res, 200, 'application/json', JSON.stringify(controller.getState()));
      case '/__harness/receipts':
        return send(res, 200, 'application/json', JSON.stringify(receipts.at));
      case '/__harness/info':
        return send(res, 200, 'application/json', JSON.stringify({ userData, pid: process.pid, availability: engine.availability }));
      case '/':
      case '/index.html':
        return send(res, 200, TYPES['.html']!, servedIndex);
    }
    const file = normalize(join(options.rendererDir, decodeURIComponent(path)));
    if (!file.startsWith(normalize(options.rendererDir) + sep) || !existsSync(file) || !statSync(file).isFile())
      return send(res, 404, 'text/plain', 'not found');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });

  let closed: Promise<void> | null = null;
  return {
    url: `http://${host}/`,
    close() {
      closed ??= (async () => {
        clearInterval(keepAlive);
        unsubscribe();
        unsubscribeReceipts();
        for (const res of streams) res.end();
        streams.clear();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await core.dispose();
        if (ownDir) rmSync(userData, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
