export { straceArgs, traceEnv, type TraceOptions } from './command.js';
export { preflight, parseStraceVersion, compareVersions, INSTALL_HINT, PTRACE_HINT, type StraceInfo } from './preflight.js';
export { runTraced, type TraceRunOptions } from './run.js';
export { traceBuild, DAEMON_GRACE_MS, type Tracing } from './build.js';
export { resolveCommand } from './resolve.js';
export { BACKENDS, chooseBackend, refuseIncomplete, startTrace, type Backend, type Capture, type Chosen } from './backend.js';
export { describeDefects, noDefects, type Defects } from './ebpf/render.js';
export { BPFTRACE_HINT, type EbpfInfo } from './ebpf/preflight.js';
