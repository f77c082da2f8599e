/**
 * Before a build is traced with eBPF: is this a machine the collector runs on (x86-64
 * Linux, the host's pid namespace, a kernel with BTF), is the collector there, may it
 * load programs (root, or passwordless sudo)? Each failure is a TraceSetupError that
 * names the cause and the fix. Nothing is installed or downloaded: the collector is
 * built from native/ebpf/ and shipped beside dist/.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceSetupError } from '../../vocabulary/errors.js';
import { loaderCalls } from './calls.js';

export interface EbpfInfo {
  /** The collector: dist/ioana-ebpf-x86_64 beside ioana's bundle, or `$IOANA_EBPF_LOADER`. */
  readonly loader: string;
  /** Run it through `sudo -n`: ioana is not root. */
  readonly sudo: boolean;
}

export const EBPF_HINT = 'Trace with strace: --backend strace.';

/** The collector's file name for this machine's architecture. */
export const LOADER_NAME = 'ioana-ebpf-x86_64';

/** Where the collector is looked for: beside the bundle (dist/), or dist/ from src/trace/ebpf/. */
export function loaderCandidates(): string[] {
  if (process.env.IOANA_EBPF_LOADER) return [resolve(process.env.IOANA_EBPF_LOADER)];
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, LOADER_NAME), join(here, '..', '..', '..', 'dist', LOADER_NAME)];
}

/** Runs a command as root: directly when ioana is root, else through `sudo -n`. */
export function asRoot(sudo: boolean, command: string, args: readonly string[]): { file: string; args: string[] } {
  return sudo ? { file: 'sudo', args: ['-n', command, ...args] } : { file: command, args: [...args] };
}

function initPidNamespace(): boolean {
  try {
    const line = /^NSpid:\s*(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return line === undefined || line.trim().split(/\s+/).length === 1;
  } catch {
    return true;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Throws when this machine is not one the collector runs on. */
function assertMachine(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new TraceSetupError(`the eBPF back end runs on x86-64 Linux; this is ${process.platform} on ${process.arch}.`, {
      hint: EBPF_HINT,
    });
  if (!initPidNamespace())
    throw new TraceSetupError(
      'the eBPF back end needs the host pid namespace (the kernel names processes by their host pids); ioana runs in a container.',
      { hint: `Run ioana on the host, or trace with strace: --backend strace.` },
    );
  if (!existsSync('/sys/kernel/btf/vmlinux'))
    throw new TraceSetupError('the kernel has no BTF (/sys/kernel/btf/vmlinux): the eBPF collector needs it to find the fields it reads.', {
      hint: 'Use a kernel built with CONFIG_DEBUG_INFO_BTF=y (Ubuntu, Debian and Fedora kernels are), or trace with strace: --backend strace.',
    });
}

/** Whether the collector runs through `sudo -n` (ioana is not root); throws when neither works. */
function viaSudo(): boolean {
  if (process.getuid?.() === 0) return false;
  const s = spawnSync('sudo', ['-n', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (s.error || s.status !== 0)
    throw new TraceSetupError(
      `loading eBPF programs needs root: ioana is not root and \`sudo -n\` is not allowed here (${s.error ? s.error.message : (s.stderr.trim().split('\n')[0] ?? `exit ${s.status}`)}).`,
      {
        hint: 'Run ioana as root, give its user passwordless sudo (GitHub-hosted runners have it), or trace with strace: --backend strace.',
      },
    );
  return true;
}

/** The collector's one-line complaint (`ioana-ebpf: could not load …`), without its prefix. */
export function collectorError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.startsWith('ioana-ebpf: '));
  return (lines.pop() ?? stderr.trim().split('\n').pop() ?? '').replace(/^ioana-ebpf: /, '');
}

/**
 * Throws a TraceSetupError when eBPF cannot trace here. `tryLoad` also loads and attaches
 * the collector's programs once (about 0.1 s): `--backend auto` must know that eBPF works
 * before it picks it; with `--backend ebpf`, the run's own load failing is the same error.
 */
export function preflightEbpf(opts: { readonly tryLoad?: boolean } = {}): EbpfInfo {
  assertMachine();
  const sudo = viaSudo();
  const candidates = loaderCandidates();
  const loader = candidates.find(executable);
  if (!loader)
    throw new TraceSetupError(`the eBPF collector is not in this copy of ioana (looked for ${candidates.join(', ')}).`, {
      hint: 'Build it with native/ebpf/build.sh (Debian: clang, bpftool, libbpf-dev), or trace with strace: --backend strace.',
    });
  const info: EbpfInfo = { loader, sudo };
  if (!opts.tryLoad) return info;
  const c = asRoot(info.sudo, loader, ['--check', ...loaderCalls()]);
  const r = spawnSync(c.file, c.args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0)
    throw new TraceSetupError(
      `the eBPF collector could not load its programs here: ${collectorError(r.stderr ?? '') || r.error?.message || `exit ${r.status}`}.`,
      { hint: 'eBPF needs CAP_BPF and CAP_PERFMON (root) and a kernel of 5.17 or later with BTF; or trace with strace: --backend strace.' },
    );
  return info;
}
