/**
 * Before a build is traced with eBPF: is bpftrace there, may it load programs (root, or
 * passwordless sudo), is tracefs mounted (mounted here when it is not, and unmounted
 * after the run), is this a machine the back end knows (x86-64 Linux, the host's pid
 * namespace)? Each failure is a TraceSetupError that names the cause and the fix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { TraceSetupError } from '../../vocabulary/errors.js';

export interface EbpfInfo {
  /** The bpftrace executable (`bpftrace` or `$IOANA_BPFTRACE`). */
  readonly bpftrace: string;
  /** `0.17.0`. */
  readonly version: string;
  /** Run bpftrace (and mount/umount) through `sudo -n`: ioana is not root. */
  readonly sudo: boolean;
  /** Where tracefs is. */
  readonly tracefs: string;
  /** ioana mounted tracefs for this run: unmount it when the run ends. */
  readonly mounted: boolean;
}

export const BPFTRACE_HINT =
  'Install bpftrace (`sudo apt-get install -y bpftrace` on Debian and Ubuntu), or trace with strace: --backend strace.';

const TRACEFS = '/sys/kernel/tracing';

/** Runs a command as root: directly when ioana is root, else through `sudo -n`. */
export function asRoot(sudo: boolean, command: string, args: readonly string[]): { file: string; args: string[] } {
  return sudo ? { file: 'sudo', args: ['-n', command, ...args] } : { file: command, args: [...args] };
}

function run(sudo: boolean, command: string, args: readonly string[], timeout = 30_000) {
  const c = asRoot(sudo, command, args);
  return spawnSync(c.file, c.args, { encoding: 'utf8', timeout, env: { ...process.env, LC_ALL: 'C' } });
}

/** bpftrace's stderr without its warnings about the script and its locked-memory note. */
export function bpftraceErrors(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => /^ERROR/.test(l) && !/RLIMIT_MEMLOCK/.test(l))
    .map((l) => l.replace(/^ERROR:\s*/, ''))
    .join('; ');
}

function initPidNamespace(): boolean {
  try {
    const line = /^NSpid:\s*(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return line === undefined || line.trim().split(/\s+/).length === 1;
  } catch {
    return true;
  }
}

/**
 * Throws a TraceSetupError when eBPF cannot trace here; mounts tracefs when it must.
 * `tryLoad` also loads a tiny program (about half a second): `--backend auto` must know
 * that eBPF works before it picks it; with `--backend ebpf`, the run's own program
 * failing to load is the same clear error, without the extra half second.
 */
export function preflightEbpf(opts: { readonly tryLoad?: boolean } = {}, bpftrace = process.env.IOANA_BPFTRACE || 'bpftrace'): EbpfInfo {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new TraceSetupError(`the eBPF back end runs on x86-64 Linux; this is ${process.platform} on ${process.arch}.`, {
      hint: 'Trace with strace: --backend strace.',
    });
  if (!initPidNamespace())
    throw new TraceSetupError(
      'the eBPF back end needs the host pid namespace (the kernel names processes by their host pids); ioana runs in a container.',
      {
        hint: 'Run ioana on the host, or trace with strace: --backend strace.',
      },
    );
  const v = spawnSync(bpftrace, ['--version'], { encoding: 'utf8' });
  if (v.error) {
    const code = (v.error as NodeJS.ErrnoException).code;
    throw new TraceSetupError(
      code === 'ENOENT'
        ? `bpftrace was not found (looked for "${bpftrace}" on PATH); the eBPF back end runs it.`
        : `could not run ${bpftrace}: ${v.error.message}`,
      { hint: BPFTRACE_HINT },
    );
  }
  const version = /bpftrace v?(\d+(?:\.\d+)+)/.exec(v.stdout + v.stderr)?.[1];
  if (!version) throw new TraceSetupError(`"${bpftrace} --version" did not print a bpftrace version.`, { hint: BPFTRACE_HINT });

  let sudo = false;
  if (process.getuid?.() !== 0) {
    const s = spawnSync('sudo', ['-n', 'true'], { encoding: 'utf8', timeout: 10_000 });
    if (s.error || s.status !== 0)
      throw new TraceSetupError(
        `loading eBPF programs needs root: ioana is not root and \`sudo -n\` is not allowed here (${s.error ? (s.error as Error).message : (s.stderr.trim().split('\n')[0] ?? `exit ${s.status}`)}).`,
        {
          hint: 'Run ioana as root, give its user passwordless sudo (GitHub-hosted runners have it), or trace with strace: --backend strace.',
        },
      );
    sudo = true;
  }

  let mounted = false;
  if (!existsSync(`${TRACEFS}/events/raw_syscalls`)) {
    const m = run(sudo, 'mount', ['-t', 'tracefs', 'nodev', TRACEFS]);
    if (m.status !== 0 || !existsSync(`${TRACEFS}/events/raw_syscalls`))
      throw new TraceSetupError(
        `tracefs is not mounted at ${TRACEFS} and mounting it failed: ${(m.stderr ?? '').trim() || `exit ${m.status}`}.`,
        {
          hint: `Mount it (\`sudo mount -t tracefs nodev ${TRACEFS}\`), or trace with strace: --backend strace.`,
        },
      );
    mounted = true;
  }

  if (!opts.tryLoad) return { bpftrace, version, sudo, tracefs: TRACEFS, mounted };
  // One tiny program on the tracepoints the back end uses: loading, BTF and permissions.
  const probe = run(sudo, bpftrace, ['-e', 'tracepoint:raw_syscalls:sys_enter /pid == 0/ { @x = curtask->pid; } BEGIN { exit(); }']);
  if (probe.status !== 0) {
    const info: EbpfInfo = { bpftrace, version, sudo, tracefs: TRACEFS, mounted };
    releaseTracefs(info);
    throw new TraceSetupError(
      `bpftrace ${version} could not load a program here: ${bpftraceErrors(probe.stderr ?? '') || `exit ${probe.status}`}.`,
      {
        hint: 'eBPF needs a kernel with BTF (/sys/kernel/btf/vmlinux) and CAP_BPF/CAP_PERFMON (root); or trace with strace: --backend strace.',
      },
    );
  }
  return { bpftrace, version, sudo, tracefs: TRACEFS, mounted };
}

/** Unmounts tracefs when this run mounted it. */
export function releaseTracefs(info: EbpfInfo): void {
  if (info.mounted) run(info.sudo, 'umount', [info.tracefs]);
}
