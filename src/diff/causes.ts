/**
 * One cause, one finding: findings that follow from another are folded under it as its
 * effects. A reviewer reads the new header, not the 180 objects whose inputs changed
 * because of it; the JSON keeps every effect under its cause.
 *
 * What follows from what:
 * - a build product of a new or vanished target (an object file, a dependency file)
 *   whose inputs are a strict part of the target's: under the target;
 * - a new output made from new files of the project or new packages: under the worst
 *   of them; else a container's new file made by a new program of it (its executable
 *   among the file's inputs): under the program;
 * - a new program that connects to a new network endpoint and is the only one that
 *   does: under the endpoint (`curl` to a new address is one finding, the address);
 * - what a new program reads and connects to at start-up, outside the working tree,
 *   when only new programs do: its libraries and locale files, an identity file its user
 *   lookup reads (`/etc/passwd`), a system service's socket (`unix:/var/run/nscd/socket`):
 *   under the program (or under the new executable of a wrapper that is shown as the
 *   program it runs);
 * - a changed-provenance whose added inputs are all new and removed ones all vanished:
 *   under the worst of those findings (the project's header, not a system header
 *   beside it); one with an input that was already read elsewhere stands alone;
 * - an input that reaches only vanished outputs (the sources and tools of a removed
 *   target), or, outside the working tree, only new outputs: under the worst of them;
 * - the commands of a vanished target (they name its products), and new commands that
 *   name only new products: under that product's finding; a container step's new command
 *   that names a new program of the container (`/bin/sh -c /src/net`): under the program.
 *
 * Folding never hides a worse finding: an effect ranks no higher than its cause
 * (failing before not failing, then error, warning, notice).
 */
import type { FindingKind, Severity } from '../vocabulary/index.js';
import { append } from '../vocabulary/collections.js';
import { isIdentityPath } from '../vocabulary/credentials.js';
import { inContainer } from '../vocabulary/containers.js';

/** What causes and effects need to know of a finding before it is one. */
export interface Node {
  kind: FindingKind;
  subject: string;
  severity: Severity;
  failing: boolean;
  /** A group's subjects. */
  members?: string[];
  /** Outputs: the inputs they are made from (now for new ones, in the baseline for vanished ones). */
  from?: readonly string[];
  /** Inputs: the executables that read them; endpoints: that connected to them (`…` last when there were more). */
  readers?: readonly string[];
  /** changed-provenance: inputs now reaching the output / no longer; changed-arguments: commands. */
  added?: string[];
  removed?: string[];
  /** Programs: the executable. */
  exe?: string;
  /** Inputs: the outputs they reach (now for new ones, in the baseline for vanished ones). */
  outputs?: readonly string[];
  effects?: Node[];
}

/** Failing errors, failing warnings, then what does not fail (errors, warnings, notices). */
export function rankOf(f: { severity: Severity; failing: boolean }): number {
  const severity = f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2;
  return f.failing ? severity : 3 + severity;
}

/** Build products that are steps on the way to a target, not targets: objects, dependency files, precompiled headers, crate metadata. */
const INTERMEDIATE = /(\.(o|obj|lo|d|gch|pch|rmeta|i|ii|s)$)|\/[^/]+\.dir\/|\/\.(libs|deps)\//;

/** Addresses of the network (not a UNIX socket of this machine). */
const NETWORK = /^(?:tcp|udp|tcp6|udp6|accept:tcp|accept:udp):\/\//;

/** Inputs that can explain a new output: the project's files and packages. */
const OWN_OR_PACKAGE = /^\{(workspace|cargo|npm|pip|gomod)\}\//;

