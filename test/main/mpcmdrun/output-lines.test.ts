/** MpCmdRun's lines as people have posted them, across platform versions, and what the app reads from each. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OwnLogSection } from '../../../app/main/mpcmdrun/log-section';
import { classifyLine } from '../../../app/main/mpcmdrun/output-lines';

test('the phases come from the console and the log lines that mark them', () => {
  assert.deepEqual(classifyLine('Signature update started . . .'), { kind: 'phase', phase: 'starting' });
  assert.deepEqual(classifyLine('Update Started'), { kind: 'phase', phase: 'starting' });
  assert.deepEqual(classifyLine('Search Started (WSUS update) (Path: http://serverc.test.local:8530)...'), { kind: 'phase', phase: 'searching' });
  assert.deepEqual(classifyLine('Search Completed '), { kind: 'phase', phase: 'installing' });
  assert.deepEqual(classifyLine('Starting engine and signature rollback to none...'), { kind: 'phase', phase: 'removing' });
});

test('success is read in both spellings, and "no updates needed" means up to date', () => {
  assert.deepEqual(classifyLine('Update completed succesfully. no updates needed'), { kind: 'succeeded', upToDate: true });
  assert.deepEqual(classifyLine('Update completed successfully'), { kind: 'succeeded', upToDate: false });
  assert.deepEqual(classifyLine('Signature update finished. No updates needed'), { kind: 'succeeded', upToDate: true });
  assert.deepEqual(classifyLine('Signature update finished.'), { kind: 'succeeded', upToDate: false });
  assert.deepEqual(classifyLine('Done!'), { kind: 'succeeded', upToDate: false });
});

test('failure HRESULTs are read with or without 0x, in either case', () => {
  assert.deepEqual(classifyLine('ERROR: Signature Update failed with hr=80070652'), { kind: 'failed', hresult: 0x80070652 });
  assert.deepEqual(classifyLine('ERROR: Signature Update failed with hr=0x800704e8'), { kind: 'failed', hresult: 0x800704e8 });
  assert.deepEqual(
    classifyLine('CmdTool: Failed with hr = 0x800106BA. Check C:\\Users\\x\\AppData\\Local\\Temp\\MpCmdRun.log for more information'),
    {
      kind: 'failed',
      hresult: 0x800106ba,
    },
  );
  assert.deepEqual(classifyLine('Update failed with hr: 0x8050a004'), { kind: 'failed', hresult: 0x8050a004 });
  assert.deepEqual(classifyLine('MpCmdRun.exe: hr = 0x80508023.'), { kind: 'failed', hresult: 0x80508023 });
});

test('success codes and unknown lines are only logged', () => {
  for (const line of [
    'MpCmdRun.exe: hr = 0x0.',
    'MpEnsureProcessMitigationPolicy(0x5): hr = 0x1',
    'AntiVirus Signature Version: 1.343.1364.0',
    'Run as Network Service',
    'Calling MpUpdateStartEx with option 0x1',
    'WARN: Product/Feature disabled',
  ])
    assert.deepEqual(classifyLine(line), { kind: 'other' }, line);
});

test('only the log section of our own command is read; other runs in the shared log are not', () => {
  const section = new OwnLogSection(['-SignatureUpdate', '-UNC', '-Path', 'C:\\Updates']);
  const rule = '-------------------------------------------------------------------------------------';
  const log = [
    rule,
    'MpCmdRun: Command Line: "C:\\Program Files\\Windows Defender\\MpCmdRun.exe" SignatureUpdate -ScheduleJob -RestrictPrivileges',
    ' Start Time: Thu Apr 01 2021 22:25:24',
    'Update Started',
    'Update completed succesfully. no updates needed',
    'MpCmdRun: End Time: Thu Apr 01 2021 22:25:30',
    rule,
    rule,
    'MpCmdRun: Command Line: "C:\\Program Files\\Windows Defender\\MpCmdRun.exe" -SignatureUpdate -UNC -Path C:\\Updates',
    ' Start Time: Thu Apr 01 2021 22:26:00',
    'Update Started',
    'Update failed with hr: 0x8050a004',
    'MpCmdRun: End Time: Thu Apr 01 2021 22:26:02',
    rule,
    'Update completed succesfully',
  ];
  assert.deepEqual(
    log.filter((line) => section.accept(line)),
    ['Update Started', 'Update failed with hr: 0x8050a004'],
  );
});
