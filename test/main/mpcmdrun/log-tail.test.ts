/** Following MpCmdRun.log as it grows: only new lines, whole lines, either encoding, bounded reads. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LogTail } from '../../../app/main/mpcmdrun/log-tail';
import { detectEncoding, TextLines } from '../../../app/main/mpcmdrun/text-lines';

const dir = mkdtempSync(join(tmpdir(), 'du-logtail-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const utf16 = (text: string) => Buffer.from(text, 'utf16le');
const BOM = Buffer.from([0xff, 0xfe]);

test('lines already in the log are skipped; lines added later are read as they arrive', async () => {
  const path = join(dir, 'grows.log');
  writeFileSync(path, Buffer.concat([BOM, utf16('an older run\r\n')]));
  const tail = new LogTail(path);
  await tail.start();
  assert.deepEqual(await tail.read(), []);
  appendFileSync(path, utf16('Update Started\r\nSearch Sta'));
  assert.deepEqual(await tail.read(), ['Update Started'], 'a half-written line waits');
  appendFileSync(path, utf16('rted (UNC share update)...\r\n'));
  assert.deepEqual(await tail.read(), ['Search Started (UNC share update)...']);
  appendFileSync(path, utf16('Search Completed '));
  assert.deepEqual(await tail.finish(), ['Search Completed'], 'the last line counts once the run is over');
});

test('a log that does not exist yet is read from its start once it appears', async () => {
  const path = join(dir, 'later.log');
  const tail = new LogTail(path);
  await tail.start();
  assert.deepEqual(await tail.read(), []);
  writeFileSync(path, Buffer.concat([BOM, utf16('Update Started\r\n')]));
  assert.deepEqual(await tail.read(), ['Update Started']);
});

test('a log that was cut short (rotated) is read again from its start', async () => {
  const path = join(dir, 'rotated.log');
  writeFileSync(path, 'a long line from an older run\r\nanother one\r\n');
  const tail = new LogTail(path);
  await tail.start();
  writeFileSync(path, 'Update Started\r\n');
  assert.deepEqual(await tail.read(), ['Update Started']);
});

test('UTF-16 without a BOM, 8-bit text and odd chunk boundaries all come out as the same lines', () => {
  const text = 'Start Time: \u200eThu \u200eApr\r\nSearch Completed \r\n';
  const expected = ['Start Time: Thu Apr', 'Search Completed'];
  for (const bytes of [utf16(text), Buffer.concat([BOM, utf16(text)]), Buffer.from(text, 'utf8')]) {
    const reader = new TextLines();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) lines.push(...reader.push(bytes.subarray(i, i + 3)));
    lines.push(...reader.end());
    assert.deepEqual(lines, expected, bytes.subarray(0, 4).toString('hex'));
  }
  assert.equal(detectEncoding(utf16('-----')), 'utf16le');
  assert.equal(detectEncoding(Buffer.from('Signature update started', 'latin1')), 'utf8');
});

test('reads are bounded: a large log arrives over several reads, a line without end in pieces', async () => {
  const path = join(dir, 'big.log');
  writeFileSync(path, '');
  const tail = new LogTail(path, 1024);
  await tail.start();
  const lines = Array.from({ length: 100 }, (_, i) => `Search Started, line ${i}`);
  appendFileSync(path, lines.join('\n') + '\n');
  const first = await tail.read();
  assert.ok(first.length > 0 && first.length < 100, `first read: ${first.length} lines`);
  const rest = await tail.finish();
  assert.deepEqual([...first, ...rest], lines);

  const reader = new TextLines('utf8', 10);
  assert.deepEqual(reader.push(Buffer.from('x'.repeat(25))), ['xxxxxxxxxx', 'xxxxxxxxxx']);
  assert.deepEqual(reader.end(), ['xxxxx']);
});
