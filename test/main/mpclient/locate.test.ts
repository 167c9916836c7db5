/** Where the app looks for MpClient.dll, and what it says when there is none. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefenderUnavailableError } from '../../../app/main/mpclient/errors';
import { locateMpClient, type LocatePorts } from '../../../app/main/mpclient/locate';

interface Machine {
  files?: string[];
  /** InstallLocation */
  registry?: string | null;
  /** Other HKLM values by `key\\value`. */
  values?: Record<string, string>;
  dirs?: Record<string, string[]>;
}

function ports(over: Partial<LocatePorts> & Machine): LocatePorts {
  const files = new Set(over.files ?? []);
  return {
    env: over.env ?? {},
    platform: over.platform ?? 'win32',
    trustEnvironment: over.trustEnvironment ?? true,
    fileExists: (p) => files.has(p),
    listDirectory: (p) => over.dirs?.[p] ?? [],
    readMachineRegistryString: (key, value) =>
      key === 'SOFTWARE\\Microsoft\\Windows Defender' && value === 'InstallLocation'
        ? (over.registry ?? null)
        : (over.values?.[`${key}\\${value}`] ?? null),
  };
}

const unavailable = (reason: string) => (e: unknown) => e instanceof DefenderUnavailableError && e.reason === reason;

test('MPCLIENT_PATH wins over everything, and must exist', () => {
  assert.equal(locateMpClient(ports({ env: { MPCLIENT_PATH: '/x/lib.so' }, files: ['/x/lib.so'], platform: 'linux' })), '/x/lib.so');
  assert.throws(() => locateMpClient(ports({ env: { MPCLIENT_PATH: '/x/none.so' } })), unavailable('not-installed'));
});

test('on Windows the registry InstallLocation comes first, then Program Files', () => {
  const platformDir = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0';
  assert.equal(
    locateMpClient(
      ports({
        registry: platformDir + '\\',
        files: [platformDir + '\\MpClient.dll', 'C:\\Program Files\\Windows Defender\\MpClient.dll'],
        env: { ProgramFiles: 'C:\\Program Files' },
      }),
    ),
    platformDir + '\\MpClient.dll',
  );
  assert.equal(
    locateMpClient(
      ports({ registry: null, files: ['C:\\Program Files\\Windows Defender\\MpClient.dll'], env: { ProgramFiles: 'C:\\Program Files' } }),
    ),
    'C:\\Program Files\\Windows Defender\\MpClient.dll',
  );
});

test('no Defender on Windows says where it looked', () => {
  assert.throws(
    () => locateMpClient(ports({ registry: 'C:\\Gone', env: { ProgramFiles: 'C:\\Program Files' } })),
    (e: unknown) =>
      unavailable('not-installed')(e) && /C:\\Gone\\MpClient\.dll/.test((e as Error).message) && /Program Files/.test((e as Error).message),
  );
});

test('Linux and macOS are told Defender is a Windows feature', () => {
  assert.throws(() => locateMpClient(ports({ platform: 'linux' })), unavailable('not-windows'));
  assert.throws(() => locateMpClient(ports({ platform: 'darwin' })), unavailable('not-windows'));
});

test('the newest platform folder under ProgramData comes before Program Files', () => {
  const root = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform';
  const machine = {
    env: { ProgramData: 'C:\\ProgramData', ProgramFiles: 'C:\\Program Files' },
    dirs: { [root]: ['4.18.2207.7-0', '4.18.25010.11-0', '4.18.9999.1-0', 'not-a-version'] },
    files: [`${root}\\4.18.25010.11-0\\MpClient.dll`, `${root}\\4.18.2207.7-0\\MpClient.dll`, 'C:\\Program Files\\Windows Defender\\MpClient.dll'],
  };
  // 4.18.9999.1-0 has no MpClient.dll (an interrupted platform update): the next newest is used.
  assert.equal(locateMpClient(ports(machine)), `${root}\\4.18.25010.11-0\\MpClient.dll`);
});

test('a packaged app ignores MPCLIENT_PATH and takes system folders from the registry, not the environment', () => {
  const planted = 'C:\\Users\\x\\Downloads\\MpClient.dll';
  const real = 'C:\\Program Files\\Windows Defender\\MpClient.dll';
  const machine = {
    trustEnvironment: false,
    env: { MPCLIENT_PATH: planted, ProgramFiles: 'C:\\Users\\x\\Downloads\\PF', ProgramData: 'C:\\Users\\x\\PD' },
    values: { 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\ProgramFilesDir': 'C:\\Program Files' },
    files: [planted, 'C:\\Users\\x\\Downloads\\PF\\Windows Defender\\MpClient.dll', real],
  };
  assert.equal(locateMpClient(ports(machine)), real);
  // The same machine, trusted (the CLI, tests): the override wins.
  assert.equal(locateMpClient(ports({ ...machine, trustEnvironment: true })), planted);
});
