/**
 * The narrow syscall set loses nothing: the fixture builds give the same canonical
 * graph when traced with the broad set (the stat/access probes and read/write added).
 */
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { canonicalFile } from '../helpers/pipeline.js';
import { runTraced } from '../../src/trace/index.js';
import { copyFixture } from '../helpers/project.js';
import { strace, tempDir } from '../helpers/trace.js';
import { realpathSync } from 'node:fs';

async function canonicalGraph(fixture: 'cproject' | 'tsproject', command: string[], broad: boolean) {
  const dir = realpathSync(copyFixture(fixture));
  const logPath = join(tempDir(), 'trace.log');
  const outcome = await runTraced({ command, cwd: dir, logPath, strace: strace(), stdio: 'ignore', probes: broad, detailed: broad });
  expect(outcome.exitCode).toBe(0);
  const graph = (await canonicalFile(logPath, dir, DEFAULT_CONFIG)).canonical.graph;
  // Who read a file first depends on the schedule (cc1 and as run side by side under -pipe, even with -j1): the
  // readers are compared as sets, not which came first.
  const actors = Object.fromEntries(Object.entries(graph.actors ?? {}).map(([k, a]) => [k, a.exes]));
  return { ...graph, actors };
}

describe('the narrow syscall set gives the same graph as the broad one', () => {
  test('the C fixture project (make -j1, so that the schedule is the same)', async () => {
    const cmd = ['make', '-j1', 'all', 'version'];
    const narrow = await canonicalGraph('cproject', cmd, false);
    const broad = await canonicalGraph('cproject', cmd, true);
    expect(narrow.outputs.length).toBeGreaterThan(5);
    expect(broad).toEqual(narrow);
  });

  test('the TypeScript fixture project', async () => {
    const cmd = ['node', join(process.cwd(), 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'];
    const narrow = await canonicalGraph('tsproject', cmd, false);
    const broad = await canonicalGraph('tsproject', cmd, true);
    expect(narrow.outputs.map((o) => o.path)).toContain('{workspace}/dist/main.js');
    expect(broad).toEqual(narrow);
  });
});
