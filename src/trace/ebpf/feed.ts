/**
 * The eBPF back end's side of the pipeline's StepSource: operations decoded before the
 * pipeline asks for them wait here; from then on each goes straight through. Pure.
 */
import type { Operation } from '../../decode/index.js';
import type { ReadProgress, StepSource, TraceCounts } from '../../pipeline/index.js';

export class StepFeed implements StepSource {
  private queued: [number, Operation][] = [];
  private deliver: ((pid: number, op: Operation) => void) | undefined;
  private progress: ((p: ReadProgress) => void) | undefined;
  private finish!: (counts: TraceCounts) => void;
  private fail!: (error: unknown) => void;
  private readonly ended: Promise<TraceCounts>;
  private settled = false;

  constructor() {
    this.ended = new Promise<TraceCounts>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.ended.catch(() => undefined);
  }

  /** One operation of thread `pid`. */
  readonly push = (pid: number, op: Operation): void => {
    if (this.deliver) this.deliver(pid, op);
    else this.queued.push([pid, op]);
  };

  /** How far the trace has come (bytes of records read, operations made). */
  tick(p: ReadProgress): void {
    this.progress?.(p);
  }

  end(counts: TraceCounts): void {
    if (this.settled) return;
    this.settled = true;
    this.finish(counts);
  }

  error(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.fail(error);
  }

  readonly steps = (onStep: (pid: number, op: Operation) => void, onChunk?: (p: ReadProgress) => void): Promise<TraceCounts> => {
    for (const [pid, op] of this.queued) onStep(pid, op);
    this.queued = [];
    this.deliver = onStep;
    this.progress = onChunk;
    return this.ended;
  };
}
