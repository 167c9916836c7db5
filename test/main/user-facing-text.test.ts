/**
 * Main shows people words in a few places: the tray (tooltip and menu), notifications, native dialogs, and the CLI's
 * output. Every such word comes from the message table (app/shared/messages), so it is translated and written once.
 * This scan reads app/main with the TypeScript parser and fails on any English text written straight into one of those
 * places; the probes at the end show it catches what it should.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../support/paths';

/** Object properties Electron shows as text: menu items, notifications, dialogs, toasts. */
const SINK_PROPERTIES = new Set(['label', 'sublabel', 'toolTip', 'title', 'body', 'subtitle', 'buttonLabel', 'message', 'content', 'toastXml']);
/** Calls whose arguments are shown as they are: the tray's tooltip, dialogs, notifications, the CLI's output. */
const SINK_CALLS = new Set([
  'setToolTip',
  'setTitle',
  'showMessageBox',
  'showMessageBoxSync',
  'showErrorBox',
  'showSaveDialog',
  'showOpenDialog',
  'Notification',
  'out',
  'err',
]);
/** The product's name is the same in every language. */
const NAMES = new Set(['Defender Updater']);
/** Two words with a space between: a sentence, not a message key, a path or a format. */
const WORDS = /\p{L}{2,}[,.;:!?]?\s+\p{L}{2,}/u;

interface Finding {
  file: string;
  line: number;
  text: string;
  sink: string;
}

function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  return null;
}

function calleeName(expression: ts.Expression): string | null {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return null;
}

/** The place a literal ends up shown in, if it is one of the sinks (looking outwards, within its own function). */
function sinkOf(node: ts.Node): string | null {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return null;
    if (ts.isPropertyAssignment(parent) && parent.initializer === child) {
      const name = parent.name.getText();
      if (SINK_PROPERTIES.has(name)) return `${name}:`;
    }
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(child as ts.Expression)) {
      const name = calleeName(parent.expression);
      if (name && SINK_CALLS.has(name)) return `${name}(…)`;
    }
  }
  return null;
}

export function scan(file: string, source: string): Finding[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node);
    if (text !== null) {
      if (!NAMES.has(text) && WORDS.test(text)) {
        const sink = sinkOf(node);
        if (sink) findings.push({ file, line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1, text, sink });
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('main writes no user-facing English outside the message table (tray, notifications, dialogs, CLI output)', () => {
  const files = sources(join(repoRoot, 'app', 'main'));
  assert.ok(files.length > 40, 'the scan reads app/main');
  const findings = files.flatMap((path) => scan(relative(repoRoot, path), readFileSync(path, 'utf8')));
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line} ${f.sink} ${JSON.stringify(f.text)}`),
    [],
  );
});

test('the scan catches English in each kind of place, and lets table lookups, names and formats through', () => {
  const probe = `
    tray.setToolTip('Defender Updater: updating now');
    const menu = [{ label: \`Update \${what} now\` }, { label: t('tray.quit') }];
    new Notification({ title: 'Update failed', body: t('notify.failed.body', { message, hex }) });
    dialog.showSaveDialog({ title: 'Export update history', defaultPath: join(dir, 'history.csv') });
    ports.err(\`Cancelling the update…\\n\`);
    ports.out(JSON.stringify(line) + '\\n');
    const window = { title: 'Defender Updater' };
    log('this is for the log, not a person');
  `;
  assert.deepEqual(
    scan('probe.ts', probe).map((f) => f.sink),
    ['setToolTip(…)', 'label:', 'title:', 'title:', 'err(…)'],
  );
});
