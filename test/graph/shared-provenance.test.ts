/**
 * A generator that writes many files (issue 16): each output's provenance is asked for
 * at its own time, and the answers, when they hold the same inputs, are one set and one
 * list, so that memory grows with the files, not with the files × their inputs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodePath, Provenance } from '../../src/graph/index.js';
import { outputFrom, traceGraph } from '../helpers/graph.js';
import { tempDir } from '../helpers/trace.js';

const W = '{workspace}';

test('a shell loop writing 200 files from one list: every file has the same inputs, as one list', async () => {
  const dir = tempDir('ioana-shared-');
  writeFileSync(join(dir, 'names'), Array.from({ length: 200 }, (_, i) => `f${i}`).join('\n') + '\n');
  const script = 'mkdir -p gen; while read -r n; do printf "%s\\n" "$n" > "gen/$n.txt"; done < names';
  const { doc, sets, analysis, workspace } = await traceGraph(['sh', '-c', script], dir);
  const generated = doc.outputs.filter((o) => o.path.startsWith(`${W}/gen/`));
  expect(generated).toHaveLength(200);
  expect(outputFrom(doc, `${W}/gen/f7.txt`)).toEqual([`${W}/names`]);
  expect(new Set(generated.map((o) => o.from)).size).toBe(1);
  // The provenance sets themselves: one object for every file the loop wrote.
  const prov = new Provenance(analysis.graph);
  const keys = sets.outputs.filter((k) => nodePath(analysis.graph, k).startsWith(`${workspace}/gen/`));
  expect(keys).toHaveLength(200);
  expect(new Set(keys.map((k) => prov.ofObject(k))).size).toBe(1);
});
