/**
 * Reaching into processes that are not the build's (issue 23, src/graph/foreign.ts), on
 * operations written as literals: a build that reads ioana's environment through /proc
 * (pid 4242 is no process of the build) and one that reads its own.
 */
import type { Step } from '../../src/decode/index.js';
import { buildGraph, foreignProcesses } from '../../src/graph/index.js';
import { modelSteps } from '../../src/model/index.js';
import { exec, READ, step } from '../helpers/operations.js';

const proc = (n: number, path: string): Step =>
  step(1, {
    kind: 'open',
    fd: n,
    path: { dir: { kind: 'cwd', path: '/w' }, path },
    target: { kind: 'path', path, deleted: false },
    mode: READ,
  });
const close = (fd: number): Step => step(1, { kind: 'close', fd });

test("another process's environment and descriptors are reached; the build's own /proc entries, and ps's reads, are not", () => {
  const flow = modelSteps([
    step(1, exec('/bin/sh', 'sh', 'evil.sh')),
    proc(3, '/proc/4242/environ'),
    close(3),
    proc(3, '/proc/4242/fd/5'),
    close(3),
    proc(3, '/proc/4242/cmdline'),
    close(3),
    proc(3, '/proc/1/environ'),
    close(3),
    step(1, { kind: 'exit', status: 0 }),
  ]);
  const reached = foreignProcesses(buildGraph(flow), new Set(flow.tids));
  expect(reached.map((r) => [r.path, r.what, r.by.exe])).toEqual([
    ['/proc/4242/environ', 'secrets', '/bin/sh'],
    ['/proc/4242/fd/5', 'handles', '/bin/sh'],
  ]);
});
