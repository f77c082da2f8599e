export { DATAFLOW_SYSCALLS, DETAIL_SYSCALLS, PROBE_SYSCALLS, straceArgs, traceEnv, type TraceOptions } from './command.js';
export { preflight, parseStraceVersion, compareVersions, INSTALL_HINT, PTRACE_HINT, type StraceInfo } from './preflight.js';
export { runTraced, succeeded, describeOutcome, type TraceOutcome, type TraceRunOptions } from './run.js';
export { resolveCommand } from './resolve.js';
