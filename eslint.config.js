import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The pipeline's stages are pure (STYLE.md): only the edges read files, spawn processes, read the environment or talk to GitHub. */
const STAGES = [
  'parse',
  'decode',
  'model',
  'graph',
  'canon',
  'baseline',
  'diff',
  'report',
  'config',
  'pipeline',
  'vocabulary',
  'attest',
].map((d) => `src/${d}/**/*.ts`);
const EDGE_ONLY = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'node:v8',
  'node:vm',
  '@actions/core',
  '@actions/artifact',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**', 'test/fixtures/**', 'bench/work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: STAGES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: EDGE_ONLY.map((name) => ({
            name,
            message:
              'A stage is pure: file system, processes and GitHub belong to the edges (src/io, src/trace, src/host, src/cli, src/action).',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'A stage is pure: the edges read the environment and pass what the stage needs.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
