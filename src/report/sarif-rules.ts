/** The help of code scanning's rules, one per finding kind (sarif.ts): what each kind means and what to do about it. */
import type { FindingKind } from '../vocabulary/index.js';

/** What each kind means and what to do about it: the README's findings table, for code scanning's rule help. */
export const RULE_TEXT: Readonly<Record<FindingKind, { readonly when: string; readonly todo: string }>> = {
  'new-input': {
    when: 'The build reads a file the baseline does not list. A warning; a notice for system paths (/usr, /lib*, /etc, /proc, /sys, the tool cache).',
    todo: 'Check that the build should read it: a header or a dependency you added, a toolchain update. If it should not, the finding names the program that read it first: remove the read.',
  },
  'vanished-input': {
    when: 'A file that every recorded run of the baseline read is no longer read. A notice.',
    todo: 'Usually a refactoring or a removed dependency. If the file mattered (a configuration, a license, a pinned lock file), find why the build stopped reading it.',
  },
  'new-output': {
    when: 'The build writes a file the baseline does not list. A warning.',
    todo: 'Check which step writes it and that the build should produce it (a new target, a new generated file).',
  },
  'vanished-output': {
    when: 'An artifact the baseline lists is no longer produced. An error.',
    todo: 'A removed target, or a build step that silently did nothing. Restore it, or accept the change if the artifact was removed on purpose.',
  },
  'new-program': {
    when: 'An executable runs that the baseline does not list (one finding per executable). A warning.',
    todo: 'Check where the executable comes from and why the build runs it: a new tool, a script of the tree, something downloaded during the build.',
  },
  'vanished-program': {
    when: 'An executable that ran in every recorded run of the baseline no longer runs. A notice.',
    todo: 'Usually a removed step or a changed toolchain. Check that nothing the build needs (a test, a code generator, a signing step) was dropped.',
  },
  'changed-arguments': {
    when: 'An executable runs with other arguments: commands whose shape (the arguments, with the files they name, lists of files, counters and parallelism folded) the baseline does not list, or that no longer run. One finding per executable. A notice.',
    todo: 'Compare the new and the removed commands the finding lists: new flags can change what is built (optimisation, defines, include paths, an output elsewhere).',
  },
  'toolchain-changed': {
    when: "A toolchain the build uses has another version than the baseline records: a tool of the runner's tool cache (setup-node's 20.11.1 → 20.12.0), a same-family compiler (gcc 12 → 13), an interpreter. One finding per tool, its files folded into it. A notice.",
    todo: "Usually the runner image or a setup action moved on. If the build must use one version, pin it (setup-node's node-version, a versioned compiler); accept the change to record the new version.",
  },
  'new-endpoint': {
    when: 'The build connects to an address the baseline does not list, or sends datagrams to it; an attempt counts whether it connected, was refused or timed out. An error.',
    todo: 'A build that reaches the network can fetch and run anything. Check the address and the program that connected; pin or vendor what it downloads.',
  },
  'changed-provenance': {
    when: 'The inputs that reach an output changed. A notice.',
    todo: 'Check that the inputs the output is now made from belong in it.',
  },
  'source-modified': {
    when: 'The build wrote a source: in a git work tree a tracked file, elsewhere a file of the workspace that existed before the build. The finding names the program that wrote it. An error.',
    todo: 'A build step that rewrites the code after review is how build-time tampering hides. Find the program named and stop it writing the tree: generated files belong in the build directory.',
  },
  'credential-read': {
    when: "The build reads a credential or identity file the baseline does not list (/etc/shadow, ~/.ssh, ~/.aws, ~/.docker/config.json, ~/.netrc, /proc/*/environ, the runner's own directories…). An error.",
    todo: 'A build has no business reading secrets. Find the program that read the file and remove the read; if the build runs untrusted code, treat the credential as exposed.',
  },
  'untraced-io': {
    when: 'The build does I/O the trace cannot see (io_uring, a child started with CLONE_UNTRACED, open_by_handle_at); reported every run. An error.',
    todo: 'What the trace cannot see, the check cannot compare: find the program and turn that I/O path off, or run it outside the checked build.',
  },
  tampering: {
    when: "The build went after ioana itself: it touched ioana's own files (the trace pipe, the step files it reports through) or signalled ioana (SIGUSR1 opens Node's debugger); reported every run. An error.",
    todo: "Treat the build as hostile: review the change that made it reach for ioana's files before anything else.",
  },
  'baseline-edited': {
    when: "On a pull request: the pull request's baseline adds or removes an entry. An error for forks and authors without write access, else a warning (the action's pr-edits input).",
    todo: "The baseline decides what the check accepts: review its change like code. The base branch's baseline applies until a maintainer merges it.",
  },
  'config-weakened': {
    when: "On a pull request: the pull request's .ioana.yml weakens the check (a kind out of fail-on, an ignore, collapse, fold-outputs, normalize or lowering severity rule added). Rated as baseline-edited.",
    todo: "Review the configuration change like code: it can hide findings. The base branch's configuration applies until a maintainer merges it.",
  },
};

export const ACCEPT_TEXT =
  'If the change is expected, accept it: from a clean tree, run `ioana update --baseline FILE -- BUILD` (the job summary and the CLI print the exact command) and commit the baseline, which is reviewed like code.';
