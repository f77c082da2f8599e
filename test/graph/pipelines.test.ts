/** Shell pipelines and redirections, traced for real: what reaches each output. */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, tempDir } from '../helpers/trace.js';
import { outputFrom, traceGraph } from '../helpers/graph.js';

const W = '{workspace}';

function workspaceWith(files: Record<string, string>): string {
  const dir = tempDir('ioana-pipes-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('dataflow through pipes and redirections', () => {
  test('sort < a | uniq > b: b depends on a through the pipe', async () => {
    const dir = workspaceWith({ a: 'y\nx\ny\n', unrelated: 'z' });
    const { doc } = await traceGraph(['sh', '-c', 'cat unrelated > /dev/null; sort < a | uniq > b'], dir);
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('x\ny\n');
    expect(outputFrom(doc, `${W}/b`)).toEqual([`${W}/a`]);
  });

  test("a filter behind a wrapper: sh -c 'exec tr a-z A-Z' < in > out", async () => {
    const dir = workspaceWith({ in: 'hello\n' });
    const { doc } = await traceGraph(['sh', '-c', "sh -c 'exec tr a-z A-Z' < in > out"], dir);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('HELLO\n');
    expect(outputFrom(doc, `${W}/out`)).toEqual([`${W}/in`]);
  });

  test("rename into place: the final name is the output, with the temporary's inputs", async () => {
    const dir = workspaceWith({ src: 'data\n' });
    const { doc } = await traceGraph(['sh', '-c', 'cat src > final.tmp && mv final.tmp final'], dir);
    expect(doc.outputs.map((o) => o.path)).toEqual([`${W}/final`]);
    expect(outputFrom(doc, `${W}/final`)).toEqual([`${W}/src`]);
    expect(doc.temporaries).toEqual([]);
  });

  test('a temporary created and deleted is a temporary, not an output', async () => {
    const dir = workspaceWith({ src: 'data\n' });
    const { doc } = await traceGraph(['sh', '-c', 'cat src > scratch; cat scratch > result; rm scratch'], dir);
    expect(doc.outputs.map((o) => o.path)).toEqual([`${W}/result`]);
    expect(doc.temporaries.map((t) => t.path)).toEqual([`${W}/scratch`]);
    // The data went through the temporary: result still comes from src.
    expect(outputFrom(doc, `${W}/result`)).toEqual([`${W}/src`]);
  });

  test('2>&1 and dup2 redirections: both streams land in the output', async () => {
    const dir = workspaceWith({ a: 'a\n' });
    const { doc } = await traceGraph(['sh', '-c', 'cat a missing > out 2>&1; true'], dir);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toMatch(/^a\n.*missing/s);
    expect(outputFrom(doc, `${W}/out`)).toEqual([`${W}/a`]);
  });

  test("a close-on-exec descriptor does not reach the exec'd child; an inherited one does", async () => {
    const dir = workspaceWith({ secret: 's', in: 'i\n' });
    const exe = compile('cloexec', dir);
    const closed = await traceGraph([exe, 'cloexec'], dir);
    expect(outputFrom(closed.doc, `${W}/out`)).toEqual([`${W}/in`]);
    // Without O_CLOEXEC cat holds "secret" open: ioana counts what a program holds as
    // what it may read, so the leak shows.
    const leaked = await traceGraph([exe, 'leak'], dir);
    expect(outputFrom(leaked.doc, `${W}/out`)).toEqual([`${W}/in`, `${W}/secret`]);
  });

  test('threads that write: both files are outputs of the one program', async () => {
    const dir = tempDir('ioana-threads-');
    const exe = compile('threads', dir);
    const { doc, sets, analysis } = await traceGraph([exe], dir);
    expect(doc.outputs.map((o) => o.path)).toEqual([`${W}/thread-a.out`, `${W}/thread-b.out`]);
    const writers = sets.outputs.map((k) => analysis.graph.inNeighbors(k));
    expect(writers[0]).toEqual(writers[1]);
    expect(writers[0]).toHaveLength(1);
  });

  test('a process that reads a file and later overwrites it: the file is an input and an output', async () => {
    const dir = workspaceWith({ f: 'old\n' });
    const { doc } = await traceGraph(['sh', '-c', 'read x < f; echo "$x new" > f'], dir);
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('old new\n');
    expect(doc.inputs.map((i) => i.path)).toContain(`${W}/f`);
    expect(outputFrom(doc, `${W}/f`)).toEqual([`${W}/f`]);
  });

  test("with --provenance control, a wrapper's inputs reach what its children write", async () => {
    const dir = workspaceWith({ config: 'x', in: 'i\n' });
    // bash forks before it redirects, so the wrapper itself never holds "out".
    const cmd = ['bash', '-c', 'read c < config; cat in > out; true'];
    expect(outputFrom((await traceGraph(cmd, dir)).doc, `${W}/out`)).toEqual([`${W}/in`]);
    expect(outputFrom((await traceGraph(cmd, dir, true)).doc, `${W}/out`)).toEqual([`${W}/config`, `${W}/in`]);
  });

  test('dash redirects in the parent before vfork: the shell holds the output, so what it read counts (conservative)', async () => {
    const dir = workspaceWith({ config: 'x', in: 'i\n' });
    const { doc } = await traceGraph(['dash', '-c', 'read c < config; cat in > out'], dir);
    expect(outputFrom(doc, `${W}/out`)).toEqual([`${W}/config`, `${W}/in`]);
  });
});
