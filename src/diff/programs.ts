/**
 * Programs compared by what they are, not by every argument (docs/architecture.md §1.7): a program is
 * its executable, and the shapes of its command lines — the arguments with the files they
 * name, lists of files, counters and parallelism folded — so that `rm -f app src/*.o` in
 * a fresh tree and `rm -f app src/main.o src/util.o` after a build are the same program,
 * and so are the compile commands of two targets. A new executable is `new-program`, one
 * no longer run `vanished-program`; the same executable with other shapes is one
 * `changed-arguments` finding, naming the commands that differ.
 */
import { programText } from '../vocabulary/index.js';

/** A file in a shape, and a run of them. */
const FILE = '{file}';
const FILES = '{files}';

/** Options whose value is a file, whatever it looks like: `-o app`, `-MF .deps/a.Tpo`. */
const FILE_OPTIONS: ReadonlySet<string> = new Set(['-o', '-MF', '-MT', '-MQ', '--output', '-T', '--out-dir', '-f', '--file']);

/** `src/a.c`, `{workspace}/build/x.o`, `*.o`, `a.c`, `lib.rs` — not `-O2`, `1.5`, `https://x/y`, `all`. */
function pathLike(word: string): boolean {
  if (word === '' || word.startsWith('-') || word.includes('://')) return false;
  if (word.includes('/') || word.includes('*') || word.includes('?')) return true;
  return /^[^\s=]*[A-Za-z_][^\s=]*\.[A-Za-z][A-Za-z0-9_+-]{0,9}$/.test(word);
}

/** The names of the files of a graph: a bare word equal to one (`-o minigzip`, `rm -f app`) names that file. */
export function fileNames(...graphs: { inputs: readonly string[]; outputs: readonly string[] }[]): Set<string> {
  const names = new Set<string>();
  for (const g of graphs) {
    for (const p of [...g.inputs, ...g.outputs]) {
      const base = p.slice(p.lastIndexOf('/') + 1);
      if (base !== '') names.add(base);
    }
  }
  return names;
}

const isFile = (word: string, names: ReadonlySet<string>): boolean => pathLike(word) || names.has(word);

/** A script or message (an argument with blanks): each word that names a file folded, runs of them one. */
function scriptShape(text: string, names: ReadonlySet<string>): string {
  return text
    .split(/(\s+)/)
    .map((w) => {
      const bare = w.replace(/^['"]+|['";]+$/g, '');
      return bare !== '' && isFile(bare, names) ? w.replace(bare, FILES) : w;
    })
    .join('')
    .replace(/\{files\}(?:\s+\{files\})+/g, FILES);
}

/**
 * A command line's shape: `['cc', '-c', 'src/a.c', '-o', 'a.o']` → `cc -c {files} -o {files}`.
 * `names`: the file names of the graphs compared (`fileNames`).
 */
export function shape(argv: readonly string[], names: ReadonlySet<string>): string {
  const out: string[] = [argv[0]?.slice(argv[0].lastIndexOf('/') + 1) ?? ''];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    let s: string;
    if (/\s/.test(a)) s = scriptShape(a, names);
    else if (FILE_OPTIONS.has(argv[i - 1]) || isFile(a, names)) s = FILES;
    else {
      const eq = a.indexOf('=');
      s = a.startsWith('-') && eq > 0 && isFile(a.slice(eq + 1), names) ? `${a.slice(0, eq + 1)}${FILE}` : a;
    }
    if (!(s === FILES && out[out.length - 1] === FILES)) out.push(s);
  }
  return out.join(' ');
}

export interface ProgramEntry {
  readonly exe: string;
  readonly argv: readonly string[];
  /** Baseline entries: in how many of its runs; this run's: absent. */
  readonly seen?: number;
}

export interface ProgramChange {
  readonly kind: 'new-program' | 'vanished-program' | 'changed-arguments';
  readonly exe: string;
  /** new/vanished: the first command of the executable; changed-arguments: the executable. */
  readonly subject: string;
  /** The baseline entry a vanished program is reported on. */
  readonly entry?: ProgramEntry;
  /** How many distinct commands of the executable are new or gone. */
  readonly commands: number;
  /** changed-arguments: a command of each new shape, and of each shape no longer seen. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
}

/** Executable → its shapes, each with the first command (in the given order) that has it. */
function byExe(programs: readonly ProgramEntry[], names: ReadonlySet<string>): Map<string, Map<string, ProgramEntry>> {
  const out = new Map<string, Map<string, ProgramEntry>>();
  for (const p of programs) {
    let shapes = out.get(p.exe);
    if (!shapes) out.set(p.exe, (shapes = new Map()));
    const s = shape(p.argv, names);
    if (!shapes.has(s)) shapes.set(s, p);
  }
  return out;
}

/**
 * The programs of a run against the baseline's. `runs`: the baseline's run count (an
 * entry seen in fewer runs is optional: its absence is no change).
 */
export function comparePrograms(
  base: readonly ProgramEntry[],
  now: readonly ProgramEntry[],
  runs: number,
  names: ReadonlySet<string>,
): ProgramChange[] {
  const always = base.filter((p) => (p.seen ?? runs) >= runs);
  const before = byExe(base, names);
  const required = byExe(always, names);
  const after = byExe(now, names);
  const changes: ProgramChange[] = [];
  for (const [exe, shapes] of after) {
    const old = before.get(exe);
    const first = [...shapes.values()][0];
    if (!old) {
      changes.push({ kind: 'new-program', exe, subject: programText(first), commands: shapes.size });
      continue;
    }
    const added = [...shapes].filter(([s]) => !old.has(s)).map(([, p]) => programText(p));
    const removed = [...(required.get(exe) ?? [])].filter(([s]) => !shapes.has(s)).map(([, p]) => programText(p));
    if (added.length + removed.length > 0)
      changes.push({ kind: 'changed-arguments', exe, subject: exe, commands: added.length + removed.length, added, removed });
  }
  for (const [exe, shapes] of required) {
    if (after.has(exe)) continue;
    const first = [...shapes.values()][0];
    changes.push({ kind: 'vanished-program', exe, subject: programText(first), entry: first, commands: shapes.size });
  }
  return changes;
}
