/**
 * Which capture back end traces the build (`--backend`): strace, the default and the
 * reference; eBPF, which does not stop the build; or auto, eBPF where it can load and
 * strace otherwise. Both start a build the same way and give the same lines (strace's
 * format), so everything after the capture is one pipeline.
 */
import { traceBuild, type BuildToTrace, type Tracing } from './build.js';
import { preflightEbpf, type EbpfInfo } from './ebpf/preflight.js';
import { traceBuildEbpf } from './ebpf/run.js';
import { preflight, type StraceInfo } from './preflight.js';
import { IoanaError, TraceSetupError } from '../vocabulary/errors.js';
import { describeDefects, noDefects, type Defects } from './ebpf/render.js';

export const BACKENDS = ['strace', 'ebpf', 'auto'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The back end that will trace, ready to start. */
export type Capture = { readonly kind: 'strace'; readonly strace: StraceInfo } | { readonly kind: 'ebpf'; readonly ebpf: EbpfInfo };

/** A back end chosen, with what to tell the user: which ran, and why not the other. */
export interface Chosen {
  readonly capture: Capture;
  /** Notes for standard error: `tracing with eBPF (bpftrace 0.17.0)`, or why auto fell back to strace. */
  readonly notes: readonly string[];
}

/** Checks the back end `want` names (both, in order, for auto); throws a TraceSetupError that says why it cannot run. */
export function chooseBackend(
  want: Backend,
  opts: { readonly seccomp?: boolean; readonly strace?: () => StraceInfo; readonly ebpf?: (tryLoad: boolean) => EbpfInfo } = {},
): Chosen {
  const strace = opts.strace ?? (() => preflight(undefined, opts.seccomp ?? true));
  const ebpfCheck = opts.ebpf ?? ((tryLoad: boolean) => preflightEbpf({ tryLoad }));
  const tracingWith = (ebpf: EbpfInfo) => `tracing with eBPF (bpftrace ${ebpf.version}${ebpf.sudo ? ', through sudo' : ''}).`;
  const straceNotes = (info: StraceInfo) => (info.seccompNote ? [info.seccompNote] : []);
  if (want === 'strace') {
    const info = strace();
    return { capture: { kind: 'strace', strace: info }, notes: straceNotes(info) };
  }
  if (want === 'ebpf') {
    const ebpf = ebpfCheck(false);
    return { capture: { kind: 'ebpf', ebpf }, notes: [tracingWith(ebpf)] };
  }
  try {
    const ebpf = ebpfCheck(true);
    return { capture: { kind: 'ebpf', ebpf }, notes: [`--backend auto: ${tracingWith(ebpf)}`] };
  } catch (error) {
    if (!(error instanceof IoanaError)) throw error;
    const info = strace();
    return {
      capture: { kind: 'strace', strace: info },
      notes: [`--backend auto: tracing with strace; eBPF cannot trace here: ${error.message}`, ...straceNotes(info)],
    };
  }
}

/** Starts `command` under the chosen back end. */
export function startTrace(capture: Capture, opts: BuildToTrace): Tracing {
  return capture.kind === 'strace' ? traceBuild({ ...opts, strace: capture.strace }) : traceBuildEbpf({ ...opts, ebpf: capture.ebpf });
}

/** A trace that missed events or could not confirm names is refused, with the count and what to do. */
export function refuseIncomplete(defects: Defects | undefined): void {
  if (!defects || noDefects(defects)) return;
  throw new TraceSetupError(`the eBPF trace is incomplete: ${describeDefects(defects)}. Nothing was compared or written.`, {
    hint: 'Run it again, or trace with strace (--backend strace), which stops the build rather than lose an event.',
  });
}
