/** The report of a check, from its parts. Pure: the CLI and the action both use it. */
import type { Finding } from '../diff/index.js';
import type { Report } from './types.js';

export interface ReportParts {
  readonly findings: readonly Finding[];
  /** The traced command (already redacted), and how it ended; absent for a given log. */
  readonly build?: {
    readonly command: readonly string[];
    readonly exitCode: number | null;
    readonly signal: string | null;
    readonly interrupted?: string;
    readonly leftRunning?: number;
    readonly stopped?: number;
    readonly setuid?: readonly string[];
    readonly tracerPrivileged?: boolean;
    readonly separation?: { readonly mode: string; readonly description: string; readonly advisory?: string; readonly sudo?: boolean };
    readonly sudo?: readonly string[];
    readonly containers?: Report['build']['containers'];
  };
  readonly failed: boolean;
  readonly baseline: string;
  /** No baseline existed: everything is a change. */
  readonly baselineMissing?: boolean;
  readonly stats: Readonly<Record<string, number | boolean>>;
}

export function buildReport(p: ReportParts): Report {
  return {
    version: 1,
    status: p.failed ? 'build-failed' : p.findings.length > 0 || p.baselineMissing ? 'changed' : 'clean',
    findings: p.findings,
    failing: p.findings.filter((f) => f.failing).length,
    build: p.build ?? { command: [], exitCode: null, signal: null },
    partial: p.build?.interrupted !== undefined,
    baseline: p.baseline,
    stats: p.stats,
  };
}

/** Whether the result is weaker than the wall promises: no wall (advisory), or a build that used the sudo it kept. */
export function wallWeakened(build: Report['build']): boolean {
  return (
    build.separation?.advisory !== undefined || (build.sudo !== undefined && build.sudo.length > 0 && build.separation?.sudo !== false)
  );
}

/** What the reports say about the wall between the build and ioana, and the build's sudo. */
export function separationNote(build: Report['build']): string | undefined {
  const s = build.separation;
  if (!s) return undefined;
  const ran = build.sudo?.length
    ? `It ran sudo ${build.sudo.length === 1 ? 'once' : `${build.sudo.length} times`} (${build.sudo.slice(0, 3).join('; ')}${build.sudo.length > 3 ? '; …' : ''})`
    : '';
  // Which of the two held: the build kept sudo (and, using it, could reach past the wall), or had none.
  const sudo = !ran
    ? ''
    : s.sudo === false
      ? ` ${ran}, which could not make it root: the build had no sudo.`
      : ` ${ran}: as root it can reach past the wall.`;
  return s.advisory ? `advisory result: ${s.advisory}${sudo}` : `${s.description}.${sudo}`;
}

/** What the reports say about the setuid and setgid programs the build ran (`build.setuid`). */
/** Says that a check saw an incremental build, and how to check from a clean tree. */
export function incrementalNote(i: { readonly rewritten: number; readonly outputs: number }): string {
  return `the build rewrote ${i.rewritten} of the baseline's ${i.outputs} outputs: an incremental build (the tree was not clean)? Its vanished outputs and inputs no longer read say nothing of a change. Check from a clean tree: clean first (make clean, rm -rf build…), or put the clean step in the command (sh -c 'make clean && make').`;
}

export function setuidNote(programs: readonly string[]): string {
  const shown = programs.slice(0, 5).join(', ') + (programs.length > 5 ? ` and ${programs.length - 5} more` : '');
  const what = programs.length === 1 ? 'a setuid or setgid program' : `${programs.length} setuid or setgid programs`;
  return `the build ran ${what} (${shown}). Traced here they run without those privileges (strace's --seccomp-bpf sets no_new_privs; an unprivileged tracer drops them): one that needs them fails here, though it works untraced. --no-seccomp with the tracer root (sudo), or the eBPF back end, lets them keep them.`;
}

type Daemons = NonNullable<Report['build']['containers']>;

/** Daemons the build asked to work for which no container was followed, or a command that asked for one had none: their work is not in the report. */
export const untracedContainers = (daemons: Daemons | undefined): Daemons =>
  (daemons ?? []).filter((d) => !d.followed?.length || (d.untraced?.length ?? 0) > 0 || (d.running ?? 0) > 0);

/** What the reports say of container daemons the build asked to work and nothing was followed for (`build.containers`): which, who asked, and how to see their steps. */
export function containerNote(daemons: Daemons): string {
  const d = untracedContainers(daemons)[0] ?? daemons[0];
  if (d.followed?.length && !d.untraced?.length && d.running)
    return `${d.running} program(s) of the containers the build started (images: ${d.followed.join(', ')}) were still running when tracing stopped (\`docker run -d\`, a service it left): what they do from then on is not in this report.`;
  const others = daemons.length > 1 ? ` and ${daemons.length - 1} other daemon(s)` : '';
  const asked = d.untraced?.length ? d.untraced : d.by;
  const by = asked.length > 0 ? ` (by \`${asked[0]}\`${asked.length > 1 ? ` and ${asked.length - 1} more` : ''})` : '';
  return `the build asked a container daemon to work: ${d.socket}${others}${by}, and no container it started was traced. Its steps (a Dockerfile's RUN, a docker run) run in processes the daemon starts, outside the build's process tree: strace does not follow them, the eBPF back end (--backend ebpf, or the action's backend: ebpf) does. Under eBPF this means no step ran (cached) or ran where ioana does not follow it (--pid=host, a runtime other than runc or crun, a daemon on another machine). What they read, wrote, ran and connected to is not in this report.`;
}

/** What the reports say of the containers followed (`build.containers[].followed`): their work is in the report, and how it is named. */
export function followedNote(daemons: Daemons): string | undefined {
  const images = [...new Set(daemons.flatMap((d) => d.followed ?? []))].sort();
  if (images.length === 0) return undefined;
  const shown = images.slice(0, 5).join(', ') + (images.length > 5 ? ` and ${images.length - 5} more` : '');
  return `followed the containers the build's container client started (images: ${shown}): their programs, files and connections are in this report, each image's own files as {container:IMAGE}/…, directories mounted from this machine by their own names.`;
}
