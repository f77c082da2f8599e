export type * from './operations.js';
export { decode, decodeCall, dirRef, isProcessEvent, type ProcessEvent } from './decode.js';
export {
  SYSCALLS,
  DATAFLOW_SYSCALLS,
  PROBE_SYSCALLS,
  DETAIL_SYSCALLS,
  COUNTED_FAILURES,
  type SyscallSpec,
  type Decoder,
  type ArgRole,
} from './syscalls.js';
export {
  openMode,
  cloneMode,
  structFlags,
  mountFlags,
  mountHow,
  CLONE_NEWNS,
  CREAT_MODE,
  MS,
  type CloneMode,
  type MountHow,
} from './flags.js';
