// Flat ESLint config: typescript-eslint recommended rules over every TS source, plus the house
// table (README "The house") as lint rules: no import cycles, and per folder what it may import.
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** no-restricted-imports patterns for the given top-level folders (relative imports from anywhere). */
const folders = (...names) => names.map((n) => `**/${n}/**`);
const layer = (files, forbidden, why) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message: why }] }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'test-results/**', 'admin-web/public/**', '.data/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs'] })],
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  layer(['core/**'], folders('gateway', 'agents', 'workers', 'bin', 'admin-web'), 'core imports nothing above it (README "The house").'),
  layer(['agents/**'], folders('gateway', 'workers', 'bin', 'admin-web'), 'agents imports core only (README "The house").'),
  layer(
    ['gateway/**'],
    folders('agents', 'workers', 'bin', 'admin-web'),
    'gateway imports core only; enqueue through core/queue.ts JobQueue (README "The house").',
  ),
  layer(
    ['workers/**'],
    [...folders('gateway', 'bin', 'admin-web'), '!**/gateway/channels/**'],
    'workers imports core, agents and gateway/channels (senders) only (README "The house").',
  ),
  layer(['admin-web/**'], folders('core', 'gateway', 'agents', 'workers', 'bin'), 'admin-web talks to the REST API only (README "The house").'),
);
