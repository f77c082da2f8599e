/**
 * Every name in test/fixtures/real/names.json — real raw paths and argument vectors from
 * the colleague's traces of json-c (CMake), hello (autotools), an npm project and a cargo
 * project (ORIGIN.md there) — canonicalized with its run's workspace and pids, against
 * the canonical form written beside it: the rules fold what is random, keep what is not
 * (mktemp's template, gnulib's fixed `conftestd2`), and take a number for a pid only in
 * a name the build made.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Canonicalizer, madeNames, type CanonContext } from '../../src/canon/index.js';
import { DEFAULT_CONFIG } from '../../src/config/index.js';

interface Example {
  readonly run: string;
  readonly path?: string;
  readonly argv?: readonly string[];
  readonly canonical: string | readonly string[];
}
interface Run {
  readonly workspace: string;
  readonly home: string;
  readonly tmp: readonly string[];
  readonly pids?: readonly string[];
}
interface Names {
  readonly runs: Readonly<Record<string, Run>>;
  readonly rules: readonly {
    readonly rule: number;
    readonly name: string;
    readonly examples?: readonly Example[];
    readonly keep?: readonly Example[];
  }[];
  readonly pidRule: { readonly notPids: readonly Example[]; readonly realPids: readonly Example[] };
}

const names = JSON.parse(readFileSync(resolve('test/fixtures/real/names.json'), 'utf8')) as Names;

/** `['9187-9202', '9214']` → the pids. */
function pids(ranges: readonly string[] = []): Set<number> {
  const out = new Set<number>();
  for (const r of ranges) {
    const [a, b = a] = r.split('-').map(Number);
    for (let p = a; p <= b; p++) out.add(p);
  }
  return out;
}

/** The run's context; `made`: what the build made in that run (the scratch names of the examples). */
function canonicalizer(run: string, made: readonly string[]): Canonicalizer {
  const r = names.runs[run];
  const ctx: CanonContext = { workspace: r.workspace, home: r.home, tmp: r.tmp, pids: pids(r.pids), made: madeNames(made) };
  return new Canonicalizer(ctx, DEFAULT_CONFIG);
}

/** The files an argv names, relative ones in the workspace, with their directories (`conf1.dir/conf1.file` → both). */
function words(argv: readonly string[], ws: string): string[] {
  const out: string[] = [];
  for (const w of argv.slice(1).flatMap((a) => a.split(/[\s=]/))) {
    if (!/^[\w./-]+$/.test(w)) continue;
    const parts = w.replace(/^\.\//, '').split('/');
    for (let i = 1; i <= parts.length; i++)
      out.push(w.startsWith('/') ? parts.slice(0, i).join('/') : `${ws}/${parts.slice(0, i).join('/')}`);
  }
  return out;
}

/** A made path with the directories above it that the build made too: every ancestor below the run's root (`/tmp/cgX/dummy.c` → `/tmp/cgX`, itself). */
function madeFrom(path: string, run: string): string[] {
  const r = names.runs[run];
  const root = [r.workspace, r.home, ...r.tmp].filter((x) => path.startsWith(`${x}/`)).sort((a, b) => b.length - a.length)[0] ?? '';
  const parts = path.slice(root.length).split('/');
  return parts.slice(1).map((_, i) => root + parts.slice(0, i + 2).join('/'));
}

/** What the build made for an example that needs a rule: the path and the directories it made, or the files its argv names. */
function madeIn(e: Example): string[] {
  return e.path ? madeFrom(e.path, e.run) : words(e.argv!, names.runs[e.run].workspace);
}

function canonical(e: Example, made: readonly string[]): string | string[] {
  const c = canonicalizer(e.run, made);
  if (e.path !== undefined) return c.path(e.path)!;
  return c.program({ exe: e.argv![0], argv: e.argv! }).argv.map((a, i) => (i === 0 ? e.argv![0] : a));
}

const examples = names.rules.flatMap((r) =>
  (r.examples ?? []).map((e): [string, Example] => [`rule ${r.rule}: ${e.path ?? e.argv!.join(' ')}`, e]),
);
const kept = names.rules.flatMap((r) =>
  (r.keep ?? []).map((e): [string, Example] => [`rule ${r.rule}: ${e.path ?? e.argv!.join(' ')}`, e]),
);

describe('real names that need a rule', () => {
  // Scratch names are the build's own: made in the run.
  test.each(examples)('%s', (_name, e) => {
    expect(canonical(e, madeIn(e))).toEqual(e.canonical);
  });
});

describe('real names that must stay as they are', () => {
  test.each(kept)('%s', (_name, e) => {
    expect(canonical(e, [])).toEqual(e.canonical);
  });
});

describe('the pid rule on real runs', () => {
  test.each(names.pidRule.notPids.map((e): [string, Example] => [e.path ?? e.argv!.join(' '), e]))(
    'a number equal to a pid of the run, but no pid: %s',
    (_name, e) => {
      // The CMake scratch names were made by the build; the library and `expr`'s line number were not.
      const made = e.path && e.path.includes('/CMakeScratch/') ? [e.path] : [];
      expect(canonical(e, made)).toEqual(e.canonical);
    },
  );

  test.each(names.pidRule.realPids.map((e): [string, Example] => [e.path ?? e.argv!.join(' '), e]))(
    "configure's $$, in names the build made: %s",
    (_name, e) => {
      const made = e.path ? [e.path] : words(e.argv!, names.runs[e.run].workspace);
      expect(canonical(e, made)).toEqual(e.canonical);
    },
  );
});

test('the two runs of a project meet in the same canonical forms, rule by rule', () => {
  let pairs = 0;
  for (const r of names.rules) {
    const byRun = new Map<string, Set<string>>();
    for (const e of r.examples ?? []) byRun.set(e.run, (byRun.get(e.run) ?? new Set()).add(JSON.stringify(canonical(e, madeIn(e)))));
    for (const [run, forms] of byRun) {
      const other = byRun.get(run.replace(/-a$/, '-b'));
      if (!run.endsWith('-a') || !other) continue;
      pairs++;
      expect([...forms].filter((f) => other.has(f))).not.toEqual([]);
    }
  }
  expect(pairs).toBeGreaterThanOrEqual(6);
});
