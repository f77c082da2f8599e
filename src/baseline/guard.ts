/**
 * What `update` may write (pure). A baseline is what every later check trusts, so a run
 * that would quietly weaken it is refused unless the user insists (`--force`): an
 * incremental build with nothing to do, a log that is not a build's strace log, or a
 * run so different that it would make most of the baseline optional. And after writing,
 * one line that says what changed.
 */
import type { CanonicalGraph } from '../canon/index.js';
import type { Baseline } from './types.js';
import { programKey } from '../vocabulary/index.js';

/** Over this share of unparsed lines, a log is not trusted as a build's trace. */
export const MAX_UNPARSED_SHARE = 0.01;

/** What the guard needs to know about the trace a run came from. */
export interface RunFacts {
  readonly lines: number;
  readonly unparsed: number;
  /** Successful execs: a build's trace has at least one. */
  readonly execs: number;
}

type Section = 'inputs' | 'outputs' | 'programs' | 'endpoints' | 'modified';
const SECTIONS: readonly Section[] = ['inputs', 'outputs', 'programs', 'endpoints', 'modified'];

/** Every entry of a baseline with how many runs saw it, per section. */
function entries(b: Baseline): Map<Section, Map<string, number>> {
  const out = new Map<Section, Map<string, number>>();
  out.set('inputs', new Map(b.inputs.map((c) => [c.value, c.seen])));
  out.set('outputs', new Map(b.outputs.map((o) => [o.path, o.seen])));
  out.set('programs', new Map(b.programs.map((p) => [programKey(p), p.seen])));
  out.set('endpoints', new Map(b.endpoints.map((c) => [c.value, c.seen])));
  out.set('modified', new Map(b.modified.map((c) => [c.value, c.seen])));
  return out;
}

/**
 * Why a trace is not a build's trace, or undefined when it is: it is empty, more than
 * 1 % of its lines are not strace output, or not one program ran in it. Nothing is
 * recorded from such a trace, and no finding is made of it.
 */
export function untrustedTrace(facts: RunFacts): string | undefined {
  if (facts.lines === 0) return 'the trace is empty: nothing ran in it.';
  if (facts.unparsed > facts.lines * MAX_UNPARSED_SHARE) {
    const share = ((100 * facts.unparsed) / facts.lines).toFixed(facts.unparsed * 1000 < facts.lines * 10 ? 1 : 0);
    return `${facts.unparsed} of ${facts.lines} lines of the trace (${share} %) are not strace output: this does not look like a log ioana or strace wrote.`;
  }
  if (facts.execs === 0) return 'no program ran in this trace (not one successful execve): it is not the trace of a build.';
  return undefined;
}

/**
 * Why this run must not be recorded, or undefined when it may. `before` is the baseline
 * it would be merged into, or the one it replaces; `after` the result.
 */
export function refusal(run: CanonicalGraph, facts: RunFacts, before: Baseline | undefined, after: Baseline): string | undefined {
  const untrusted = untrustedTrace(facts);
  if (untrusted) return untrusted;
  if (run.tampered?.length) return `the build went after ioana itself (${run.tampered.join(', ')}): its trace cannot be trusted.`;
  if (run.reached?.length)
    return `the build reached into processes that are not its own (${run.reached.map((r) => r.path).join(', ')}): its trace cannot be trusted.`;
  if (run.outputs.length === 0 && before && before.outputs.length > 0) {
    return `this run wrote no outputs, but the baseline lists ${before.outputs.length}: an incremental build with nothing to do? Record from a clean tree (for example after \`make clean\`).`;
  }
  // Would most of what every earlier run had go, or become optional?
  if (before && before.runs > 0) {
    const old = entries(before);
    const now = entries(after);
    let required = 0;
    let weakened = 0;
    for (const s of SECTIONS) {
      for (const [key, seen] of old.get(s)!) {
        if (seen < before.runs) continue;
        required++;
        if ((now.get(s)!.get(key) ?? 0) < after.runs) weakened++;
      }
    }
    if (weakened * 2 > required) {
      return `this run lacks ${weakened} of the ${required} entries every earlier run had: recording it would drop more than half of the baseline. Record from a clean tree, or run the same command with --force if the build really changed this much.`;
    }
  }
  return undefined;
}

const SINGULAR: Readonly<Record<string, string>> = {
  inputs: 'input',
  outputs: 'output',
  programs: 'program',
  endpoints: 'endpoint',
  modified: 'modified source',
  entries: 'entry',
};
const PLURAL: Readonly<Record<string, string>> = { modified: 'modified sources' };
/** `(1, 'inputs')` → `1 input`; `(3, 'entries')` → `3 entries`. */
const plural = (n: number, word: string) => `${n} ${n === 1 ? SINGULAR[word] : (PLURAL[word] ?? word)}`;

/**
 * `+1 input, −2 outputs, 4 entries now seen in 3 of 4 runs`: what an update changed.
 * A new baseline: `5 inputs, 2 outputs, 3 programs, 0 endpoints`; with folded sets
 * `5 inputs, 2 outputs (1 a folded set of 100000 files), 3 programs, 0 endpoints`.
 */
export function describeUpdate(before: Baseline | undefined, after: Baseline): string {
  const now = entries(after);
  if (!before || before.runs === 0) {
    const sets = after.outputs.filter((o) => o.files !== undefined);
    const folded =
      sets.length === 0
        ? ''
        : ` (${sets.length} a folded set${sets.length === 1 ? '' : 's'} of ${sets.reduce((n, o) => n + o.files!, 0)} files)`;
    return ['inputs', 'outputs', 'programs', 'endpoints']
      .map((s) => plural(now.get(s as Section)!.size, s) + (s === 'outputs' ? folded : ''))
      .join(', ');
  }
  const old = entries(before);
  const parts: string[] = [];
  let optional = 0;
  for (const s of SECTIONS) {
    const was = old.get(s)!;
    const is = now.get(s)!;
    let added = 0;
    for (const [key, seen] of is) {
      if (!was.has(key)) added++;
      else if (after.runs > before.runs && seen < after.runs && was.get(key)! >= before.runs) optional++;
    }
    let removed = 0;
    for (const key of was.keys()) if (!is.has(key)) removed++;
    if (added) parts.push(`+${plural(added, s)}`);
    if (removed) parts.push(`−${plural(removed, s)}`);
  }
  // A folded set whose count changed: `{workspace}/out/gen/** 100000 → 100005 files`.
  const counts = new Map(before.outputs.filter((o) => o.files !== undefined).map((o) => [o.path, o.files]));
  for (const o of after.outputs) {
    const was = counts.get(o.path);
    if (o.files !== undefined && was !== undefined && was !== o.files) parts.push(`${o.path} ${was} → ${o.files} files`);
  }
  if (optional) parts.push(`${plural(optional, 'entries')} now seen in ${after.runs - 1} of ${after.runs} runs`);
  return parts.length ? parts.join(', ') : 'no entry changed';
}
