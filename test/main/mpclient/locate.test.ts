/** Where the app looks for MpClient.dll, and what it says when there is none. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefenderUnavailableError } from '../../../app/main/mpclient/errors';
import { locateMpClient, type LocatePorts } from '../../../app/main/mpclient/locate';

function ports(over: Partial<LocatePorts> & { files?: string[]; registry?: string | null }): LocatePorts {
  const files = new Set(over.files ?? []);
  return {
    env: over.env ?? {},
    platform: over.platform ?? 'win32',
    fileExists: (p) => files.has(p),
    readMachineRegistryString: (key, value) =>
      key === 'SOFTWARE\\Microsoft\\Windows Defender' && value === 'InstallLocation' ? (over.registry ?? null) : null,
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
