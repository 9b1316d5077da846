// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import n from 'eslint-plugin-n';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import unicorn from 'eslint-plugin-unicorn';
import tseslint from 'typescript-eslint';

/** Modules that only storage, adapters and composition roots may touch (STYLE.md §3). */
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
  'worker_threads',
  'node:worker_threads',
  'better-sqlite3',
  'pg',
  'nats',
  'ws',
  'commander',
];

/** Wall clock and unseeded randomness: banned where replay must be deterministic (STYLE.md §7). */
const NONDETERMINISM = [
  { object: 'Date', property: 'now', message: 'Inject a Clock.' },
  { object: 'Math', property: 'random', message: 'Inject a seeded Rng.' },
  { object: 'performance', property: 'now', message: 'Inject a Clock.' },
  { object: 'process', property: 'hrtime', message: 'Inject a Clock.' },
  { object: 'process', property: 'env', message: 'Pass configuration in.' },
];

const PURE_FOLDERS = [
  'src/core/**',
  'src/replay/**',
  'src/exchange/**',
  'src/pipeline/**',
  'src/routing/**',
  'src/governance/**',
  'src/privacy/**',
  'src/journal/**',
  'src/reports/**',
  'src/contracts/**',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: {
      'import-x': importX,
      n,
      'simple-import-sort': simpleImportSort,
      unicorn,
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'n/prefer-node-protocol': 'error',
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
      'import-x/no-duplicates': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object or z.enum.' },
        {
          selector: 'ExportAllDeclaration',
          message: 'Use explicit named exports in barrels.',
        },
      ],
    },
  },
  {
    files: PURE_FOLDERS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES.map((name) => ({
            name,
            message: 'Pure code: I/O enters through ports (STYLE.md §3).',
          })),
        },
      ],
      'no-restricted-properties': ['error', ...NONDETERMINISM],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Inject a Clock.',
        },
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object or z.enum.' },
        { selector: 'ExportAllDeclaration', message: 'Use explicit named exports in barrels.' },
      ],
    },
  },
  {
    files: ['src/**'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/core',
              from: './src',
              except: ['./core'],
              message: 'core imports nothing of ours outside core.',
            },
            {
              target: './src/storage',
              from: './src/adapters',
              message: 'Backends and adapters never import each other.',
            },
            {
              target: './src/adapters',
              from: './src/storage',
              message: 'Backends and adapters never import each other.',
            },
            {
              target: './src/storage/sqlite',
              from: './src/storage/jsonl',
              message: 'Backends never import each other; share through core.',
            },
            {
              target: './src/storage/jsonl',
              from: './src/storage/sqlite',
              message: 'Backends never import each other; share through core.',
            },
            {
              target: './src',
              from: './src/cli',
              except: ['./cli'],
              message: 'Nothing imports a composition root.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
