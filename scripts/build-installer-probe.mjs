// Compiles the installer's include script (assets/installer.nsh, electron-builder.yml nsis.include) into a small
// Windows program with Debian's makensis, so the Wine suite can run its customInstall / customUnInstall macros for real
// (test/windows/installer-event-source.test.ts). electron-builder's full installer cannot be built here (it downloads
// its own NSIS and Electron); the probe provides the one thing the macros take from it, the ${isUpdated} condition
// (electron-builder: true when the installer runs with --updated), and nothing else.
//
//   .build/installer-probe/event-source-probe.exe              runs customInstall
//   .build/installer-probe/event-source-probe.exe --uninstall  runs customUnInstall (add --updated for an update)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const PROBE_DIR = join(root, '.build', 'installer-probe');
export const PROBE_EXE = join(PROBE_DIR, 'event-source-probe.exe');

// amd64: the Wine prefix of the test suite is 64-bit only. electron-builder's installer is x86; the key it writes is
// under HKLM\SYSTEM, which WOW64 does not redirect, so both reach the same place.
const SCRIPT = `Target amd64-unicode
Name "Defender Updater installer include probe"
OutFile "\${OUT}"
RequestExecutionLevel user
SilentInstall silent
!include LogicLib.nsh
!include FileFunc.nsh

; electron-builder defines isUpdated the same way (a LogicLib condition on a command-line flag).
!macro _isUpdated _a _b _t _f
  \${GetParameters} $R9
  ClearErrors
  \${GetOptions} $R9 "--updated" $R8
  IfErrors \`\${_f}\` \`\${_t}\`
!macroend
!define isUpdated \`"" isUpdated ""\`

!include "\${INCLUDE}"

Section
  \${GetParameters} $R0
  ClearErrors
  \${GetOptions} $R0 "--uninstall" $R1
  \${If} \${Errors}
    !insertmacro customInstall
  \${Else}
    !insertmacro customUnInstall
  \${EndIf}
SectionEnd
`;

export function buildInstallerProbe() {
  ensureSystemDeps(['nsis']);
  mkdirSync(PROBE_DIR, { recursive: true });
  const script = join(PROBE_DIR, 'probe.nsi');
  writeFileSync(script, SCRIPT);
  const args = ['-V2', '-WX', `-DOUT=${PROBE_EXE}`, `-DINCLUDE=${join(root, 'assets', 'installer.nsh')}`, script];
  const result = spawnSync('makensis', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`makensis ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return PROBE_EXE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`built ${buildInstallerProbe()}`);
