/**
 * A build traced with eBPF (the capture edge). The command starts stopped (start.ts)
 * while the collector loads (collector.ts); once both are ready, the collector follows
 * the command's process and the command goes on: nothing it does happens before tracing
 * starts. Records are decoded into operations as they come (steps.ts), and written as
 * strace's log when a copy is asked for. The collector ends when the last process of the
 * build has ended, or, when the command has ended and processes it started are still
 * running after the daemon grace, when it is told to stop.
 *
 * What could not be seen is counted (`defects()`): the caller refuses such a trace.
 */
import { getPriority, setPriority } from 'node:os';
import { logCopy } from '../../io/log-copy.js';
import type { BuildOutcome } from '../../pipeline/index.js';
import { buildStdio, DAEMON_GRACE_MS, type BuildToTrace, type Defects, type Tracing } from '../contract.js';
import { launchBehind } from '../separation.js';
import { loaderCalls } from './calls.js';
import { startCollector, type Collector, type EndCounts } from './collector.js';
import { StepFeed } from './feed.js';
import type { EbpfInfo } from './preflight.js';
import { keepRecords, type KeptRecords } from './replay.js';
import { startStopped, type Stopped } from './start.js';
import { StepDecoder } from './steps.js';
import type { WireRecord } from './wire.js';

/** The ring buffer, in 4 KiB pages (`$IOANA_EBPF_BUFFER_PAGES`): 16 MiB, about 80 000 records, which the loader drains every 10 ms. */
export const BUFFER_PAGES = 4096;

/** The loader's arguments for a build with these options. */
export function collectorArgs(opts: Pick<BuildToTrace, 'probes' | 'copyTo'>, pages = process.env.IOANA_EBPF_BUFFER_PAGES): string[] {
  const n = Number(pages);
  return [
    '--pages',
    String(Number.isInteger(n) && n > 0 ? n : BUFFER_PAGES),
    // Containers the build's docker or podman client starts are followed (issue 27).
    '--containers',
    ...loaderCalls({ probes: opts.probes, failedStrings: opts.copyTo !== undefined }),
  ];
}

const FORWARDED = ['SIGINT', 'SIGTERM'] as const;

/** How much lower ioana's priority is while the build runs (nice levels). */
const YIELD = 10;

/** One traced build: the stopped command, the collector, and the decoder between them. */
class EbpfRun {
  readonly feed = new StepFeed();
  readonly copy;
  private readonly root: Stopped;
  private readonly collector: Collector;
  private decoder: StepDecoder | undefined;
  private kept: KeptRecords | undefined;
  private end: EndCounts | undefined;
  private interrupted: NodeJS.Signals | undefined;
  private grace: NodeJS.Timeout | undefined;
  private priority: number | undefined;
  private readonly handlers = FORWARDED.map((s) => [s, () => this.forward(s)] as const);
  /** The build runs behind ioana's wall (a launcher between ioana and the command). */
  readonly launched: boolean;

  constructor(private readonly opts: BuildToTrace & { readonly ebpf: EbpfInfo }) {
    this.copy = logCopy(opts.copyTo);
    // The collector first: loading its programs is the longest part of the start.
    this.collector = startCollector(opts.ebpf, collectorArgs(opts), (r) => this.record(r));
    try {
      const env = { ...(opts.env ?? process.env), UV_USE_IO_URING: '0' };
      const launcher = launchBehind(opts.separation, env);
      this.launched = launcher.length > 0;
      this.root = startStopped(opts.command, opts.cwd, env, launcher, buildStdio(opts.stdout));
    } catch (error) {
      this.collector.kill();
      throw error;
    }
    for (const [s, h] of this.handlers) process.on(s, h);
  }

  private record(r: WireRecord): void {
    this.kept?.write(r);
    this.decoder?.record(r);
    const n = this.decoder?.counts.records ?? 0;
    if (n % 8192 === 0) this.feed.tick({ bytes: 0, lines: n });
  }

  private forward(signal: NodeJS.Signals): void {
    this.interrupted = signal;
    this.killBuild(signal);
  }

