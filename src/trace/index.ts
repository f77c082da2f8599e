export {
  DAEMON_GRACE_MS,
  NO_DEFECTS,
  describeDefects,
  noDefects,
  refuseIncomplete,
  type BuildToTrace,
  type Defects,
  type Tracing,
} from './contract.js';
export { BACKENDS, chooseBackend, startTrace, tracingWith, type Backend, type Capture, type Chosen } from './backend.js';
export { resolveCommand } from './resolve.js';
export { BuildRootWatch } from './strace/build-root.js';
export {
  chooseSeparation,
  launcherFor,
  reportedSeparation,
  captureMode,
  GATE,
  NO_SEPARATION,
  type Separation,
  type SeparationMode,
} from './separation.js';
export { traceFile } from './file.js';
export { straceArgs, traceEnv, type TraceOptions } from './strace/command.js';
export { preflight, parseStraceVersion, compareVersions, INSTALL_HINT, PTRACE_HINT, type StraceInfo } from './strace/preflight.js';
export { runTraced, type TraceRunOptions } from './strace/run.js';
export { traceBuild } from './strace/build.js';
export { preflightEbpf, EBPF_HINT, type EbpfInfo } from './ebpf/preflight.js';
