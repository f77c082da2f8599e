/**
 * How much went through each flow (issue 26): per program and object — a file, a pipe,
 * an endpoint — how many times the program opened it and, where the trace counted them,
 * the bytes it read from it and wrote to it. The graph knows every flow; these are its
 * sizes, for `ioana graph --flows`, the I/O flame graph and a finding's "4.2 MB sent".
 *
 * Bytes come from the eBPF back end (summed in the kernel per descriptor, handed over at
 * close and exit) or from strace with `--detailed` (every read and write traced, which
 * costs). Without either, a flow has its calls and no bytes: "not counted", never 0.
 */
import { basename } from 'node:path';
import { byCodeUnit } from '../vocabulary/collections.js';
import type { Redactor } from '../vocabulary/redact.js';
import { workspacePath } from './document.js';
import type { DataflowGraph, ObjectNode, ProgramNode } from './types.js';

export interface Flow {
  /** The program's executable (`{workspace}` for the workspace), redacted. */
  readonly program: string;
  /** The file's path, the endpoint's address, or `pipe` / `socketpair`. */
  readonly object: string;
  readonly kind: ObjectNode['kind'];
  /** Times the program opened it, summed over its runs. */
  readonly calls: number;
  /** Bytes read from it and written to it, when counted. */
  readonly read?: number;
  readonly written?: number;
}

export interface FlowOptions {
  /** Raw paths under it are `{workspace}/…` (when there is no `canonical`). */
  readonly workspace?: string;
  /**
   * A raw path's or address's canonical name: the run's own canonicalizer (`{home}`,
   * `{cache:npm}`, the endpoint a finding names; redacted), undefined for what `ignore` drops.
   */
  readonly canonical?: (raw: string) => string | undefined;
  /** Without `canonical`: credentials out of every name. */
  readonly redactor?: Redactor;
}

interface Sum {
  program: string;
  object: string;
  kind: ObjectNode['kind'];
  calls: number;
  read?: number;
  written?: number;
}

/** Every flow of the graph with its calls and bytes, one per (program, object name), sorted by program then object. */
export function flows(g: DataflowGraph, opts: FlowOptions = {}): Flow[] {
  const named =
    opts.canonical ??
    ((raw: string): string => {
      const shown = workspacePath(raw, opts.workspace);
      return opts.redactor ? opts.redactor.text(shown) : shown;
    });
  const sums = new Map<string, Sum>();
  g.forEachEdge((_e, attr, source, target) => {
    if (attr.kind !== 'read' && attr.kind !== 'write') return;
    const [objKey, imgKey] = attr.kind === 'read' ? [source, target] : [target, source];
    const o = g.getNodeAttributes(objKey) as ObjectNode;
    const p = g.getNodeAttributes(imgKey) as ProgramNode;
    // A pipe by its kind alone: its inode is run-to-run noise.
    const object = o.kind === 'pipe' || o.kind === 'socketpair' ? o.kind : named(o.path);
    if (object === undefined) return;
    const program = named(p.exe) ?? p.exe;
    const key = `${program}\0${object}`;
    let s = sums.get(key);
    if (!s) sums.set(key, (s = { program, object, kind: o.kind, calls: 0 }));
    // An open counts on one edge only (the read edge of a file opened for both).
    s.calls += attr.calls ?? 0;
    if (attr.bytes !== undefined) {
      if (attr.kind === 'read') s.read = (s.read ?? 0) + attr.bytes;
      else s.written = (s.written ?? 0) + attr.bytes;
    }
  });
  return [...sums.values()].sort((a, b) => byCodeUnit(a.program, b.program) || byCodeUnit(a.object, b.object));
}

/** Whether any flow has its bytes counted. */
export const bytesCounted = (list: readonly Flow[]): boolean => list.some((f) => f.read !== undefined || f.written !== undefined);

/** The flame graph's samples (src/report/flame.ts's `IoSample`): a flow's program by its name, its object, and its calls or its bytes (read and written together). */
export function ioSamples(list: readonly Flow[], weight: 'calls' | 'bytes'): { program: string; path: string; weight: number }[] {
  return list
    .map((f) => ({
      program: basename(f.program) || f.program,
      path: f.object,
      weight: weight === 'calls' ? f.calls : (f.read ?? 0) + (f.written ?? 0),
    }))
    .filter((s) => s.weight > 0);
}

/** What the build sent to each endpoint and got back from it, where bytes were counted (a finding's "4.2 MB sent"). */
export function endpointTraffic(list: readonly Flow[]): Map<string, { sent: number; received: number }> {
  const out = new Map<string, { sent: number; received: number }>();
  for (const f of list) {
    if (f.kind !== 'endpoint' || (f.read === undefined && f.written === undefined)) continue;
    const t = out.get(f.object) ?? { sent: 0, received: 0 };
    t.sent += f.written ?? 0;
    t.received += f.read ?? 0;
    out.set(f.object, t);
  }
  return out;
}

/** `4200000` → `4.2 MB`; `512` → `512 B` (decimal units, one decimal under 10). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
