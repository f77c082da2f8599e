import type { Finding } from '../diff/index.js';

/**
 * The JSON report of a check (`--json FILE`, `--format json`, the action's `report`
 * output and artifact): what ran, how it ended, and what changed. Every string that
 * came from the build is canonical and redacted. `version` changes when a field changes
 * meaning or goes away; new fields may appear without one.
 */
export interface Report {
  /** The report format's version: 1. */
  readonly version: 1;
  /**
   * `clean`: no findings; `changed`: findings (or no baseline yet, so everything is
   * new); `build-failed`: the traced command failed or was interrupted.
   */
  readonly status: 'clean' | 'changed' | 'build-failed';
  /** In the order every report shows them: failing errors, failing warnings, then the rest; by kind and subject within. */
  readonly findings: readonly Finding[];
  /** How many findings fail the check. */
  readonly failing: number;
  /** The traced command and how it ended; an empty command and nulls when a recorded log was read. */
  readonly build: {
    /** The command as it ran, credentials redacted. */
    readonly command: readonly string[];
    /** Its exit status; null when a signal ended it, or for a recorded log. */
    readonly exitCode: number | null;
    /** The signal that ended it (`SIGSEGV`), or null. */
    readonly signal: string | null;
    /** A SIGINT/SIGTERM passed on to the build: the report covers only what it did until then. */
    readonly interrupted?: string;
    /** Processes the build left running when tracing stopped (daemons). */
    readonly leftRunning?: number;
    /** Processes the build left running when its command ended, stopped with its namespace. */
    readonly stopped?: number;
    /**
     * The build rewrote fewer than half of the baseline's outputs: an incremental build
     * (the tree was not clean), whose vanished outputs and inputs say nothing of the change.
     */
    readonly incremental?: { readonly rewritten: number; readonly outputs: number };
    /**
     * Set-user-ID and set-group-ID programs the build ran: strace runs them without those
     * privileges, so they may have failed here where they work untraced.
     */
    readonly setuid?: readonly string[];
    /** The tracer ran as root: setuid and setgid programs kept their privileges under it. */
    readonly tracerPrivileged?: boolean;
    /**
     * The wall between the build and ioana (issue 23): `sudo`, `root` or `userns` (its own
     * PID and mount namespaces, as the runner's user), or `none` (advisory: the build
     * could reach ioana), and in words; `sudo`: whether the build could use sudo (the
     * `disable-sudo` input took it away, or there was none). Absent for a recorded log.
     */
    readonly separation?: { readonly mode: string; readonly description: string; readonly advisory?: string; readonly sudo?: boolean };
    /** Every command the build ran through sudo (canonical, redacted): with sudo a build can reach ioana. */
    readonly sudo?: readonly string[];
    /**
     * Container daemons the build asked to work (`docker build`, `docker run`), who asked,
     * and the images of the containers followed for them (issue 27: the eBPF back end
     * follows the containers a client of the build starts). A daemon with none followed
     * did work that is not in the report.
     */
    readonly containers?: readonly {
      readonly socket: string;
      readonly by: readonly string[];
      readonly followed?: readonly string[];
      /** Commands that asked for a container (run, create, build) and had none followed. */
      readonly untraced?: readonly string[];
      /** Programs of the containers followed that were still running when tracing stopped. */
      readonly running?: number;
    }[];
  };
  /** The report covers only part of the build (interrupted). */
  readonly partial: boolean;
  /** The baseline compared with, as the user named it (repository-relative in the action). */
  readonly baseline: string;
  /**
   * Counts about the trace: `lines`, `unparsed`, `syscalls` (the log), `processes`,
   * `execs`, `probes` (failed lookups), `ioUring` (whether io_uring was set up: I/O the
   * trace cannot see). Empty for `ioana diff`.
   */
  readonly stats: Readonly<Record<string, number | boolean>>;
}
