/**
 * The eBPF collector's loader, run as a child process (the capture edge): it loads the
 * kernel side, says READY, follows the process it is told to (`follow PID`, answered by
 * FOLLOWING), passes every record on through its standard output, and ends with END
 * (its counters) when the last followed process has ended, or when told to `stop`.
 * Through `sudo -n` when ioana is not root: it is stopped through its standard input,
 * which sudo passes on, not by a signal.
 */
import { spawn } from 'node:child_process';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { asRoot, collectorError, EBPF_HINT, type EbpfInfo } from './preflight.js';
import { RecordReader, REC, u64, WIRE_VERSION, type WireRecord } from './wire.js';

/** What the loader counted (its END record). */
export interface EndCounts {
  /** Records the ring buffer had no room for. */
  readonly lost: number;
  /** Program runs the kernel skipped. */
  readonly missed: number;
  /** Processes the table of followed processes had no room for. */
  readonly unfollowed: number;
  /** Descriptors whose bytes the table of counts had no room for. */
  readonly uncounted: number;
  /** Followed processes still running when it stopped. */
  readonly alive: number;
  readonly records: number;
}

export interface Collector {
  /** Resolves once every program is attached. */
  readonly ready: Promise<void>;
  /** Follows `pid` and what it starts; resolves once the kernel does. */
  follow(pid: number): Promise<void>;
  /** Ends the trace: what is left is passed on, then END. */
  stop(): void;
  /** Stops the loader at once (SIGTERM, which sudo passes on). */
  kill(): void;
  /** The END counters once the stream has ended; rejects when the loader ends without END. */
  readonly ended: Promise<EndCounts>;
}

function endCounts(r: WireRecord): EndCounts {
  const at = (k: number) => u64(r.buf, r.at + 16 + k * 8);
  return { lost: at(0), missed: at(1), unfollowed: at(2), uncounted: at(3), alive: at(4), records: at(5) };
}

/** A promise and its settlers. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Settled and never awaited (a run that ended early) is not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Starts the loader with `args` (`--pages N`, `NR=KIND`…); `onRecord` gets each of the
 * build's records, in order. An error `onRecord` throws ends the trace with that error.
 */
export function startCollector(info: EbpfInfo, args: readonly string[], onRecord: (r: WireRecord) => void): Collector {
  const c = asRoot(info.sudo, info.loader, args);
  const child = spawn(c.file, c.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const ready = deferred<void>();
  const following = deferred<void>();
  const ended = deferred<EndCounts>();
  let end: EndCounts | undefined;
  let failure: unknown;
  let stderr = '';
  const died = (why: string) =>
    new TraceSetupError(`the eBPF collector stopped before the trace ended: ${collectorError(stderr) || why}.`, { hint: EBPF_HINT });
  const reader = new RecordReader((r) => {
    if (r.type === REC.ready) {
      const version = r.buf.readUInt32LE(r.at + 16);
      if (version !== WIRE_VERSION) throw died(`it writes records of version ${version}, this ioana reads ${WIRE_VERSION}`);
      ready.resolve();
    } else if (r.type === REC.following) following.resolve();
    else if (r.type === REC.end) end = endCounts(r);
    else onRecord(r);
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (failure !== undefined) return;
    try {
      reader.push(chunk);
    } catch (error) {
      failure = error;
      child.kill('SIGTERM');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-16 * 1024)));
  // Writing to a loader that has ended is not ioana's error: its end says what happened.
  child.stdin.on('error', () => undefined);
  child.on('error', (error) => ended.reject(died(error.message)));
  child.on('close', (code, signal) => {
    const e = failure ?? (end ? undefined : died(signal ? `killed by ${signal}` : `exit status ${code}`));
    for (const d of [ready, following]) d.reject(e ?? died('it ended'));
    if (e) ended.reject(e);
    else ended.resolve(end!);
  });
  return {
    ready: ready.promise,
    follow: (pid) => {
      child.stdin.write(`follow ${pid}\n`);
      return following.promise;
    },
    stop: () => {
      if (child.exitCode === null && !child.stdin.destroyed) child.stdin.end('stop\n');
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
    ended: ended.promise,
  };
}