  private killBuild(signal: NodeJS.Signals): void {
    try {
      // The group of what ioana started: bash, or the launcher and the build behind it.
      if (this.root.child.pid !== undefined) process.kill(-this.root.child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  /** Waits for both, then follows the command and lets it run. */
  async start(): Promise<void> {
    const [state] = await Promise.all([this.root.state, this.collector.ready]);
    this.kept = keepRecords(process.env.IOANA_EBPF_RECORDS, state);
    this.decoder = new StepDecoder(
      state,
      this.feed.push,
      this.opts.copyTo === undefined ? undefined : (line) => this.copy.write(line + '\n'),
    );
    await this.collector.follow(state.pid);
    this.root.resume();
    this.yieldToBuild();
  }

  /**
   * ioana's analysis gives way to the build while it runs: the collector holds the records
   * ioana has not read yet, so ioana can run behind the build without slowing it, which
   * strace's back end cannot (strace waits for its log to be read). The build and the
   * collector were started before, and keep their priority; ioana takes its own back once
   * the build has ended, when it may (root may; a user only lowers it).
   */
  private yieldToBuild(): void {
    if (process.env.IOANA_EBPF_NICE === '0') return;
    try {
      this.priority = getPriority(0);
      setPriority(0, Math.min(19, this.priority + YIELD));
    } catch {
      // Not allowed here: ioana competes with the build as any process does.
    }
  }

  /** Back to the priority ioana had. */
  restorePriority(): void {
    if (this.priority === undefined) return;
    try {
      setPriority(0, this.priority);
    } catch {
      // Only root may raise it again: the analysis goes on at the lower priority.
    }
    this.priority = undefined;
  }

  /** The command's end: the collector ends by itself when nothing it follows is left, or after the grace. */
  outcome(): Promise<BuildOutcome> {
    return new Promise((resolve) => {
      this.root.child.on('exit', (exitCode, signal) => {
        for (const [s, h] of this.handlers) process.off(s, h);
        this.restorePriority();
        this.grace = setTimeout(() => this.collector.stop(), this.opts.graceMs ?? DAEMON_GRACE_MS);
        this.grace.unref();
        const own = { exitCode, signal, interrupted: this.interrupted };
        if (!this.launched) return resolve(own);
        // Behind the wall, what ioana started is the launcher, whose status is the init's
        // echo of the command's (a signal as 128+N): the command's own end is in the records.
        // Its namespace ended with it, so the collector ends by itself once it has said all.
        this.collector.ended.then(
          () => resolve(this.decoder?.rootEnd ? { ...this.decoder.rootEnd, interrupted: this.interrupted } : own),
          () => resolve(own),
        );
      });
    });
  }

  /** The trace's end: the operations' source ends, or fails with why. */
  async finish(started: Promise<void>): Promise<void> {
    try {
      await started;
      this.end = await this.collector.ended;
      const d = this.decoder!;
      this.feed.end({ records: d.counts.records, calls: d.counts.calls, pids: d.pids.size });
    } catch (error) {
      this.killBuild('SIGKILL');
      this.collector.kill();
      this.feed.error(error);
    } finally {
      this.kept?.close();
    }
  }

  /** The command's pid in the build's own PID namespace (behind the wall). */
  get rootSeenAs(): number | undefined {
    return this.decoder?.rootSeenAs;
  }

  /** Processes the build left running when tracing stopped. */
  get detached(): boolean {
    return (this.end?.alive ?? 0) > 0;
  }

  defects(): Defects {
    const u = this.decoder?.unseen;
    return {
      lost: (this.end?.lost ?? 0) + (this.end?.missed ?? 0),
      unreadable: u?.unreadable ?? 0,
      unresolved: u?.unresolved ?? 0,
      unfollowed: this.end?.unfollowed ?? 0,
      foreign: u?.foreign ?? 0,
      examples: u?.examples ?? [],
    };
  }

  done(): void {
    clearTimeout(this.grace);
    for (const [s, h] of this.handlers) process.off(s, h);
    this.collector.kill();
    this.copy.close();
  }
}

/** Starts `command` under eBPF: the same contract as strace's `traceBuild`. */
export function traceBuildEbpf(opts: BuildToTrace & { readonly ebpf: EbpfInfo }): Tracing {
  const run = new EbpfRun(opts);
  const started = run.start();
  const traced = run.finish(started);
  const outcome = run.outcome();
  // A trace that failed is the error; otherwise the build's end, detached when daemons were left.
  const final = Promise.all([outcome, traced, started]).then(([o]) => (run.detached ? { ...o, detached: true } : o));
  return {
    source: run.launched ? { separated: true, rootSeenAs: () => run.rootSeenAs, steps: run.feed.steps } : run.feed,
    build: { command: opts.command, outcome: final.catch(() => outcome) },
    hooks: {},
    own: [],
    copyProblem: () => run.copy.problem(),
    defects: () => run.defects(),
    done: () => run.done(),
  };
}