/** A command's words that can name a file: quotes and punctuation around them off, `./` off, at least 3 characters. */
function wordsOf(command: string): string[] {
  const out: string[] = [];
  for (const raw of command.split(/\s+/)) {
    const w = raw.replace(/^["'(]+|["'),;:]+$/g, '').replace(/^\.\//, '');
    if (w.length >= 3) out.push(w);
  }
  return out;
}

const lastSegment = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Which of some findings' products a command names, found by name rather than by trying
 * every product with every word (a build can have 100 000 products): `CMakeFiles/app.dir/a.c.o`
 * as an argument names `{workspace}/build/CMakeFiles/app.dir/a.c.o`; a word with a dot, or
 * an absolute path (`/src/x` in a container's command), names a product it is the end of; and, as CMake names a target's directory after it,
 * `Built target json-c-static` is about `CMakeFiles/json-c-static.dir/`.
 */
class ProductNames {
  /** The last segment of a product → the findings (by position) with products that end in it. */
  private readonly byName = new Map<string, { at: number; path: string }[]>();
  /** `app` for a product under `…/app.dir/…` → the positions of the findings. */
  private readonly byTarget = new Map<string, number[]>();

  constructor(private readonly among: readonly Node[]) {
    among.forEach((o, at) => {
      for (const path of o.members ?? [o.subject]) {
        append(this.byName, lastSegment(path), { at, path });
        const segments = path.split('/');
        // `/${w}.dir/`: a slash before it, and more of the path after it.
        for (let i = 1; i < segments.length - 1; i++) if (segments[i].endsWith('.dir')) append(this.byTarget, segments[i].slice(0, -4), at);
      }
    });
  }

  /** The first of the findings (in their order) with a product the command names. */
  namedBy(command: string): Node | undefined {
    let first = Infinity;
    for (const w of wordsOf(command)) {
      if (w.includes('.') || w.startsWith('/')) {
        for (const { at, path } of this.byName.get(lastSegment(w)) ?? []) {
          if (at < first && (path === w || path.endsWith(w.startsWith('/') ? w : `/${w}`))) first = at;
        }
      }
      if (/^[\w.+-]+$/.test(w)) for (const at of this.byTarget.get(w) ?? []) first = Math.min(first, at);
    }
    return first === Infinity ? undefined : this.among[first];
  }
}

/** Of several causes, the one a reviewer must read first (the header of the project, not the system header beside it). */
function worst(causes: readonly Node[]): Node {
  return causes.reduce((a, b) => (rankOf(b) < rankOf(a) ? b : a));
}

export function foldEffects(nodes: readonly Node[]): Node[] {
  const parent = new Map<Node, Node>();
  const top = (n: Node): Node => {
    let t = n;
    while (parent.has(t)) t = parent.get(t)!;
    return t;
  };
  const under = (effect: Node, cause: Node | undefined): boolean => {
    if (!cause) return false;
    const root = top(cause);
    if (root === effect || parent.has(effect) || rankOf(effect) < rankOf(root)) return false;
    parent.set(effect, root);
    return true;
  };

  // Who could explain what: new inputs and programs by subject and executable, vanished ones likewise.
  const newBySubject = new Map<string, Node>();
  const goneBySubject = new Map<string, Node>();
  for (const n of nodes) {
    const into =
      n.kind === 'new-input' || n.kind === 'credential-read' ? newBySubject : n.kind === 'vanished-input' ? goneBySubject : undefined;
    if (into) for (const s of n.members ?? [n.subject]) if (!into.has(s)) into.set(s, n);
    if (n.kind === 'new-program' && n.exe && !newBySubject.has(n.exe)) newBySubject.set(n.exe, n);
    if (n.kind === 'vanished-program' && n.exe && !goneBySubject.has(n.exe)) goneBySubject.set(n.exe, n);
  }

  // The products of a target, under the target. A target's inputs include all of its
  // product's: the candidates are the outputs that share the product's rarest input,
  // found through an index, never by trying every output with every other one.
  for (const kind of ['new-output', 'vanished-output'] as const) {
    const outputs = nodes.filter((n) => n.kind === kind && !n.members && n.from && n.from.length > 0);
    const products = outputs.filter((n) => INTERMEDIATE.test(n.subject));
    if (products.length === 0) continue;
    const targets = outputs.filter((n) => !INTERMEDIATE.test(n.subject));
    const readers = new Map<string, number>();
    for (const t of targets) for (const f of t.from!) readers.set(f, (readers.get(f) ?? 0) + 1);
    const rarest = new Map<Node, string>();
    for (const v of products) {
      let best: string | undefined;
      for (const f of v.from!) if (best === undefined || (readers.get(f) ?? 0) < (readers.get(best) ?? 0)) best = f;
      rarest.set(v, best!);
    }
    const witnesses = new Set(rarest.values());
    const biggestFirst = [...targets].sort((a, b) => b.from!.length - a.from!.length || (a.subject < b.subject ? -1 : 1));
    const containing = new Map<string, Node[]>();
    for (const t of biggestFirst) for (const f of t.from!) if (witnesses.has(f)) append(containing, f, t);
    const fromSets = new Map<Node, ReadonlySet<string>>();
    const fromSet = (t: Node) => fromSets.get(t) ?? fromSets.set(t, new Set(t.from)).get(t)!;
    for (const v of products) {
      let target: Node | undefined;
      for (const t of containing.get(rarest.get(v)!) ?? []) {
        // Biggest first: no later one has more inputs than the product.
        if (t.from!.length <= v.from!.length) break;
        if (v.from!.every((f) => fromSet(t).has(f))) {
          target = t;
          break;
        }
      }
      under(v, target);
    }
  }

  // A new output made from new inputs: under the first of them.
  for (const n of nodes) {
    if (n.kind !== 'new-output' || parent.has(n) || !n.from) continue;
    // A new file of the project or a new package explains it; a locale file that a new program read on the way does not.
    const explained = n.from.filter((f) => newBySubject.has(f) && OWN_OR_PACKAGE.test(f));
    if (explained.length > 0) under(n, worst(explained.map((f) => newBySubject.get(f)!)));
  }

  // A new program whose one new reach is the network: under the endpoint it alone connected to.
  const newPrograms = new Map<string, Node>();
  for (const n of nodes) if (n.kind === 'new-program' && n.exe && !newPrograms.has(n.exe)) newPrograms.set(n.exe, n);

  // A container's new file made by a new program of that container (its executable among the file's inputs): under
  // the program — the RUN step that now runs `cat /etc/hostname > /src/x` is one finding, its file among what follows.
  // Only in a container: elsewhere an executable reaches an output through pipes too (`for i in $(seq …)`), and
  // the build's own files are each worth a line.
  for (const n of nodes) {
    if (n.kind !== 'new-output' || parent.has(n) || !n.from || inContainer(n.subject) === undefined) continue;
    const makers = n.from.flatMap((f) => newPrograms.get(f) ?? []);
    if (makers.length > 0) under(n, worst(makers));
  }
  for (const n of nodes) {
    if (n.kind !== 'new-endpoint' || !NETWORK.test(n.subject) || n.readers?.length !== 1) continue;
    const program = newPrograms.get(n.readers[0]);
    if (program) under(program, n);
  }

  // A new tool's own files: under the tool — its new-program finding, or, for a wrapper
  // shown as the program it runs (a compiler launcher), the new input that is its executable.
  // Its start-up too: an identity file its user lookup read, a system service's socket.
  const tools = new Map<string, Node>();
  for (const n of nodes) if (n.kind === 'new-input' && !n.members) tools.set(n.subject, n);
  for (const n of nodes) if (n.kind === 'new-program' && n.exe) tools.set(n.exe, n);
  for (const n of nodes) {
    const startUp =
      n.kind === 'new-input' ||
      (n.kind === 'credential-read' && isIdentityPath(n.subject)) ||
      (n.kind === 'new-endpoint' && n.subject.startsWith('unix:') && !n.subject.startsWith('unix:{workspace}'));
    if (!startUp || n.subject.startsWith('{workspace}/') || !n.readers || n.readers.length === 0) continue;
    if (n.readers.every((e) => e !== n.subject && tools.has(e))) under(n, worst(n.readers.map((e) => tools.get(e)!)));
  }

  // An input that reached only outputs that are new, or that vanished: they explain it (the archiver of a removed
  // static library, the sources of a removed target). Never a new file of the project.
  const outputsBy = (kind: FindingKind) => {
    const m = new Map<string, Node>();
    for (const n of nodes) if (n.kind === kind) for (const s of n.members ?? [n.subject]) m.set(s, n);
    return m;
  };
  const newOutputs = outputsBy('new-output');
  const goneOutputs = outputsBy('vanished-output');
  for (const n of nodes) {
    const by =
      n.kind === 'vanished-input' ? goneOutputs : n.kind === 'new-input' && !n.subject.startsWith('{workspace}/') ? newOutputs : undefined;
    if (!by || parent.has(n) || !n.outputs || n.outputs.length === 0) continue;
    if (n.outputs.every((o) => by.has(o))) under(n, worst(n.outputs.map((o) => by.get(o)!)));
  }

  // An output whose inputs changed because of other findings.
  for (const n of nodes) {
    if (n.kind !== 'changed-provenance') continue;
    const causes = [...(n.added ?? []).map((a) => newBySubject.get(a)), ...(n.removed ?? []).map((r) => goneBySubject.get(r))];
    if (causes.length > 0 && causes.every((c) => c !== undefined)) under(n, worst(causes as Node[]));
  }

  // Commands that name products of a new or vanished target.
  let gone: ProductNames | undefined;
  let made: ProductNames | undefined;
  const goneNames = () => (gone ??= new ProductNames(nodes.filter((n) => n.kind === 'vanished-output')));
  const madeNames = () => (made ??= new ProductNames(nodes.filter((n) => n.kind === 'new-output')));
  // New programs of a container by their executables: a step's command that runs one (`/bin/sh -c /src/net`,
  // `/bin/sh -c cat /etc/os-release`) names it by its path or its name.
  let byName: Map<string, Node> | undefined;
  const ranBy = (command: string): Node | undefined => {
    if (!byName) {
      byName = new Map();
      for (const p of newPrograms.values()) {
        const exe = inContainer(p.exe!);
        if (exe === undefined) continue;
        for (const name of [exe, lastSegment(exe)]) if (!byName.has(name)) byName.set(name, p);
      }
    }
    for (const w of wordsOf(command)) {
      const hit = byName.get(w) ?? byName.get(lastSegment(w));
      if (hit && (w === lastSegment(w) || inContainer(hit.exe!) === w)) return hit;
    }
    return undefined;
  };
  for (const n of nodes) {
    if (n.kind === 'vanished-program') under(n, goneNames().namedBy(n.subject));
    if (n.kind !== 'changed-arguments') continue;
    const [commands, among] =
      (n.added ?? []).length === 0
        ? [n.removed ?? [], goneNames]
        : (n.removed ?? []).length === 0
          ? [n.added ?? [], madeNames]
          : [[], goneNames];
    const named = commands.map(
      (c) => among().namedBy(c) ?? (among === madeNames && inContainer(n.subject) !== undefined ? ranBy(c) : undefined),
    );
    if (named.length > 0 && named.every((o) => o !== undefined)) under(n, named[0]);
  }

  const out: Node[] = [];
  for (const n of nodes) {
    if (!parent.has(n)) out.push(n);
    else (top(n).effects ??= []).push(n);
  }
  return out;
}
