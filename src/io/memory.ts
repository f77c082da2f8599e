/**
 * Keeping a long analysis's memory near what it really holds. V8 lets the heap grow
 * past the live data before it collects; between the analysis's phases (the model's
 * state is dropped once the graph is built, the provenance memo once the document is
 * made) a full collection lets the next phase reuse that space (on a 600 000-line log:
 * 408 MB → 325 MB resident at the peak).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InputError } from '../vocabulary/errors.js';

let collect: (() => void) | undefined | null;

/** `global.gc`, obtained without a command-line flag; null where the runtime refuses. */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Below this heap size a collection costs more time than the memory is worth. */
export const COLLECT_ABOVE_BYTES = 192 * 1024 * 1024;

/** A full collection between two phases of the analysis, on a large heap, when the runtime allows it. */
export function collectGarbage(next?: { nodes: number; edges: number }): void {
  if (process.memoryUsage().heapTotal >= COLLECT_ABOVE_BYTES) collector()?.();
  checkMemory(next ? next.nodes * BYTES_PER_NODE + next.edges * BYTES_PER_EDGE : 0);
}

/**
 * What one node and one edge of the dataflow graph take on the heap in the phases that
 * follow, with room to spare (measured on the bench's scaled logs: 8 700 nodes and
 * 79 000 edges needed between 56 and 70 MiB more than the model's 25, 17 000 and 159 000
 * about 100 MiB more than its 43): a graph is refused before it is built when it would
 * not fit. Refusing a graph that would just have fitted is the price of never dying of
 * it; with node's usual heap limits it takes millions of edges.
 */
export const BYTES_PER_NODE = 1500;
export const BYTES_PER_EDGE = 800;

/**
 * Over this share of V8's heap limit, the analysis stops with an error that says what to
 * do, before V8 would abort the process with "JavaScript heap out of memory" and a
 * native stack.
 */
export const HEAP_SHARE_LIMIT = 0.85;

/**
 * Throws a clear error when the heap nears its limit, or would with `needed` more bytes
 * (after one full collection, where allowed).
 */
export function checkMemory(needed = 0): void {
  const fits = () => {
    const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
    return used + needed <= limit * HEAP_SHARE_LIMIT;
  };
  if (fits()) return;
  collector()?.();
  if (fits()) return;
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  const mib = (n: number) => Math.round(n / 1024 / 1024);
  const need = needed > 0 ? `, and its graph needs about ${mib(needed)} more` : '';
  throw new InputError(
    `the analysis of this trace needs more memory than node allows it (${mib(used)} of ${mib(limit)} MiB in use${need}).`,
    {
      hint: `Give node more (NODE_OPTIONS=--max-old-space-size=${2 * mib(limit)}), or trace a smaller part of the build.`,
    },
  );
}
