/** Ending MpCmdRun with everything it started: taskkill /T first, the process table when taskkill cannot, never nothing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { descendantsOf, endProcessTree, parseProcessTable, type ToolResult, type TreeKillPorts } from '../../../app/main/mpcmdrun/process-tree';

/** As Wine 8's wmic prints it: UTF-16 with a BOM, the two column names run together. */
const WINE_TABLE = Buffer.concat([
  Buffer.from([0xff, 0xfe]),
  Buffer.from(
    'ParentProcessIDProcessID\r\n40    56    \r\n56    68    \r\n0     1116  \r\n1116  1144  \r\n1144  1160  \r\n1144  1168  \r\n1168  1176  \r\n',
    'utf16le',
  ),
]);
/** As Windows prints it to a pipe: 8-bit, padded columns. */
const WINDOWS_TABLE = Buffer.from(
  'ParentProcessId  ProcessId  \r\n\r\n0                4          \r\n4                1144       \r\n1144             2000       \r\n',
  'latin1',
);

function ports(answers: Record<string, ToolResult | Error>, platform: NodeJS.Platform = 'win32') {
  const killed: number[] = [];
  const ran: string[] = [];
  const p: TreeKillPorts = {
    platform,
    env: { SystemRoot: 'C:\\Windows' },
    run: (file, args) => {
      ran.push(`${file} ${args.join(' ')}`);
      const name = Object.keys(answers).find((k) => file.toLowerCase().endsWith(k));
      const answer = name ? answers[name] : new Error('not found');
      return answer instanceof Error || !answer ? Promise.reject(answer ?? new Error('not found')) : Promise.resolve(answer);
    },
    kill: (pid) => {
      killed.push(pid);
    },
  };
  return { p, killed, ran };
}

test('the process table is read from wmic as Wine and Windows print it', () => {
  assert.deepEqual(parseProcessTable(WINE_TABLE)?.slice(3), [
    [1116, 1144],
    [1144, 1160],
    [1144, 1168],
    [1168, 1176],
  ]);
  assert.deepEqual(parseProcessTable(WINDOWS_TABLE), [
    [0, 4],
    [4, 1144],
    [1144, 2000],
  ]);
  assert.equal(parseProcessTable(Buffer.from('No Instance(s) Available.\r\n')), null);
});

test('descendants are found at every depth, without looping on a reused process id', () => {
  const table = parseProcessTable(WINE_TABLE)!;
  assert.deepEqual(descendantsOf(1144, table), [1160, 1168, 1176]);
  assert.deepEqual(
    descendantsOf(1, [
      [1, 2],
      [2, 1],
      [2, 3],
    ]),
    [2, 3],
  );
});

test('on Windows taskkill /T /F ends the tree; nothing else is needed when it succeeds', async () => {
  const { p, killed, ran } = ports({ 'taskkill.exe': { code: 0, stdout: Buffer.from('SUCCESS') } });
  assert.deepEqual(await endProcessTree(1144, p), { method: 'taskkill', note: null });
  assert.deepEqual(ran, ['C:\\Windows\\System32\\taskkill.exe /T /F /PID 1144']);
  assert.deepEqual(killed, []);
});

test('when taskkill refuses /T (Wine), the process and each descendant are ended from the process table', async () => {
  const { p, killed } = ports({
    'taskkill.exe': { code: 1, stdout: Buffer.from('Error: Unknown or invalid command line option specified.\n') },
    'wmic.exe': { code: 0, stdout: WINE_TABLE },
  });
  const report = await endProcessTree(1144, p);
  assert.equal(report.method, 'wmic');
  assert.match(report.note ?? '', /Unknown or invalid command line option/);
  assert.deepEqual(killed, [1144, 1160, 1168, 1176]);
});

test('with neither tool, the process itself is still ended and the report says children may be left', async () => {
  const { p, killed } = ports({ 'taskkill.exe': new Error('ENOENT') });
  const report = await endProcessTree(1144, p);
  assert.equal(report.method, 'process-only');
  assert.match(report.note ?? '', /child processes may be left/);
  assert.deepEqual(killed, [1144]);
});

test('elsewhere the process group is ended as a whole', async () => {
  const { p, killed } = ports({}, 'linux');
  assert.deepEqual(await endProcessTree(4242, p), { method: 'process-group', note: null });
  assert.deepEqual(killed, [-4242]);
});
