/**
 * Structured mutations of a real build's log (issue 16): lines cut anywhere, calls split
 * into unfinished and resumed halves, huge and negative numbers, lines moved to other
 * pids, repeated (many pipes and forks), swapped or dropped, and inserted chains of
 * forks with pipes. Whatever the log, the whole pure pipeline (parse → model → graph →
 * canonical graph) ends without a crash (an IoanaError is an answer), and its work stays
 * bounded: the graph grows with the log, never with its square. A fixed seed keeps CI
 * repeatable; the jest timeout bounds the time.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { canonicalRun, type LineSource } from '../../src/pipeline/index.js';
import { IoanaError } from '../../src/vocabulary/errors.js';
import { contextFor } from '../helpers/pipeline.js';

// A real `make -j2` of a two-file C program: forks, execs, pipes (make's jobserver), waits.
const BASE = readFileSync(resolve('test/fixtures/traces/c-hello-make-j2.log'), 'latin1').split('\n').filter(Boolean);
const PIDS = [...new Set(BASE.map((l) => /^(\d+)/.exec(l)?.[1]).filter((p): p is string => p !== undefined))];
const HUGE = ['18446744073709551615', '99999999999999999999999', '-1', '0', '2147483648', '-9223372036854775808'];

type Mutation =
  | { kind: 'cut'; at: number; keep: number }
  | { kind: 'split'; at: number; keep: number }
  | { kind: 'huge'; at: number; which: number; value: string }
  | { kind: 'pid'; at: number; pid: string }
  | { kind: 'repeat'; at: number; times: number }
  | { kind: 'swap'; at: number }
  | { kind: 'drop'; at: number }
  | { kind: 'forks'; at: number; depth: number; pid: number };

const line = fc.nat({ max: BASE.length - 1 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: line, keep: fc.nat({ max: 300 }) }),
  fc.record({ kind: fc.constant('split' as const), at: line, keep: fc.nat({ max: 300 }) }),
  fc.record({ kind: fc.constant('huge' as const), at: line, which: fc.nat({ max: 8 }), value: fc.constantFrom(...HUGE) }),
  fc.record({
    kind: fc.constant('pid' as const),
    at: line,
    pid: fc.oneof(fc.constantFrom(...PIDS), fc.integer({ min: 1, max: 4_194_304 }).map(String)),
  }),
  fc.record({ kind: fc.constant('repeat' as const), at: line, times: fc.integer({ min: 2, max: 200 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: line }),
  fc.record({ kind: fc.constant('drop' as const), at: line }),
  fc.record({
    kind: fc.constant('forks' as const),
    at: line,
    depth: fc.integer({ min: 1, max: 400 }),
    pid: fc.constantFrom(...PIDS).map(Number),
  }),
);

/** A call split where strace splits one that another process interrupted. */
function split(text: string, keep: number): string[] {
  const m = /^(\d+)\s+([a-z_0-9]+)\(/.exec(text);
  if (!m) return [text];
  const cut = Math.min(m[0].length + keep, text.length);
  return [`${text.slice(0, cut)} <unfinished ...>`, `${m[1]} <... ${m[2]} resumed>${text.slice(cut)}`];
}

function apply(lines: string[], m: Mutation): string[] {
  const at = m.at % lines.length;
  const out = lines.slice();
  const text = out[at];
  switch (m.kind) {
    case 'cut':
      out[at] = text.slice(0, m.keep);
      break;
    case 'split':
      out.splice(at, 1, ...split(text, m.keep));
      break;
    case 'huge': {
      let n = 0;
      out[at] = text.replace(/\d+/g, (d) => (n++ === m.which ? m.value : d));
      break;
    }
    case 'pid':
      out[at] = text.replace(/^\d+/, m.pid);
      break;
    case 'repeat':
      out.splice(at, 0, ...Array<string>(m.times - 1).fill(text));
      break;
    case 'swap':
      if (at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1], out[at]];
      break;
    case 'drop':
      out.splice(at, 1);
      break;
    case 'forks': {
      // A chain of children, each making a pipe and forking the next: deep pipes and forks.
      const chain: string[] = [];
      for (let j = 0; j < m.depth; j++) {
        const p = 900_000 + m.pid + j;
        chain.push(`${j === 0 ? m.pid : p - 1}  pipe2([3<pipe:[${7000 + j}]>, 4<pipe:[${7000 + j}]>], 0) = 0`);
        chain.push(`${j === 0 ? m.pid : p - 1}  vfork() = ${p}`);
      }
      out.splice(at, 0, ...chain);
      break;
    }
  }
  return out;
}

const source =
  (lines: readonly string[]): LineSource =>
  async (onLine) => {
    for (const l of lines) onLine(l);
  };

describe('fuzzed real logs (fast-check, fixed seed)', () => {
  test('no crash, and a graph that grows with the log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 12 }), async (mutations) => {
        const lines = mutations.reduce(apply, BASE);
        try {
          const run = await canonicalRun(source(lines), contextFor('/tmp/ioana-hello'), DEFAULT_CONFIG);
          const edges = run.analysis.graph.size;
          expect(edges).toBeLessThan(20 * lines.length + 1000);
        } catch (error) {
          // A refusal with a message is an answer; anything else is a crash.
          if (!(error instanceof IoanaError)) throw error;
        }
      }),
      { seed: 1616, numRuns: 80, endOnFailure: true },
    );
  }, 120_000);
});
