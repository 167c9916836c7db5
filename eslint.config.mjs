// ESLint: typescript-eslint's type-checked rules, plus import boundaries between the layers (see README "Layout").
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'util', 'crypto', 'http', 'net', 'url', 'stream', 'events', 'worker_threads'];
const restrict = (patterns, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] });

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
    files: ['app/shared/**/*.ts'],
    rules: restrict(
      ['electron', 'koffi', 'react', 'react-dom', ...nodeBuiltins, '../main/*', '../renderer/*', '../preload/*'],
      'app/shared is plain TypeScript: it imports only itself (and zod for schemas).',
    ),
  },
  {
    files: ['app/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        ['electron', 'koffi', 'zod', ...nodeBuiltins, '../main/*', '../../main/*', '../preload/*'],
        'The renderer talks to main only through window.defender (app/shared types).',
      ),
    },
  },
  {
    files: ['app/preload/**/*.ts'],
    rules: restrict(['koffi', ...nodeBuiltins, '../main/*', '../renderer/*'], 'The preload builds the bridge from app/shared and ipcRenderer only.'),
  },
  {
    // Policies and the event log are read and written by the CLI too.
    files: ['app/main/mpclient/**/*.ts', 'app/main/update/**/*.ts', 'app/main/cli/**/*.ts', 'app/main/policy/**/*.ts', 'app/main/event-log/**/*.ts'],
    rules: restrict(
      ['electron', 'react', '../renderer/*', '../../renderer/*'],
      'The binding, engine, CLI, policy reader and event log run in plain Node: no Electron here.',
    ),
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
