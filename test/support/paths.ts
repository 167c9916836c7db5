/** Where things are when a test runs from its bundle in .build/test (on Linux or under Wine). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'app'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`test support: no repository root above ${__dirname}`);
    dir = parent;
  }
}

export const repoRoot = process.env.DU_REPO_ROOT ?? findRepoRoot();

/** The stand-in MpClient built by scripts/build-standin.mjs for this platform. */
export function standinLibraryPath(): string {
  const file = process.platform === 'win32' ? 'MpClient.dll' : 'libmpclient-standin.so';
  const path = join(repoRoot, '.build', 'standin', file);
  if (!existsSync(path)) throw new Error(`stand-in library not built: ${path} (run: node scripts/build-standin.mjs)`);
  return path;
}
