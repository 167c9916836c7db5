// ESLint: typescript-eslint's type-checked rules, plus the layers of app/ (README "How it is built").
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which folders of app/ each layer may import. import-x resolves every import to a file before it compares, so a rule
 * holds however deep the importing file sits and however many `../` the import has (as VS Code's code-layering does).
 * `target` is the layer; everything in app/ outside `allowed` is refused.
 */
const layer = (target, allowed, message) => ({ target, from: 'app', except: allowed.map((dir) => `./${dir}`), message });
const LAYERS = [
  layer('app/shared', ['shared'], 'app/shared is plain TypeScript: it imports nothing of ours.'),
  layer('app/main/mpclient', ['shared', 'main/mpclient'], 'The binding imports only app/shared.'),
  layer('app/main/mpcmdrun', ['shared', 'main/mpcmdrun'], 'The MpCmdRun back end imports only app/shared.'),
  layer(
    'app/main/update',
    ['shared', 'main/mpclient', 'main/mpcmdrun', 'main/update'],
    'The engine imports only app/shared and the two back ends, app/main/mpclient and app/main/mpcmdrun.',
  ),
  layer(
    ['app/main/cli', 'app/main/cli.ts'],
    ['shared', 'main/mpclient', 'main/mpcmdrun', 'main/update', 'main/policy', 'main/event-log', 'main/cli', 'main/cli.ts'],
    'The CLI runs in plain Node: it imports app/shared, the binding, MpCmdRun, the engine, policies and the event log, nothing that needs Electron.',
  ),
  layer('app/main', ['shared', 'main'], 'Main never imports the renderer or the preload.'),
  layer('app/preload', ['shared', 'preload'], 'The preload builds the bridge from app/shared and ipcRenderer only.'),
  layer('app/renderer', ['shared', 'renderer'], 'The renderer talks to main only through window.defender (app/shared types).'),
];

/** Packages a layer must not load; Node's built-ins are refused separately (import-x/no-nodejs-modules). */
const noPackages = (names, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: names.flatMap((name) => [name, `${name}/*`]), message }] }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', '.build/**', '.cache/**', 'node_modules/**', 'docs/**', 'test/standin/**', 'test/windows/smoke/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'scripts/*/*.mjs', 'eslint.config.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json', '.css'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: LAYERS }],
      // A layer rule skips what it cannot resolve, so nothing in app/ may be unresolvable.
      'import-x/no-unresolved': 'error',
    },
  },
  {
    files: ['app/shared/**/*.ts'],
    rules: {
      ...noPackages(['electron', 'koffi', 'react', 'react-dom'], 'app/shared is plain TypeScript: it imports only itself (and zod for schemas).'),
      'import-x/no-nodejs-modules': 'error',
    },
  },
  {
    files: ['app/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...noPackages(['electron', 'koffi', 'zod'], 'The renderer talks to main only through window.defender (app/shared types).'),
      'import-x/no-nodejs-modules': 'error',
    },
  },
  {
    files: ['app/preload/**/*.ts'],
    rules: {
      ...noPackages(['koffi'], 'The preload builds the bridge from app/shared and ipcRenderer only.'),
      'import-x/no-nodejs-modules': 'error',
    },
  },
  {
    // Policies and the event log are read and written by the CLI too.
    files: [
      'app/main/mpclient/**/*.ts',
      'app/main/mpcmdrun/**/*.ts',
      'app/main/update/**/*.ts',
      'app/main/cli/**/*.ts',
      'app/main/cli.ts',
      'app/main/policy/**/*.ts',
      'app/main/event-log/**/*.ts',
    ],
    rules: noPackages(['electron', 'react'], 'The binding, engine, CLI, policy reader and event log run in plain Node: no Electron here.'),
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' }] },
      ],
    },
  },
);
