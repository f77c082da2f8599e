/**
 * The fast tier, `npm test`: the unit tests and the end-to-end tests of the main paths
 * (test/smoke: a real build traced by the real strace, recorded, checked clean, a change
 * caught; the bundled example clean against its committed baseline), in about a minute
 * on two cores. The rest — the bundles end to end, real builds, the action as the runner
 * runs it, the attacks, eBPF — runs in `npm run test:all` (jest.config.js).
 */
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  testPathIgnorePatterns: [
    '/node_modules/',
    '/test/e2e/',
    '/test/action/',
    '/test/security/',
    '\\.e2e\\.test\\.ts$',
    // The bundle's command line end to end, and real strace on many programs.
    '/test/cli/',
    '/test/io/scratch\\.test\\.ts$',
    '/test/trace/preflight\\.test\\.ts$',
    '/test/trace/syscalls\\.test\\.ts$',
    '/test/report/mermaid-parser\\.test\\.ts$',
  ],
};
