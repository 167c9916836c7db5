// The Node.js that `npm start` needs: Electron 45's download tooling (@electron/get, run on the first start to fetch
// the Electron binary) requires Node 22.12 or newer. Tests and builds run on Node 20.19+ (package.json "engines").
//
//   import { startNodeProblem } from './node-version.mjs';
//   const problem = startNodeProblem(process.versions.node); // null, or the sentence to print

export const START_NODE_MINIMUM = '22.12.0';

function parts(version) {
  return String(version)
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** Whether `version` (e.g. "20.19.2") is at least `minimum`. */
export function atLeast(version, minimum) {
  const have = parts(version);
  const need = parts(minimum);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  }
  return true;
}

/** null when this Node can start the app; otherwise what to tell the person, in plain words. */
export function startNodeProblem(version) {
  if (atLeast(version, START_NODE_MINIMUM)) return null;
  return (
    `npm start needs Node.js ${START_NODE_MINIMUM} or newer; this is Node.js ${version}. ` +
    `Electron downloads its binary on the first start with tooling that requires Node.js 22.12+ ` +
    `(and Node.js 20 is past its end of life). Install the current LTS from https://nodejs.org and run npm start again. ` +
    `npm test and npm run build work on Node.js 20.19 too.`
  );
}
