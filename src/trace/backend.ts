/**
 * Which capture back end traces the build (`--backend`): strace, the reference, which
 * stops the build at every traced call; eBPF, ioana's own collector, which does not; or
 * auto, eBPF where it can load and strace otherwise. Both implement the one contract
 * (contract.ts); this is the one file that knows them both.
 */
import { IoanaError } from '../vocabulary/errors.js';
import type { BuildToTrace, Tracing } from './contract.js';
import { preflightEbpf, type EbpfInfo } from './ebpf/preflight.js';
import { traceBuildEbpf } from './ebpf/run.js';
import { traceBuild } from './strace/build.js';
import { preflight, type StraceInfo } from './strace/preflight.js';

export const BACKENDS = ['strace', 'ebpf', 'auto'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The back end that will trace, ready to start. */
export type Capture = { readonly kind: 'strace'; readonly strace: StraceInfo } | { readonly kind: 'ebpf'; readonly ebpf: EbpfInfo };

/** A back end chosen, with what to tell the user: which ran, and why not the other. */
export interface Chosen {
  readonly capture: Capture;
  /** Notes for standard error: `tracing with eBPF (ioana's collector)`, or why auto fell back to strace. */
  readonly notes: readonly string[];
}

/** `tracing with eBPF (ioana's collector, through sudo).` */
export const tracingWith = (ebpf: EbpfInfo): string => `tracing with eBPF (ioana's collector${ebpf.sudo ? ', through sudo' : ''}).`;

/** Checks the back end `want` names (both, in order, for auto); throws a TraceSetupError that says why it cannot run. */
export function chooseBackend(
  want: Backend,
  opts: { readonly seccomp?: boolean; readonly strace?: () => StraceInfo; readonly ebpf?: (tryLoad: boolean) => EbpfInfo } = {},
): Chosen {
  const strace = opts.strace ?? (() => preflight(undefined, opts.seccomp ?? true));
  const ebpfCheck = opts.ebpf ?? ((tryLoad: boolean) => preflightEbpf({ tryLoad }));
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
