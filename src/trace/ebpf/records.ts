/**
 * bpftrace's JSON lines → the eBPF back end's records (script.ts says what each is), put
 * back in time order. Pure.
 *
 * bpftrace keeps one buffer per CPU and prints each as it drains it, so two records a
 * microsecond apart on two CPUs can be printed in either order. Every record carries
 * the kernel's monotonic clock; records are held for a window and released in time
 * order. A record older than one already released came too late to be put in its
 * place: it is counted (`late`) and the trace refuses to be compared, like a lost event.
 */

/** One record of the kernel side. Numbers are JavaScript numbers (times in ns fit in 2^53). */
export type BpfRecord =
  | { readonly kind: 'ready'; readonly ts: number }
  | { readonly kind: 'fork'; readonly ts: number; readonly parent: number; readonly child: number; readonly flags: number }
  | { readonly kind: 'exit'; readonly ts: number; readonly tid: number; readonly code: number }
  | { readonly kind: 'string'; readonly ts: number; readonly tid: number; readonly slot: number; readonly text: string }
  | { readonly kind: 'arg'; readonly ts: number; readonly tid: number; readonly index: number; readonly text: string }
  | { readonly kind: 'extra'; readonly ts: number; readonly tid: number; readonly fields: readonly string[] }
  | {
      readonly kind: 'return';
      readonly ts: number;
      readonly tid: number;
      readonly nr: number;
      readonly ret: number;
      readonly args: readonly bigint[];
      readonly dev: number;
      readonly ino: number;
      /** The inodes of the three directories above the opened file, nearest first (empty: not an open). */
      readonly dirs: readonly number[];
    };

/** What a bpftrace output line was: a record, lost events, or something else (kept as a message). */
export type BpfLine =
  | { readonly kind: 'record'; readonly record: BpfRecord }
  | { readonly kind: 'lost'; readonly count: number }
  | { readonly kind: 'message'; readonly text: string };

const int = (s: string | undefined): number => (s === undefined ? NaN : Number(s));

/** The text of one record (the `data` of a `printf` line), without its newline. */
export function parseRecord(data: string): BpfRecord | undefined {
  const text = data.endsWith('\n') ? data.slice(0, -1) : data;
  const sp = (n: number): [string[], string] => {
    // The first n space-separated fields, and the rest of the line as it is (a string).
    const fields: string[] = [];
    let at = 0;
    for (let i = 0; i < n; i++) {
      const next = text.indexOf(' ', at);
      if (next < 0) {
        fields.push(text.slice(at));
        return [fields, ''];
      }
      fields.push(text.slice(at, next));
      at = next + 1;
    }
    return [fields, text.slice(at)];
  };
  switch (text[0]) {
    case 'B':
      return { kind: 'ready', ts: int(sp(2)[0][1]) };
    case 'F': {
      const [f] = sp(5);
      return { kind: 'fork', ts: int(f[1]), parent: int(f[2]), child: int(f[3]), flags: int(f[4]) };
    }
    case 'X': {
      const [f] = sp(4);
      return { kind: 'exit', ts: int(f[1]), tid: int(f[2]), code: int(f[3]) };
    }
    case 'S': {
      const [f, rest] = sp(4);
      return { kind: 'string', ts: int(f[1]), tid: int(f[2]), slot: int(f[3]), text: rest };
    }
    case 'A': {
      const [f, rest] = sp(4);
      return { kind: 'arg', ts: int(f[1]), tid: int(f[2]), index: int(f[3]), text: rest };
    }
    case 'K': {
      const f = text.split(' ');
      return { kind: 'extra', ts: int(f[1]), tid: int(f[2]), fields: f.slice(3) };
    }
    case 'R': {
      const f = text.split(' ');
      if (f.length < 13) return undefined;
      return {
        kind: 'return',
        ts: int(f[1]),
        tid: int(f[2]),
        nr: int(f[3]),
        ret: int(f[4]),
        args: f.slice(5, 11).map((a) => BigInt.asUintN(64, BigInt(a))),
        dev: int(f[11]),
        ino: int(f[12]),
        dirs: f.slice(13, 16).map(int),
      };
    }
    default:
      return undefined;
  }
}

/** One line of `bpftrace -f json` output. */
export function parseBpfLine(line: string): BpfLine {
  let json: { type?: string; data?: unknown };
  try {
    json = JSON.parse(line) as typeof json;
  } catch {
    return { kind: 'message', text: line };
  }
  if (json.type === 'printf' && typeof json.data === 'string') {
    const record = parseRecord(json.data);
    return record ? { kind: 'record', record } : { kind: 'message', text: json.data };
  }
  if (json.type === 'lost_events') {
    const count = Number((json.data as { events?: unknown } | undefined)?.events);
    return { kind: 'lost', count: Number.isFinite(count) ? count : 1 };
  }
  return { kind: 'message', text: typeof json.data === 'string' ? json.data : line };
}

/**
 * Holds records for `windowNs` of kernel time and releases them in time order (ties in
 * arrival order). `late` counts records that arrived after a later one was released.
 */
export class Reorder {
  /** Records held, in time order from `head` (those before it were released). */
  private held: BpfRecord[] = [];
  private head = 0;
  private released = -Infinity;
  private newest = -Infinity;
  late = 0;

  constructor(private readonly windowNs: number) {}

  /** Adds a record; returns those now older than the window, in order. */
  push(r: BpfRecord): BpfRecord[] {
    if (r.ts < this.released) this.late++;
    // Records come nearly in order: insert from the end.
    let i = this.held.length;
    while (i > this.head && this.held[i - 1].ts > r.ts) i--;
    if (i === this.held.length) this.held.push(r);
    else this.held.splice(i, 0, r);
    if (r.ts > this.newest) this.newest = r.ts;
    const cut = this.newest - this.windowNs;
    let n = this.head;
    while (n < this.held.length && this.held[n].ts <= cut) n++;
    return n === this.head ? [] : this.take(n);
  }

  /** Everything still held, in order (the end of the trace). */
  flush(): BpfRecord[] {
    return this.take(this.held.length);
  }

  private take(end: number): BpfRecord[] {
    const out = this.held.slice(this.head, end);
    this.head = end;
    // Drop what was released once it is most of the array (amortized constant per record).
    if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
    if (out.length > 0) this.released = out[out.length - 1].ts;
    return out;
  }
}
