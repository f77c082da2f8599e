export { straceArgs, traceEnv, type TraceOptions } from './command.js';
export { preflight, parseStraceVersion, compareVersions, INSTALL_HINT, PTRACE_HINT, type StraceInfo } from './preflight.js';
export { runTraced, type TraceRunOptions } from './run.js';
export { traceBuild, DAEMON_GRACE_MS, type Tracing } from './build.js';
export { resolveCommand } from './resolve.js';
