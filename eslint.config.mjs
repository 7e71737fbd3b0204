// Layer boundaries (each src/* README's "May import"), enforced as restricted imports per folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'net',
  'zlib',
  'stream',
  'url',
];
const pattern = (group, message) => ({ group, message });
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const noElectron = pattern(['electron'], 'electron belongs in src/main/electron and src/preload only');
const noNode = pattern(nodeBuiltins, 'node built-ins belong in main/core, main/web-host, hub');
const noDb = pattern(
  ['better-sqlite3', 'pg', '@electric-sql/*', 'fastify', '@fastify/*'],
  'databases and servers belong in main/core, web-host, hub',
);
const noUi = pattern(
  ['react', 'react-dom', 'react/*', 'react-dom/*', 'konva', 'konva/*'],
  'UI libraries belong in the renderer',
);
const noRenderer = pattern(['**/renderer/**'], 'only the renderer imports the renderer');
const noMain = pattern(
  ['**/main/**', '!**/renderer/**'],
  'the renderer talks to main through the contract only',
);
const noHub = pattern(['**/hub/**'], 'only the hub imports the hub');
const noShell = pattern(['**/electron/**', '**/web-host/**'], 'core must not import a transport');

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: restrict(
      noElectron,
      noNode,
      noDb,
      noUi,
      noRenderer,
      noHub,
      pattern(['**/main/**'], 'shared imports nothing outside shared'),
    ),
  },
  { files: ['src/main/core/**'], rules: restrict(noElectron, noUi, noRenderer, noHub, noShell) },
  {
    files: ['src/main/web-host/**'],
    rules: restrict(
      noElectron,
      noUi,
      noRenderer,
      noHub,
      pattern(['**/electron/**'], 'web-host does not import the Electron shell'),
    ),
  },
  {
    files: ['src/main/electron/**'],
    rules: restrict(
      noUi,
      noRenderer,
      noHub,
      pattern(['**/web-host/**'], 'the shell does not import web mode'),
    ),
  },
  {
    files: ['src/preload/**'],
    rules: restrict(
      noNode,
      noDb,
      noUi,
      noRenderer,
      noHub,
      pattern(['**/main/**'], 'preload sees contract names only'),
    ),
  },
  {
    files: ['src/hub/**'],
    rules: restrict(
      noElectron,
      noUi,
      noRenderer,
      pattern(['**/main/**'], 'the hub shares only src/shared with the workbench'),
    ),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Advice for the React Compiler, which this project does not use; virtualizers trip it.
      'react-hooks/incompatible-library': 'off',
      ...restrict(noElectron, noNode, noDb, noMain, noHub),
    },
  },
);
