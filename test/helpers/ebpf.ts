/** Whether the eBPF back end can trace here, asked the way ioana asks (a real load of the collector). */
import { preflightEbpf } from '../../src/trace/index.js';

/** Why eBPF cannot trace on this machine (root or sudo, BTF, the collector), or undefined when it can. */
export function ebpfUnavailable(): string | undefined {
  try {
    preflightEbpf({ tryLoad: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
