#!/usr/bin/env node
import { constants, homedir, tmpdir } from 'node:os';
import { readFileSync, openSync, writeSync, closeSync, unlinkSync, fsyncSync, renameSync, statSync, accessSync, constants as constants$1, realpathSync, createReadStream, mkdtempSync, writeFileSync, rmSync, readdirSync, lstatSync, existsSync } from 'node:fs';
import { parseArgs as parseArgs$1 } from 'node:util';
import { posix, join, dirname, basename as basename$1, resolve, delimiter } from 'node:path';
import require$$0 from 'process';
import require$$0$1 from 'buffer';
import { EventEmitter } from 'events';
import { basename } from 'node:path/posix';
import { randomBytes } from 'node:crypto';
import 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { execFileSync, spawnSync, spawn } from 'node:child_process';
import { Socket } from 'node:net';

/**
 * Typed errors that carry what the user needs: where, what, and what to do. Only the
 * edges (cli.ts, main.ts) turn them into exit statuses or a failed step.
 */
/** Exit statuses of the CLI (DESIGN §2.1). */
const EXIT = {
    /** No failing findings. */
    ok: 0,
    /** Failing findings. */
    findings: 1,
    /** Usage, configuration, baseline or environment error: nothing was written. */
    usage: 2,
    /** The traced command itself failed; the report is still produced. */
    buildFailed: 3,
};
/** ioana itself was interrupted (SIGINT, SIGTERM): 128 + the signal's number, as a shell reports it (130, 143). */
function signalExit(signal) {
    return 128 + (constants.signals[signal] ?? 0);
}
class IoanaError extends Error {
    /** The exit status the CLI uses for this error. */
    exitCode;
    /** What to do about it, one sentence. */
    hint;
    constructor(message, options = {}) {
        super(message, { cause: options.cause });
        this.name = new.target.name;
        this.exitCode = options.exitCode ?? EXIT.usage;
        this.hint = options.hint;
    }
}
/** Bad command line. */
class UsageError extends IoanaError {
}
/** strace is missing, too old, or not allowed to trace. */
class TraceSetupError extends IoanaError {
}
/** A file we were asked to read could not be read. */
class InputError extends IoanaError {
}
/** `message` plus the hint, as printed by the CLI: `ioana: … \n  hint: …`. */
function describeError(error) {
    if (error instanceof IoanaError)
        return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
    if (error instanceof Error)
        return `internal error: ${error.message}`;
    return `internal error: ${String(error)}`;
}

/**
 * Which ioana this is, and where a user gets the same one: the version in package.json
 * (beside dist/ in every installed copy and in the action's checkout), and the git
 * source an accept command installs from, pinned to the ref that printed it.
 */
/** The version in package.json, found from dist/*.js or from src/. */
function ioanaVersion() {
    for (const rel of ['../package.json', '../../package.json']) {
        try {
            const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
            if (pkg.name === 'ioana')
                return String(pkg.version);
        }
        catch {
            // not there: try the next place
        }
    }
    return '0.0.0';
}

/**
 * Reading `ioana COMMAND [options] [-- COMMAND...]` (the CLI's edge): node's
 * `util.parseArgs` splits the words into tokens; this checks them against the
 * command's options, with messages that name the culprit and suggest the closest
 * known name. The result is then turned into typed options once (`options.ts`).
 */
/**
 * Edit distance counting a swap of two neighbours as one edit, as typos go:
 * `('chek', 'check')` → 1, `('grpah', 'graph')` → 1.
 */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
/** `('chek', ['check', 'update'])` → `check`: the closest candidate within a typo's reach, if any. */
function didYouMean(word, candidates) {
    const reach = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
    let best;
    for (const c of candidates) {
        const d = c.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, c);
        if (d <= reach && (!best || d < best.d))
            best = { c, d };
    }
    return best?.c;
}
const suggestion = (word, candidates, form) => {
    const c = didYouMean(word, candidates);
    return c ? ` Did you mean "${form(c)}"?` : '';
};
/** `parsed.values.get('trace')?.[0]` as a function: the last value of an option. */
function optionValue(args, name) {
    const v = args.values.get(name);
    return v?.[v.length - 1];
}
/**
 * `['graph', '--trace', 'a.log', '--format=json']` → `{ command: 'graph', values: {trace:
 * ['a.log'], format: ['json']}, … }`. Unknown commands and options, missing values and
 * stray arguments are UsageErrors that name the culprit.
 */
function parseArgs(argv, commands) {
    const [command, ...rest] = argv;
    if (command === undefined)
        throw new UsageError('no command given.', { hint: 'Run `ioana --help` for the commands.' });
    const spec = commands[command];
    if (!spec)
        throw unknownCommand(command, commands);
    const dashes = rest.indexOf('--');
    if (dashes >= 0 && !spec.takesCommand)
        throw new UsageError(`"ioana ${command}" does not run a command (unexpected "--").`, { hint: spec.usage });
    const ours = dashes < 0 ? rest : rest.slice(0, dashes);
    const run = dashes < 0 ? [] : rest.slice(dashes + 1);
    const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.takesValue ? 'string' : 'boolean' }]));
    const { tokens } = parseArgs$1({ args: [...ours], options, strict: false, allowPositionals: true, tokens: true });
    const values = new Map();
    const flags = new Set();
    const positionals = [];
    for (const t of tokens) {
        if (t.kind === 'positional') {
            positionals.push(t.value);
            continue;
        }
        if (t.kind !== 'option')
            continue;
        const opt = spec.options[t.name];
        if (!opt)
            throw new UsageError(`unknown option "${t.rawName}" for "ioana ${command}".${suggestion(t.name, Object.keys(spec.options), (c) => `--${c}`)}`, { hint: spec.usage });
        if (!opt.takesValue) {
            if (t.value !== undefined)
                throw new UsageError(`option "--${t.name}" takes no value.`, { hint: spec.usage });
            flags.add(t.name);
            continue;
        }
        if (t.value === undefined)
            throw new UsageError(`option "--${t.name}" needs a value (${opt.valueName ?? 'VALUE'}).`, { hint: spec.usage });
        if (values.has(t.name) && !opt.repeatable)
            throw new UsageError(`option "--${t.name}" given twice.`, { hint: spec.usage });
        values.set(t.name, [...(values.get(t.name) ?? []), t.value]);
    }
    const pos = spec.positionals ?? { min: 0, max: 0, names: '' };
    if (positionals.length > pos.max) {
        throw new UsageError(`unexpected argument "${positionals[pos.max]}" for "ioana ${command}".`, {
            hint: spec.takesCommand ? `Put the command to trace after "--". ${spec.usage}` : spec.usage,
        });
    }
    if (positionals.length < pos.min)
        throw new UsageError(`"ioana ${command}" needs ${pos.names}.`, { hint: spec.usage });
    return { command, values, flags, positionals, run };
}
/** An unknown command, with the closest known one. */
function unknownCommand(command, commands) {
    return new UsageError(`unknown command "${command}".${suggestion(command, Object.keys(commands), (c) => `ioana ${c}`)}`, {
        hint: `Commands: ${Object.keys(commands).join(', ')}. Run \`ioana --help\`.`,
    });
}
/** The help text of one command. */
function commandHelp(name, spec) {
    const lines = [`ioana ${name} — ${spec.summary}`, '', `usage: ${spec.usage}`, ''];
    const width = Math.max(0, ...Object.entries(spec.options).map(([k, o]) => k.length + (o.valueName ? o.valueName.length + 1 : 0)));
    for (const [k, o] of Object.entries(spec.options)) {
        const left = `--${k}${o.valueName ? ' ' + o.valueName : ''}`;
        lines.push(`  ${left.padEnd(width + 4)}${o.help}`);
    }
    return lines.join('\n');
}

/**
 * The baseline file (DESIGN §1.6): the canonical dataflow of a build, learned over
 * runs, committed under `baselines/` and reviewed like code. An entry seen in fewer runs
 * than `runs` carries `seen` and is tolerated when absent. Its JSON Schema is
 * `schemas/baseline.schema.json`; this is the same format as typed data.
 *
 * Every string is canonical (src/canon): paths and arguments with `{workspace}`,
 * `{home}`, `{tmp}`, `{toolcache}` for the machine's roots, folded temporary names and
 * numbers, and credentials `{redacted}`. Lists are sorted by code unit.
 */
/** The format's version, written as `version:`; a baseline of another version is refused, not guessed at. */
const BASELINE_VERSION = 1;
/** The key of an entry in `BaselineLines`: `entryKey('inputs', '/usr/include/stdio.h')`; programs by their `programKey`. */
const entryKey = (section, value) => `${section}:${value}`;

/**
 * The canonical vocabulary every stage shares: the tokens that stand for what differs
 * between machines and runs, a program's identity, and how a canonical path names a
 * file of the repository.
 */
/** Roots and folded names in canonical paths, arguments and addresses. */
const TOKEN = {
    /** The repository root (the workspace). */
    workspace: '{workspace}',
    home: '{home}',
    /** `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`. */
    tmp: '{tmp}',
    /** `$RUNNER_TOOL_CACHE`. */
    toolcache: '{toolcache}',
    pid: '{pid}',
    redacted: '{redacted}',
    hex: '{hex}',
    /** A counter that numbers steps (CMake's `--progress-num`), and parallelism (`-j{n}`). */
    n: '{n}',
    /** A package manager's packages, one entry per package and version: `{cargo}/regex@1.7.1`. */
    cargo: '{cargo}',
    npm: '{npm}',
    pip: '{pip}',
    gomod: '{gomod}',
    gocache: '{gocache}',
};
const WORKSPACE_PREFIX = `${TOKEN.workspace}/`;
/**
 * A program's identity in canonical graphs and baselines: its executable and its
 * (canonical) arguments. `{exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c']}` →
 * `["/usr/bin/cc","cc","-c","a.c"]`.
 */
const programKey = (p) => JSON.stringify([p.exe, ...p.argv]);
/** `{exe: '/usr/bin/cc', argv: ['cc', '-c', 'a.c']}` → `/usr/bin/cc -c a.c`: a program as findings name it. */
const programText = (p) => [p.exe, ...p.argv.slice(1)].join(' ');
/** Whether a canonical path is in the repository: `{workspace}/…`. */
const inWorkspace = (subject) => subject.startsWith(WORKSPACE_PREFIX);

/**
 * The finding kinds and severities (DESIGN §1.7), and the words every report uses for
 * each kind: one table, so that the CLI, the summary, the annotations and the
 * messages cannot drift apart.
 */
const FINDING_KINDS = [
    'new-input',
    'vanished-input',
    'new-output',
    'vanished-output',
    'new-program',
    'vanished-program',
    'changed-arguments',
    'new-endpoint',
    'changed-provenance',
    'source-modified',
    'credential-read',
    'untraced-io',
    'tampering',
    'baseline-edited',
    'config-weakened',
];
const SEVERITIES = ['error', 'warning', 'notice'];
const isFindingKind = (s) => FINDING_KINDS.includes(s);
const isSeverity = (s) => SEVERITIES.includes(s);
const KIND_TEXT = {
    'new-input': { title: 'ioana: new input', label: 'new input', verb: 'The build now reads' },
    'vanished-input': { title: 'ioana: input no longer read', label: 'input no longer read', verb: 'The build no longer reads' },
    'new-output': { title: 'ioana: new output', label: 'new output', verb: 'The build now writes' },
    'vanished-output': {
        title: 'ioana: output no longer produced',
        label: 'output no longer produced',
        verb: 'The build no longer produces',
    },
    'new-program': { title: 'ioana: new program', label: 'new program', verb: 'The build now runs' },
    'vanished-program': { title: 'ioana: program no longer run', label: 'program no longer run', verb: 'The build no longer runs' },
    'changed-arguments': {
        title: 'ioana: a program runs with other arguments',
        label: 'other arguments',
        verb: 'The build runs a program with other arguments:',
    },
    'new-endpoint': { title: 'ioana: new network endpoint', label: 'new endpoint', verb: 'The build now connects to' },
    'changed-provenance': { title: 'ioana: inputs of an output changed', label: 'inputs changed', verb: 'The inputs of an output changed:' },
    'source-modified': {
        title: 'ioana: build modifies a source file',
        label: 'source file modified',
        verb: 'The build modifies a file of the working tree:',
    },
    'credential-read': {
        title: 'ioana: build reads a credential file',
        label: 'credential file read',
        verb: 'The build now reads a credential or identity file:',
    },
    'untraced-io': { title: 'ioana: I/O the trace cannot see', label: 'untraced I/O', verb: 'The build does I/O the trace cannot see:' },
    tampering: {
        title: "ioana: build touches ioana's own files",
        label: "ioana's own files touched",
        verb: "The build touched ioana's own files:",
    },
    'baseline-edited': {
        title: 'ioana: the pull request edits the baseline',
        label: 'baseline edited by the pull request',
        verb: "The pull request's edit of the baseline accepts",
    },
    'config-weakened': {
        title: 'ioana: the pull request weakens the check',
        label: 'check weakened by the pull request',
        verb: "The pull request's .ioana.yml weakens the check:",
    },
};

/**
 * Programs that take a password through options of their own (`mysql -pX`, `sshpass -p X`,
 * `docker login -p X`, `curl -u user:pw`), as arguments and as commands in a script; and
 * the shell word the script rules read a value as.
 */
const R$1 = TOKEN.redacted;
/** A shell word, quoted parts and plain characters: `hunter2`, `'a b'`, `"$PW"`, `pa'ss'`; an unclosed quote runs to the end (strace cuts long strings). */
const WORD$1 = String.raw `(?:[^\s'";&|<>()]|'[^']*'?|"[^"]*"?)+`;
/** `user:pw` → `user:{redacted}`, `'user:p w'` → `'user:{redacted}'`; a user alone (curl asks for the password) stays. */
function userPassword(value) {
    const m = /^(['"]?)([^:'"]*:)(.+)$/s.exec(value);
    if (!m)
        return value;
    const [, quote, user, password] = m;
    return quote + user + R$1 + (quote && password.length > 1 && password.endsWith(quote) ? quote : '');
}
const MYSQL = ['mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'mariadb-dump', 'mysqlimport', 'mysqlshow'];
const PASSWORD_PROGRAMS = [
    { names: MYSQL, p: 'glued' },
    {
        names: ['psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_basebackup', 'createdb', 'dropdb', 'createuser', 'dropuser', 'vacuumdb'],
        prompts: true,
    },
    { names: ['sshpass'], p: 'glued-or-next', wraps: true },
    { names: ['docker', 'podman', 'buildah', 'nerdctl', 'skopeo', 'helm', 'oras'], p: 'glued-or-next', after: 'login' },
    { names: ['curl'], user: true },
];
/** `['mysql']` → a match for `mysql` and `/usr/bin/mysql`. */
const programName = (names) => new RegExp(`(^|/)(${names.join('|')})$`);
const PROGRAM_NAMES = PASSWORD_PROGRAMS.map((p) => ({ program: p, name: programName(p.names) }));
/** `/usr/bin/curl` → curl's entry; `cc` → undefined. */
const passwordProgram = (arg) => PROGRAM_NAMES.find((p) => p.name.test(arg))?.program;
/** A program as a command of a script: `mysql`, `/usr/bin/mysql`, `sudo mysql`; not `-I/usr/include/mysql`. */
const command = (p) => String.raw `(?<=^|[\s;&|(\x60'"])(?:[^\s;&|'"\x60-][^\s;&|'"\x60]*/)?(?:${p.names.join('|')})(?=[ \t])` +
    (p.after ? String.raw `[^;&|\n]{0,200}?[ \t]${p.after}(?=[ \t])` : '');
/**
 * The rest of the command up to an option, within one command of the script (`a; b`,
 * `a | b`, `a && b`). Bounded: every mention of the program starts a search, and a
 * thousand characters of options is more than a command has (`mysql mysql mysql …` would
 * otherwise take quadratic time).
 */
const IN_COMMAND = String.raw `[^;&|\n]{0,1000}?[ \t]`;
/** Passwords in scripts (`sh -c '… mysql -psecret …'`), program by program. */
const SCRIPT_RULES = PASSWORD_PROGRAMS.flatMap((p) => {
    const hint = new RegExp(`(?:${p.names.join('|')})[ \\t]`);
    const head = (_, h) => h + R$1;
    const rules = [];
    if (p.p === 'glued')
        rules.push({ hint, rule: new RegExp(`(${command(p)}${IN_COMMAND}-p(?:[ \\t]+(?!-))?)(${WORD$1})`, 'g'), redact: head });
    if (p.p === 'glued-or-next')
        rules.push({ hint, rule: new RegExp(`(${command(p)}${IN_COMMAND}-p[ \\t]*)(${WORD$1})`, 'g'), redact: head });
    if (p.user) {
        const user = String.raw `(?:-[uU][ \t]*|--(?:proxy-)?user(?:[ \t]+|=))`;
        const rule = new RegExp(`(${command(p)}${IN_COMMAND}${user})(${WORD$1})`, 'g');
        rules.push({ hint, rule, redact: (_, h, value) => h + userPassword(value) });
    }
    return rules;
});

/**
 * Names that say a value is secret: environment variables (`GITHUB_TOKEN`, `DB_PASS`),
 * assignments in arguments (`PGPASSWORD=`, `-Ddb.password=`) and JSON members alike.
 */
/**
 * Words of a name that say it holds a secret, the name upper-cased and split where its
 * case changes: `GITHUB_TOKEN`, `PGPASSWORD`, `MYSQL_PWD`, `DB_PASS`, `SSHPASS`, `API_KEY`,
 * `keyStorePassword`, `_authToken`, `GH_PAT`, `GPG_PRIVATE_KEY`, `AWS_CREDENTIALS`.
 * `TOKENIZERS_…`, `AUTHOR`, `XAUTHORITY`, `PATH`, `MONKEY` are other words.
 */
const SECRET_WORD = /(?:^|[^A-Z0-9])(?:[A-Z0-9]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PWD|APIKEY)|PASS|SSHPASS|KEY|AUTH|AUTHORIZATION|COOKIE|PRIVATE|CREDENTIAL|CREDS|PAT)S?(?![A-Z0-9])/;
/**
 * Secret-sounding names that hold no secret: `PWD`/`OLDPWD` (the working directory),
 * `GPG_KEY` (the fingerprint official Docker images verify releases with),
 * `GOOGLE_APPLICATION_CREDENTIALS` (a path), public keys (`NEXT_PUBLIC_API_KEY`,
 * `SSH_PUBLIC_KEY`), and names whose last word says what they hold instead: where the
 * secret is or where it is used (`SSH_AUTH_SOCK`, `_FILE`, `_DIR`, `_URL`, `AUTH_DOMAIN`,
 * `TOKEN_ENDPOINT`), whose it is (`AWS_ACCESS_KEY_ID`, `_USER`), or its shape (`KEY_SIZE`,
 * `TOKEN_TYPE`, `TOKEN_LIMIT`).
 */
const NOT_SECRET_NAME = /^(?:OLD)?PWD$|^GPG_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$|(?:^|[^A-Z0-9])PUBLIC[^A-Z0-9]|[^A-Z0-9](?:FILE|PATH|DIR|DIRECTORY|SOCK|URL|HOST|DOMAIN|SERVER|ENDPOINT|REGION|PORT|ID|NAME|USER|USERNAME|EMAIL|SCOPE|MODE|TYPE|VERSION|LEN|LENGTH|SIZE|BITS|LIMIT|COUNT|MIN|MAX|TIMEOUT)S?$/;
/** `DB_PASSWORD`, `apiKey`, `sonar.token` → true; `PWD`, `SSH_AUTH_SOCK`, `CFLAGS`, `KEY_SIZE` → false. Environment variables and assignment names alike. */
function isSecretName(name) {
    const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
    return SECRET_WORD.test(words) && !NOT_SECRET_NAME.test(words);
}

/**
 * The one redactor: credentials out of every argument, path and command ioana stores,
 * prints or uploads, applied before anything is written. It knows token formats, the
 * options, headers, assignments and JSON members that carry secrets, how a few programs
 * take passwords, and the values of the environment's secrets (given by the edge that
 * read the environment). What it replaces becomes `{redacted}`; the option, header or
 * name before it stays, so a reader sees what was there.
 *
 * The token formats are our own expressions, written from gitleaks' rules
 * (github.com/gitleaks/gitleaks, cmd/generate/config/rules/, MIT licence) and checked
 * against secretlint's recommended preset (MIT). Neither is a dependency: gitleaks is Go,
 * and secretlint's engine is asynchronous and file-oriented (`lintSource` returns a
 * promise, rules load through a config) while this runs synchronously on every argument
 * of a build; bundling it would cost more than the dozen formats below. Both tune for
 * source files (entropy, keywords, allow-lists). Arguments and paths need only a prefix
 * and a length, and no generic high-entropy rule: it would eat hashes and git SHAs and
 * make baselines noisy.
 *
 * Every expression takes linear time: the one nested quantifier (`WORD`) ends its pattern,
 * so it is never backtracked into, and a run that may fail and start again further on (a
 * name, a JSON key, a lookahead, the rest of a command) is bounded.
 */
const R = TOKEN.redacted;
/**
 * Known token formats, a vendor prefix and a length each: `ghp_…`, `AKIA…`, `eyJ….eyJ….…` → `{redacted}`.
 * Lengths are minimums where the vendor may lengthen its tokens, exact where gitleaks has
 * them exact and a prefix alone would be common (`ASIAPACIFIC…` is not an AWS key).
 */
const TOKEN_FORMATS = new RegExp([
    String.raw `gh[pousr]_[A-Za-z0-9]{20,}`, // GitHub personal, OAuth, user-to-server, server-to-server, refresh (36 today)
    String.raw `github_pat_[A-Za-z0-9]{20,}_[A-Za-z0-9]{40,}`, // GitHub fine-grained (22_59 today)
    String.raw `(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])`, // AWS access key id
    String.raw `xox[abeoprs]-(?=[A-Za-z0-9-]{0,20}\d)[A-Za-z0-9-]{10,}`, // Slack bot, user, workspace, refresh…: numbered segments
    String.raw `xapp-\d-[A-Za-z0-9-]{10,}`, // Slack app-level
    String.raw `[rs]k_(?:live|test)_[A-Za-z0-9]{20,}`, // Stripe secret and restricted keys (pk_ keys are public)
    String.raw `AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`, // Google API key, 39 characters
    String.raw `npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, // npm
    String.raw `eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_=-]*`, // JWT: `{"` header, `{"` payload, signature (empty for alg none)
].join('|'), 'g');
/**
 * `-----BEGIN RSA PRIVATE KEY-----\nMII…\n-----END RSA PRIVATE KEY-----` →
 * `-----BEGIN RSA PRIVATE KEY-----{redacted}-----END RSA PRIVATE KEY-----`, with real or
 * escaped newlines. A block without its end (strace cut it) goes up to its closing quote, or the end.
 */
const PRIVATE_KEY_BLOCK = /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)(?:[^'"]*?(-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)|[^'"]*)/g;
/** `Authorization: Bearer ` (any scheme, which stays) or `Authorization: ` (none). */
const AUTHORIZATION = String.raw `(?:Proxy-)?Authorization\s*:\s*(?:[A-Za-z]{2,20}\s+(?=[^\s'"]))?`;
/** `X-Api-Key: `, `Private-Token: `, `Cookie: `: headers that are all credential. */
const CREDENTIAL_HEADER = String.raw `(?:(?:X-)?(?:Api-?Key|Api-Token|Auth-Token|Access-Token)|Private-Token|Job-Token|Deploy-Token|(?:Set-)?Cookie)\s*:\s*`;
/**
 * `Authorization: Bearer abc` → `Authorization: Bearer {redacted}`, `Cookie: sid=abc` →
 * `Cookie: {redacted}`: the credential goes, however short, up to the end of the header
 * or (in a script) its closing quote. A header starts a word (`-H 'X-Auth-Token: …'`,
 * `extraheader=AUTHORIZATION: …`), so `https://x-access-token:…@` is a URL.
 */
const HEADER = new RegExp(String.raw `(?<![^\s'"=,;])(${AUTHORIZATION}|${CREDENTIAL_HEADER})[^'"\r\n]+`, 'gi');
/** A header that is a whole argument (`curl -H 'Authorization: Digest a="b"'`): the rest is its value, quotes and all. */
const HEADER_ARGUMENT = new RegExp(String.raw `^(${AUTHORIZATION}|${CREDENTIAL_HEADER})(?=.)`, 'is');
/** `--header=Bearer abc.def-123`: a bearer token outside its header → `Bearer {redacted}`. */
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** `https://bot:pw@host/x` → `https://bot:{redacted}@host/x`; the password may hold `@` (the last one ends it), `redis://:pw@host` has no user. */
const URL_PASSWORD = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@'"]*:)[^/\s'"]*@/g;
/**
 * Options that take a secret: `--password`, `--db-pass`, `--github-token`, `--client-secret`,
 * `--api-key`, `-apiKey`, `-storepass`, `-passin`, `--auth`, `--cookie`. Not flags that
 * merely mention one: `--no-password`, `--ask-pass` (ansible), `--password-stdin`,
 * `--password-file`, `--token-limit`, `--jobserver-auth`, `-passes` (LLVM).
 */
const SECRET_OPTION = String.raw `--?(?!no-|ask-)(?:[a-z0-9-]*?(?:password|passwd|passphrase|pass(?:in|out)?|token|secret|api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|credentials?)|auth|cookie|oauth2-bearer)`;
/** `--password=hunter2`, `--token:abc`, `--password='a b'` in a script → `--password={redacted}`. */
const OPTION_JOINED = new RegExp(String.raw `(?<![\w-])(${SECRET_OPTION})([=:])(${WORD$1})`, 'gi');
/** `--password hunter2` in a script → `--password {redacted}`; a following option is not its value (`--password --verbose`). */
const OPTION_SEPARATE = new RegExp(String.raw `(?<![\w-])(${SECRET_OPTION})([ \t]+)(?!--)(${WORD$1})`, 'gi');
/** An argument that is one such option, its value the next argument: `--password`. */
const OPTION_ALONE = new RegExp(String.raw `^${SECRET_OPTION}$`, 'i');
/** An argument that is option and value, the value all the rest (an argument is one word, spaces and all): `--password=a b`. */
const OPTION_AND_VALUE = new RegExp(String.raw `^(${SECRET_OPTION})([=:])(.+)$`, 'is');
/** `docker build --secret id=npmrc,src=.npmrc` names a secret and where it comes from; it is not one. */
const SECRET_SPEC = /^(?:id|src|source|env|type|target|required)=[^\s'"]*$/;
/** `--secret`, `id=npmrc,src=.npmrc` → true; `--token`, `abc` → false. */
const isSecretSpec = (option, value) => /secret$/i.test(option) && SECRET_SPEC.test(value);
/** `PGPASSWORD=`, `-Ddb.password=`, `?access_token=`, `:_authToken=`: an assignment's name; its value follows (`ASSIGNMENT_VALUE`). */
const ASSIGNMENT_NAME = /(?<=^|[\s'"?&;,:=]|-D)([A-Za-z_][\w.-]{0,99})=/g;
const ASSIGNMENT_VALUE = new RegExp(WORD$1, 'y');
/** `PGPASSWORD=a b`, `-Dgpg.passphrase=x` as a whole argument: the value is all the rest. */
const ASSIGNMENT_ARGUMENT = /^((?:-D)?([A-Za-z_][\w.-]*))=(.+)$/s;
/** `-DUSE_AUTH=ON`, `WITH_KEY=1`: a switch, not a secret, whatever its name. */
const SWITCH_VALUE = /^['"]?(?:on|off|yes|no|true|false|[01])['"]?$/i;
/** `{"password":"x"}` → `{"password":"{redacted}"}` (JSON in an argument), the member's name said secret; a string strace cut has no closing quote. */
const JSON_MEMBER = /"([^"\\]{1,100})"(\s*:\s*)"([^"\\]*(?:\\.[^"\\]*)*)("?)/g;
/** `{\"token\":\"y\"}` (JSON inside a double-quoted script) → `{\"token\":\"{redacted}\"}`. */
const ESCAPED_JSON_MEMBER = /\\"([^"\\]{1,100})\\"(\s*:\s*)\\"((?:[^"\\]|\\[^"])*)((?:\\")?)/g;
/**
 * `a DB_PASS=x b` → `a DB_PASS={redacted} b`. By hand rather than one `replace`, so that
 * an assignment whose name is not secret hides nothing inside its value (`A="DB_PASS=x"`).
 */
function redactAssignments(text) {
    let out = '';
    let done = 0;
    for (const m of text.matchAll(ASSIGNMENT_NAME)) {
        if (m.index < done || !isSecretName(m[1]))
            continue;
        const at = m.index + m[0].length;
        ASSIGNMENT_VALUE.lastIndex = at;
        const value = ASSIGNMENT_VALUE.exec(text)?.[0];
        if (value === undefined || SWITCH_VALUE.test(value))
            continue;
        out += text.slice(done, at) + R;
        done = at + value.length;
    }
    return out + text.slice(done);
}
/** `{"password":"x"}` member → its value redacted when the name says secret. */
const jsonMember = (quote) => (all, name, colon, _value, close) => isSecretName(name) ? `${quote}${name}${quote}${colon}${quote}${R}${close}` : all;
/** Distinct strings remembered per redactor; past this the memo starts over (a build's distinct arguments are thousands). */
const MEMO_LIMIT = 50_000;
class Redactor {
    /** Longest first, so that a secret that contains another is redacted whole. */
    secrets;
    /** Builds repeat their arguments (`-c`, `-I…`, one `-o` per object): each distinct one is redacted once. */
    memo = new Map();
    /** @param secrets values that are secret wherever they appear (the environment's tokens); empty ones are ignored. */
    constructor(secrets = []) {
        this.secrets = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    }
    /**
     * Any string: an argument, a path, a script, a command line. `--token=abc123…` →
     * `--token={redacted}`; `https://bot:pw@host` → `https://bot:{redacted}@host`;
     * `sh -c 'mysql -psecret'` → `sh -c 'mysql -p{redacted}'`. Idempotent.
     */
    text(text) {
        const known = this.memo.get(text);
        if (known !== undefined)
            return known;
        let t = text;
        for (const secret of this.secrets)
            if (t.includes(secret))
                t = t.split(secret).join(R);
        // Each rule only where its marker is: this runs on every argument and path of a
        // build, and most (`-c`, `src/a.c`) have none.
        if (t.includes('-----BEGIN'))
            t = t.replace(PRIVATE_KEY_BLOCK, `$1${R}$2`);
        t = t.replace(TOKEN_FORMATS, R);
        if (t.includes(':'))
            t = t.replace(HEADER, `$1${R}`).replace(URL_PASSWORD, `$1${R}@`);
        if (t.includes('Bearer'))
            t = t.replace(BEARER, `Bearer ${R}`);
        for (const { hint, rule, redact } of SCRIPT_RULES)
            if (hint.test(t))
                t = t.replace(rule, redact);
        if (t.includes('-')) {
            t = t
                .replace(OPTION_JOINED, (all, option, sep, value) => (isSecretSpec(option, value) ? all : option + sep + R))
                .replace(OPTION_SEPARATE, (all, option, gap, value) => isSecretSpec(option, value) ? all : option + gap + R);
        }
        if (t.includes('='))
            t = redactAssignments(t);
        if (t.includes('"'))
            t = t.replace(JSON_MEMBER, jsonMember('"')).replace(ESCAPED_JSON_MEMBER, jsonMember('\\"'));
        if (this.memo.size >= MEMO_LIMIT)
            this.memo.clear();
        this.memo.set(text, t);
        return t;
    }
    /**
     * A program's arguments, each redacted by `text` and then given to `each` (canonical
     * rules; default: unchanged). Redaction comes first so that rewrites such as `{pid}` in
     * the middle of a token cannot hide it. On top of `text`, argument by argument: a secret
     * option's value in the next argument (`--password`, `X`); an option or assignment that
     * is the whole argument takes all the rest (`--password=a b`); and the programs that take
     * passwords their own way, also wrapped (`sudo mysql -pX`, `sshpass -p X`,
     * `docker login -p X`, `curl -u user:pw`).
     */
    argv(exe, argv, each = (a) => a) {
        let program = passwordProgram(exe);
        let active = program !== undefined && program.after === undefined;
        /** What to make of the next argument when this one takes a value: redacted, or undefined when it is not the value. */
        let next;
        const plain = (a) => each(this.text(a));
        return argv.map((arg, i) => {
            const taken = next?.(arg);
            next = undefined;
            if (taken !== undefined)
                return taken;
            if (i === 0)
                return plain(arg);
            const named = passwordProgram(arg);
            if (named) {
                program = named;
                active = named.after === undefined;
                return plain(arg);
            }
            if (program && !active && arg === program.after)
                active = true;
            else if (program?.wraps && !arg.startsWith('-'))
                program = undefined;
            if (program && active) {
                if (program.p && /^-p.+/s.test(arg))
                    return `-p${R}`;
                if (program.p && arg === '-p') {
                    next = program.p === 'glued-or-next' ? () => R : (a) => (a.startsWith('-') ? undefined : R);
                    return arg;
                }
                if (program.user && /^(?:-[uU]|--user|--proxy-user)$/.test(arg)) {
                    next = (a) => plain(userPassword(a));
                    return arg;
                }
                const user = program.user ? /^(-[uU]|--(?:proxy-)?user=)(.+)$/s.exec(arg) : null;
                if (user)
                    return plain(user[1] + userPassword(user[2]));
            }
            const header = HEADER_ARGUMENT.exec(arg);
            if (header)
                return header[1] + R;
            const option = OPTION_AND_VALUE.exec(arg);
            if (option && !isSecretSpec(option[1], option[3]))
                return option[1] + option[2] + R;
            const assignment = ASSIGNMENT_ARGUMENT.exec(arg);
            if (assignment && isSecretName(assignment[2]) && !SWITCH_VALUE.test(assignment[3]))
                return `${assignment[1]}=${R}`;
            if (OPTION_ALONE.test(arg) && !(program?.prompts && /^--?pass(?:word|wd)?$/.test(arg))) {
                // `--password --verbose`: a long option is the next option, not a password.
                next = (a) => (a.startsWith('--') ? undefined : isSecretSpec(arg, a) ? plain(a) : R);
            }
            return plain(arg);
        });
    }
}
/** Redacts nothing the environment holds, only the known formats. */
const FORMAT_REDACTOR = new Redactor();

/** Escaping for what reaches Markdown, HTML and Mermaid: paths come from the build, and a build can name files anything. */
/** For HTML text and attributes, and Markdown table cells (`|` would split the cell, backticks open code). */
/** For a Mermaid label inside double quotes: entity codes, no line breaks, no fence-closing backticks. */
function mermaid(text) {
    return text
        .replace(/[&"<>#`]/g, (c) => ({ '&': '#amp;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;', '`': '#96;' })[c])
        .replace(/[\r\n\t]+/g, ' ');
}
/** `make -j2` → `'make -j2'`; a single quote inside is closed, escaped and reopened. */
function shellQuote(text) {
    if (/^[A-Za-z0-9_./:=@%+-]+$/.test(text))
        return text;
    return `'${text.replace(/'/g, `'\\''`)}'`;
}
/**
 * Characters a terminal or the runner would act on rather than show: C0 controls (line
 * breaks, escape sequences, carriage returns that overwrite a line), DEL, C1 controls,
 * and the bidirectional overrides that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/**
 * A string from the build, safe to print on one line of a terminal or a CI log: every
 * unsafe character shown as `\xNN` or `\u{NNNN}`, and a leading `::` (a workflow command,
 * when the CLI runs in a `run:` step) written `\x3a:`.
 * `"\u001b[31mred"` → `\x1b[31mred`; `"::error::x"` → `\x3a:error::x`.
 */
function terminal(text) {
    const shown = text.replace(UNSAFE, (c) => {
        const n = c.charCodeAt(0);
        return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
    });
    return shown.startsWith('::') ? `\\x3a${shown.slice(1)}` : shown;
}

/**
 * Globs for `.ioana.yml` (`ignore`, `collapse`, `severity`): `**` matches across
 * slashes, `*` within one path segment, `?` one character. Braces are literal, so
 * that `{workspace}/**` names the token.
 */
/** `{workspace}/node_modules/*\/**` → a RegExp anchored at both ends. */
function globToRegExp(glob) {
    let re = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*') {
            if (glob[i + 1] === '*') {
                i++;
                // `a/**/b` also matches `a/b`.
                if (glob[i + 1] === '/') {
                    i++;
                    re += '(?:.*/)?';
                }
                else {
                    re += '.*';
                }
            }
            else {
                re += '[^/]*';
            }
        }
        else if (c === '?') {
            re += '[^/]';
        }
        else {
            re += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
        }
    }
    return new RegExp(`^${re}$`);
}
/** Does `glob` match every path (`**`, `/**`, `*`…)? Such an `ignore` would hide the whole build. */
function matchesEverything(glob) {
    const re = globToRegExp(glob);
    return ['/etc/passwd', '{workspace}/src/a.c', '{home}/.ssh/id_rsa', 'tcp://1.2.3.4:80'].every((p) => re.test(p));
}
/**
 * `{workspace}/node_modules/*\/**` applied to `{workspace}/node_modules/lodash/fp/map.js`
 * → `{workspace}/node_modules/lodash/**`: the glob's fixed part and its single-star
 * segments, then `/**`. Returns undefined when the glob does not match.
 */
function collapseWith(glob, path) {
    const starStar = glob.indexOf('**');
    if (starStar < 0)
        return globToRegExp(glob).test(path) ? glob : undefined;
    if (!globToRegExp(glob).test(path))
        return undefined;
    const head = glob.slice(0, starStar).replace(/\/$/, '');
    const segments = head.split('/');
    const parts = path.split('/');
    if (parts.length <= segments.length)
        return undefined;
    return [...parts.slice(0, segments.length), '**'].join('/');
}

/** Path arithmetic on strings (POSIX), for resolving what the traced calls name. */
/** `//`, `/./` or `/../` somewhere, or a `.`/`..` at the end: needs the general resolver. */
const NEEDS_NORMALIZING = /\/\/|\/\.\.?(?:\/|$)/;
/**
 * `('/w/src', '../a//b/./c')` → `/w/a/b/c`; an absolute `p` ignores `base`. Most paths
 * in a trace are already normal: those are joined without the general resolver.
 */
function resolvePath(base, p) {
    const joined = p.startsWith('/') ? p : `${base || ''}/${p}`;
    if (!NEEDS_NORMALIZING.test(joined) && !joined.startsWith('./') && joined.startsWith('/')) {
        return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
    }
    return posix.resolve(base || '/', p);
}
/** `/w/a/b` under `/w` → true; `/w2/x` under `/w` → false. */
function isUnder(path, root) {
    if (root === '/')
        return path.startsWith('/');
    return path === root || path.startsWith(root.endsWith('/') ? root : root + '/');
}
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Where `root` starts a path inside a text (`-I/w/include`, `--root=/w:extra`), not
 * inside a longer name (`/w2`): the root followed by `/`, the end, or a character that
 * cannot continue a file name's word (`:`, `=`, `,`, a quote…). Global.
 */
function rootPattern(root) {
    return new RegExp(`${escapeRe(root)}(?=/|$|[^A-Za-z0-9._-])`, 'g');
}

/** Small collection helpers shared by the stages. */
/** Adds `value` to the list at `key`, in place (a header can reach thousands of outputs). */
function append(map, key, value) {
    const list = map.get(key);
    if (list)
        list.push(value);
    else
        map.set(key, [value]);
}
/**
 * `s` as a string of its own. V8 keeps a substring as a view into the string it was cut
 * from, so a path kept from one line of a log would keep the whole chunk the line was
 * read in alive (on a 2.4 M-line log: 318 MB of chunks held, 72 MB without); the model
 * calls this where it keeps a string beyond the line.
 * Joining forces a flat copy of these characters only (slices shorter than 13
 * characters are copies already).
 */
function own(s) {
    return s.length < 13 ? s : (' ' + s).slice(1);
}
/** Stable sort for strings: by code unit, so that every machine sorts alike. */
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Credential and identity files (DESIGN §1.7): a new read of one of these is a failing
 * finding of its own kind (`credential-read`), whatever the system-path rule would say
 * of it. Globs over canonical paths (`{home}` is the build's home, `/proc/{pid}` any
 * process): what a build should not start reading without a reviewer noticing.
 */
const CREDENTIAL_GLOBS = [
    // accounts and privileges
    '/etc/passwd',
    '/etc/shadow',
    '/etc/gshadow',
    '/etc/sudoers',
    '/etc/sudoers.d/**',
    // keys and tokens in the home directory
    '{home}/.ssh/**',
    '{home}/.aws/**',
    '{home}/.azure/**',
    '{home}/.config/gcloud/**',
    '{home}/.docker/config.json',
    '{home}/.netrc',
    '{home}/.git-credentials',
    '{home}/.config/git/credentials',
    '{home}/.config/gh/**',
    '{home}/.kube/**',
    '{home}/.gnupg/**',
    '{home}/.npmrc',
    '{home}/.pypirc',
    '{home}/.cargo/credentials',
    '{home}/.cargo/credentials.toml',
    // other processes' secrets
    '/proc/*/environ',
    '/proc/*/mem',
    '/proc/*/task/*/environ',
    '/proc/*/task/*/mem',
    // secrets mounted into containers
    '/run/secrets/**',
    '/var/run/secrets/**',
    // the runner's own directories: its credentials, and the step files of other steps
    '{home}/runners/**',
    '{home}/actions-runner/**',
    '**/.credentials',
    '**/.credentials_rsaparams',
    '**/.runner',
    '{tmp}/_runner_file_commands/**',
];
const PATTERNS = CREDENTIAL_GLOBS.map(globToRegExp);
/** `{home}/.ssh/id_rsa` → true; `/etc/hosts` → false. */
const isCredentialPath = (path) => PATTERNS.some((re) => re.test(path));

/**
 * Baseline → YAML text. Written by hand rather than by a generic dumper so that the
 * layout never changes under us: one entry per line, sorted, strings always
 * double-quoted (JSON's quoting is valid YAML), nothing that differs between machines.
 */
const q = (s) => JSON.stringify(s);
function counted(c, runs) {
    return c.seen >= runs ? q(c.value) : `{ path: ${q(c.value)}, seen: ${c.seen} }`;
}
function list(name, items, runs, indent = '') {
    if (items.length === 0)
        return [`${indent}${name}: []`];
    return [`${indent}${name}:`, ...items.map((c) => `${indent}  - ${counted(c, runs)}`)];
}
/** Where editors find the baseline's JSON Schema (schemas/baseline.schema.json at the action's major version). */
const BASELINE_SCHEMA_URL = 'https://raw.githubusercontent.com/ioana/action/v1/schemas/baseline.schema.json';
const BASELINE_HEADER = [
    `# yaml-language-server: $schema=${BASELINE_SCHEMA_URL}`,
    '# ioana baseline: the canonical dataflow of a build (inputs, outputs and what each',
    '# output is made from, programs, network endpoints). Written by `ioana update`;',
    '# review changes to it like code. `seen: k` marks an entry seen in k of `runs` runs.',
];
function renderBaseline(b) {
    const lines = [...BASELINE_HEADER, `version: ${b.version}`, `runs: ${b.runs}`];
    lines.push(...list('inputs', b.inputs, b.runs));
    if (b.outputs.length === 0)
        lines.push('outputs: []');
    else {
        lines.push('outputs:');
        for (const o of b.outputs) {
            lines.push(`  - path: ${q(o.path)}`);
            if (o.seen < b.runs)
                lines.push(`    seen: ${o.seen}`);
            lines.push(...list('from', o.from, o.seen, '    '));
        }
    }
    if (b.programs.length === 0)
        lines.push('programs: []');
    else {
        lines.push('programs:');
        for (const p of [...b.programs].sort((x, y) => (programKey(x) < programKey(y) ? -1 : 1))) {
            lines.push(`  - exe: ${q(p.exe)}`);
            lines.push(`    argv: [${p.argv.map(q).join(', ')}]`);
            lines.push(`    count: ${p.count}`);
            if (p.seen < b.runs)
                lines.push(`    seen: ${p.seen}`);
        }
    }
    lines.push(...list('endpoints', b.endpoints, b.runs));
    if (b.modified.length > 0)
        lines.push(...list('modified', b.modified, b.runs));
    return lines.join('\n') + '\n';
}

var dist = {};

var composer = {};

var directives = {};

var identity = {};

var hasRequiredIdentity;

function requireIdentity () {
	if (hasRequiredIdentity) return identity;
	hasRequiredIdentity = 1;

	const ALIAS = Symbol.for('yaml.alias');
	const DOC = Symbol.for('yaml.document');
	const MAP = Symbol.for('yaml.map');
	const PAIR = Symbol.for('yaml.pair');
	const SCALAR = Symbol.for('yaml.scalar');
	const SEQ = Symbol.for('yaml.seq');
	const NODE_TYPE = Symbol.for('yaml.node.type');
	const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
	const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
	const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
	const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
	const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
	const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
	function isCollection(node) {
	    if (node && typeof node === 'object')
	        switch (node[NODE_TYPE]) {
	            case MAP:
	            case SEQ:
	                return true;
	        }
	    return false;
	}
	function isNode(node) {
	    if (node && typeof node === 'object')
	        switch (node[NODE_TYPE]) {
	            case ALIAS:
	            case MAP:
	            case SCALAR:
	            case SEQ:
	                return true;
	        }
	    return false;
	}
	const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

	identity.ALIAS = ALIAS;
	identity.DOC = DOC;
	identity.MAP = MAP;
	identity.NODE_TYPE = NODE_TYPE;
	identity.PAIR = PAIR;
	identity.SCALAR = SCALAR;
	identity.SEQ = SEQ;
	identity.hasAnchor = hasAnchor;
	identity.isAlias = isAlias;
	identity.isCollection = isCollection;
	identity.isDocument = isDocument;
	identity.isMap = isMap;
	identity.isNode = isNode;
	identity.isPair = isPair;
	identity.isScalar = isScalar;
	identity.isSeq = isSeq;
	return identity;
}

var visit = {};

var hasRequiredVisit;

function requireVisit () {
	if (hasRequiredVisit) return visit;
	hasRequiredVisit = 1;

	var identity = requireIdentity();

	const BREAK = Symbol('break visit');
	const SKIP = Symbol('skip children');
	const REMOVE = Symbol('remove node');
	/**
	 * Apply a visitor to an AST node or document.
	 *
	 * Walks through the tree (depth-first) starting from `node`, calling a
	 * `visitor` function with three arguments:
	 *   - `key`: For sequence values and map `Pair`, the node's index in the
	 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
	 *     `null` for the root node.
	 *   - `node`: The current node.
	 *   - `path`: The ancestry of the current node.
	 *
	 * The return value of the visitor may be used to control the traversal:
	 *   - `undefined` (default): Do nothing and continue
	 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
	 *     sibling
	 *   - `visit.BREAK`: Terminate traversal completely
	 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
	 *   - `Node`: Replace the current node, then continue by visiting it
	 *   - `number`: While iterating the items of a sequence or map, set the index
	 *     of the next step. This is useful especially if the index of the current
	 *     node has changed.
	 *
	 * If `visitor` is a single function, it will be called with all values
	 * encountered in the tree, including e.g. `null` values. Alternatively,
	 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
	 * `Alias` and `Scalar` node. To define the same visitor function for more than
	 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
	 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
	 * specific defined one will be used for each node.
	 */
	function visit$1(node, visitor) {
	    const visitor_ = initVisitor(visitor);
	    if (identity.isDocument(node)) {
	        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
	        if (cd === REMOVE)
	            node.contents = null;
	    }
	    else
	        visit_(null, node, visitor_, Object.freeze([]));
	}
	// Without the `as symbol` casts, TS declares these in the `visit`
	// namespace using `var`, but then complains about that because
	// `unique symbol` must be `const`.
	/** Terminate visit traversal completely */
	visit$1.BREAK = BREAK;
	/** Do not visit the children of the current node */
	visit$1.SKIP = SKIP;
	/** Remove the current node */
	visit$1.REMOVE = REMOVE;
	function visit_(key, node, visitor, path) {
	    const ctrl = callVisitor(key, node, visitor, path);
	    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
	        replaceNode(key, path, ctrl);
	        return visit_(key, ctrl, visitor, path);
	    }
	    if (typeof ctrl !== 'symbol') {
	        if (identity.isCollection(node)) {
	            path = Object.freeze(path.concat(node));
	            for (let i = 0; i < node.items.length; ++i) {
	                const ci = visit_(i, node.items[i], visitor, path);
	                if (typeof ci === 'number')
	                    i = ci - 1;
	                else if (ci === BREAK)
	                    return BREAK;
	                else if (ci === REMOVE) {
	                    node.items.splice(i, 1);
	                    i -= 1;
	                }
	            }
	        }
	        else if (identity.isPair(node)) {
	            path = Object.freeze(path.concat(node));
	            const ck = visit_('key', node.key, visitor, path);
	            if (ck === BREAK)
	                return BREAK;
	            else if (ck === REMOVE)
	                node.key = null;
	            const cv = visit_('value', node.value, visitor, path);
	            if (cv === BREAK)
	                return BREAK;
	            else if (cv === REMOVE)
	                node.value = null;
	        }
	    }
	    return ctrl;
	}
	/**
	 * Apply an async visitor to an AST node or document.
	 *
	 * Walks through the tree (depth-first) starting from `node`, calling a
	 * `visitor` function with three arguments:
	 *   - `key`: For sequence values and map `Pair`, the node's index in the
	 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
	 *     `null` for the root node.
	 *   - `node`: The current node.
	 *   - `path`: The ancestry of the current node.
	 *
	 * The return value of the visitor may be used to control the traversal:
	 *   - `Promise`: Must resolve to one of the following values
	 *   - `undefined` (default): Do nothing and continue
	 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
	 *     sibling
	 *   - `visit.BREAK`: Terminate traversal completely
	 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
	 *   - `Node`: Replace the current node, then continue by visiting it
	 *   - `number`: While iterating the items of a sequence or map, set the index
	 *     of the next step. This is useful especially if the index of the current
	 *     node has changed.
	 *
	 * If `visitor` is a single function, it will be called with all values
	 * encountered in the tree, including e.g. `null` values. Alternatively,
	 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
	 * `Alias` and `Scalar` node. To define the same visitor function for more than
	 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
	 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
	 * specific defined one will be used for each node.
	 */
	async function visitAsync(node, visitor) {
	    const visitor_ = initVisitor(visitor);
	    if (identity.isDocument(node)) {
	        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
	        if (cd === REMOVE)
	            node.contents = null;
	    }
	    else
	        await visitAsync_(null, node, visitor_, Object.freeze([]));
	}
	// Without the `as symbol` casts, TS declares these in the `visit`
	// namespace using `var`, but then complains about that because
	// `unique symbol` must be `const`.
	/** Terminate visit traversal completely */
	visitAsync.BREAK = BREAK;
	/** Do not visit the children of the current node */
	visitAsync.SKIP = SKIP;
	/** Remove the current node */
	visitAsync.REMOVE = REMOVE;
	async function visitAsync_(key, node, visitor, path) {
	    const ctrl = await callVisitor(key, node, visitor, path);
	    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
	        replaceNode(key, path, ctrl);
	        return visitAsync_(key, ctrl, visitor, path);
	    }
	    if (typeof ctrl !== 'symbol') {
	        if (identity.isCollection(node)) {
	            path = Object.freeze(path.concat(node));
	            for (let i = 0; i < node.items.length; ++i) {
	                const ci = await visitAsync_(i, node.items[i], visitor, path);
	                if (typeof ci === 'number')
	                    i = ci - 1;
	                else if (ci === BREAK)
	                    return BREAK;
	                else if (ci === REMOVE) {
	                    node.items.splice(i, 1);
	                    i -= 1;
	                }
	            }
	        }
	        else if (identity.isPair(node)) {
	            path = Object.freeze(path.concat(node));
	            const ck = await visitAsync_('key', node.key, visitor, path);
	            if (ck === BREAK)
	                return BREAK;
	            else if (ck === REMOVE)
	                node.key = null;
	            const cv = await visitAsync_('value', node.value, visitor, path);
	            if (cv === BREAK)
	                return BREAK;
	            else if (cv === REMOVE)
	                node.value = null;
	        }
	    }
	    return ctrl;
	}
	function initVisitor(visitor) {
	    if (typeof visitor === 'object' &&
	        (visitor.Collection || visitor.Node || visitor.Value)) {
	        return Object.assign({
	            Alias: visitor.Node,
	            Map: visitor.Node,
	            Scalar: visitor.Node,
	            Seq: visitor.Node
	        }, visitor.Value && {
	            Map: visitor.Value,
	            Scalar: visitor.Value,
	            Seq: visitor.Value
	        }, visitor.Collection && {
	            Map: visitor.Collection,
	            Seq: visitor.Collection
	        }, visitor);
	    }
	    return visitor;
	}
	function callVisitor(key, node, visitor, path) {
	    if (typeof visitor === 'function')
	        return visitor(key, node, path);
	    if (identity.isMap(node))
	        return visitor.Map?.(key, node, path);
	    if (identity.isSeq(node))
	        return visitor.Seq?.(key, node, path);
	    if (identity.isPair(node))
	        return visitor.Pair?.(key, node, path);
	    if (identity.isScalar(node))
	        return visitor.Scalar?.(key, node, path);
	    if (identity.isAlias(node))
	        return visitor.Alias?.(key, node, path);
	    return undefined;
	}
	function replaceNode(key, path, node) {
	    const parent = path[path.length - 1];
	    if (identity.isCollection(parent)) {
	        parent.items[key] = node;
	    }
	    else if (identity.isPair(parent)) {
	        if (key === 'key')
	            parent.key = node;
	        else
	            parent.value = node;
	    }
	    else if (identity.isDocument(parent)) {
	        parent.contents = node;
	    }
	    else {
	        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
	        throw new Error(`Cannot replace node with ${pt} parent`);
	    }
	}

	visit.visit = visit$1;
	visit.visitAsync = visitAsync;
	return visit;
}

var hasRequiredDirectives;

function requireDirectives () {
	if (hasRequiredDirectives) return directives;
	hasRequiredDirectives = 1;

	var identity = requireIdentity();
	var visit = requireVisit();

	const escapeChars = {
	    '!': '%21',
	    ',': '%2C',
	    '[': '%5B',
	    ']': '%5D',
	    '{': '%7B',
	    '}': '%7D'
	};
	const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
	class Directives {
	    constructor(yaml, tags) {
	        /**
	         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
	         * included in the document's stringified representation.
	         */
	        this.docStart = null;
	        /** The doc-end marker `...`.  */
	        this.docEnd = false;
	        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
	        this.tags = Object.assign({}, Directives.defaultTags, tags);
	    }
	    clone() {
	        const copy = new Directives(this.yaml, this.tags);
	        copy.docStart = this.docStart;
	        return copy;
	    }
	    /**
	     * During parsing, get a Directives instance for the current document and
	     * update the stream state according to the current version's spec.
	     */
	    atDocument() {
	        const res = new Directives(this.yaml, this.tags);
	        switch (this.yaml.version) {
	            case '1.1':
	                this.atNextDocument = true;
	                break;
	            case '1.2':
	                this.atNextDocument = false;
	                this.yaml = {
	                    explicit: Directives.defaultYaml.explicit,
	                    version: '1.2'
	                };
	                this.tags = Object.assign({}, Directives.defaultTags);
	                break;
	        }
	        return res;
	    }
	    /**
	     * @param onError - May be called even if the action was successful
	     * @returns `true` on success
	     */
	    add(line, onError) {
	        if (this.atNextDocument) {
	            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
	            this.tags = Object.assign({}, Directives.defaultTags);
	            this.atNextDocument = false;
	        }
	        const parts = line.trim().split(/[ \t]+/);
	        const name = parts.shift();
	        switch (name) {
	            case '%TAG': {
	                if (parts.length !== 2) {
	                    onError(0, '%TAG directive should contain exactly two parts');
	                    if (parts.length < 2)
	                        return false;
	                }
	                const [handle, prefix] = parts;
	                this.tags[handle] = prefix;
	                return true;
	            }
	            case '%YAML': {
	                this.yaml.explicit = true;
	                if (parts.length !== 1) {
	                    onError(0, '%YAML directive should contain exactly one part');
	                    return false;
	                }
	                const [version] = parts;
	                if (version === '1.1' || version === '1.2') {
	                    this.yaml.version = version;
	                    return true;
	                }
	                else {
	                    const isValid = /^\d+\.\d+$/.test(version);
	                    onError(6, `Unsupported YAML version ${version}`, isValid);
	                    return false;
	                }
	            }
	            default:
	                onError(0, `Unknown directive ${name}`, true);
	                return false;
	        }
	    }
	    /**
	     * Resolves a tag, matching handles to those defined in %TAG directives.
	     *
	     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
	     *   `'!local'` tag, or `null` if unresolvable.
	     */
	    tagName(source, onError) {
	        if (source === '!')
	            return '!'; // non-specific tag
	        if (source[0] !== '!') {
	            onError(`Not a valid tag: ${source}`);
	            return null;
	        }
	        if (source[1] === '<') {
	            const verbatim = source.slice(2, -1);
	            if (verbatim === '!' || verbatim === '!!') {
	                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
	                return null;
	            }
	            if (source[source.length - 1] !== '>')
	                onError('Verbatim tags must end with a >');
	            return verbatim;
	        }
	        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
	        if (!suffix)
	            onError(`The ${source} tag has no suffix`);
	        const prefix = this.tags[handle];
	        if (prefix) {
	            try {
	                return prefix + decodeURIComponent(suffix);
	            }
	            catch (error) {
	                onError(String(error));
	                return null;
	            }
	        }
	        if (handle === '!')
	            return source; // local tag
	        onError(`Could not resolve tag: ${source}`);
	        return null;
	    }
	    /**
	     * Given a fully resolved tag, returns its printable string form,
	     * taking into account current tag prefixes and defaults.
	     */
	    tagString(tag) {
	        for (const [handle, prefix] of Object.entries(this.tags)) {
	            if (tag.startsWith(prefix))
	                return handle + escapeTagName(tag.substring(prefix.length));
	        }
	        return tag[0] === '!' ? tag : `!<${tag}>`;
	    }
	    toString(doc) {
	        const lines = this.yaml.explicit
	            ? [`%YAML ${this.yaml.version || '1.2'}`]
	            : [];
	        const tagEntries = Object.entries(this.tags);
	        let tagNames;
	        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
	            const tags = {};
	            visit.visit(doc.contents, (_key, node) => {
	                if (identity.isNode(node) && node.tag)
	                    tags[node.tag] = true;
	            });
	            tagNames = Object.keys(tags);
	        }
	        else
	            tagNames = [];
	        for (const [handle, prefix] of tagEntries) {
	            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
	                continue;
	            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
	                lines.push(`%TAG ${handle} ${prefix}`);
	        }
	        return lines.join('\n');
	    }
	}
	Directives.defaultYaml = { explicit: false, version: '1.2' };
	Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

	directives.Directives = Directives;
	return directives;
}

var Document = {};

var Alias = {};

var anchors = {};

var hasRequiredAnchors;

function requireAnchors () {
	if (hasRequiredAnchors) return anchors;
	hasRequiredAnchors = 1;

	var identity = requireIdentity();
	var visit = requireVisit();

	/**
	 * Verify that the input string is a valid anchor.
	 *
	 * Will throw on errors.
	 */
	function anchorIsValid(anchor) {
	    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
	        const sa = JSON.stringify(anchor);
	        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
	        throw new Error(msg);
	    }
	    return true;
	}
	function anchorNames(root) {
	    const anchors = new Set();
	    visit.visit(root, {
	        Value(_key, node) {
	            if (node.anchor)
	                anchors.add(node.anchor);
	        }
	    });
	    return anchors;
	}
	/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
	function findNewAnchor(prefix, exclude) {
	    for (let i = 1; true; ++i) {
	        const name = `${prefix}${i}`;
	        if (!exclude.has(name))
	            return name;
	    }
	}
	function createNodeAnchors(doc, prefix) {
	    const aliasObjects = [];
	    const sourceObjects = new Map();
	    let prevAnchors = null;
	    return {
	        onAnchor: (source) => {
	            aliasObjects.push(source);
	            prevAnchors ?? (prevAnchors = anchorNames(doc));
	            const anchor = findNewAnchor(prefix, prevAnchors);
	            prevAnchors.add(anchor);
	            return anchor;
	        },
	        /**
	         * With circular references, the source node is only resolved after all
	         * of its child nodes are. This is why anchors are set only after all of
	         * the nodes have been created.
	         */
	        setAnchors: () => {
	            for (const source of aliasObjects) {
	                const ref = sourceObjects.get(source);
	                if (typeof ref === 'object' &&
	                    ref.anchor &&
	                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
	                    ref.node.anchor = ref.anchor;
	                }
	                else {
	                    const error = new Error('Failed to resolve repeated object (this should not happen)');
	                    error.source = source;
	                    throw error;
	                }
	            }
	        },
	        sourceObjects
	    };
	}

	anchors.anchorIsValid = anchorIsValid;
	anchors.anchorNames = anchorNames;
	anchors.createNodeAnchors = createNodeAnchors;
	anchors.findNewAnchor = findNewAnchor;
	return anchors;
}

var Node = {};

var applyReviver = {};

var hasRequiredApplyReviver;

function requireApplyReviver () {
	if (hasRequiredApplyReviver) return applyReviver;
	hasRequiredApplyReviver = 1;

	/**
	 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
	 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
	 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
	 *
	 * Includes extensions for handling Map and Set objects.
	 */
	function applyReviver$1(reviver, obj, key, val) {
	    if (val && typeof val === 'object') {
	        if (Array.isArray(val)) {
	            for (let i = 0, len = val.length; i < len; ++i) {
	                const v0 = val[i];
	                const v1 = applyReviver$1(reviver, val, String(i), v0);
	                // eslint-disable-next-line @typescript-eslint/no-array-delete
	                if (v1 === undefined)
	                    delete val[i];
	                else if (v1 !== v0)
	                    val[i] = v1;
	            }
	        }
	        else if (val instanceof Map) {
	            for (const k of Array.from(val.keys())) {
	                const v0 = val.get(k);
	                const v1 = applyReviver$1(reviver, val, k, v0);
	                if (v1 === undefined)
	                    val.delete(k);
	                else if (v1 !== v0)
	                    val.set(k, v1);
	            }
	        }
	        else if (val instanceof Set) {
	            for (const v0 of Array.from(val)) {
	                const v1 = applyReviver$1(reviver, val, v0, v0);
	                if (v1 === undefined)
	                    val.delete(v0);
	                else if (v1 !== v0) {
	                    val.delete(v0);
	                    val.add(v1);
	                }
	            }
	        }
	        else {
	            for (const [k, v0] of Object.entries(val)) {
	                const v1 = applyReviver$1(reviver, val, k, v0);
	                if (v1 === undefined)
	                    delete val[k];
	                else if (v1 !== v0)
	                    val[k] = v1;
	            }
	        }
	    }
	    return reviver.call(obj, key, val);
	}

	applyReviver.applyReviver = applyReviver$1;
	return applyReviver;
}

var toJS = {};

var hasRequiredToJS;

function requireToJS () {
	if (hasRequiredToJS) return toJS;
	hasRequiredToJS = 1;

	var identity = requireIdentity();

	/**
	 * Recursively convert any node or its contents to native JavaScript
	 *
	 * @param value - The input value
	 * @param arg - If `value` defines a `toJSON()` method, use this
	 *   as its first argument
	 * @param ctx - Conversion context, originally set in Document#toJS(). If
	 *   `{ keep: true }` is not set, output should be suitable for JSON
	 *   stringification.
	 */
	function toJS$1(value, arg, ctx) {
	    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
	    if (Array.isArray(value))
	        return value.map((v, i) => toJS$1(v, String(i), ctx));
	    if (value && typeof value.toJSON === 'function') {
	        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
	        if (!ctx || !identity.hasAnchor(value))
	            return value.toJSON(arg, ctx);
	        const data = { aliasCount: 0, count: 1, res: undefined };
	        ctx.anchors.set(value, data);
	        ctx.onCreate = res => {
	            data.res = res;
	            delete ctx.onCreate;
	        };
	        const res = value.toJSON(arg, ctx);
	        if (ctx.onCreate)
	            ctx.onCreate(res);
	        return res;
	    }
	    if (typeof value === 'bigint' && !ctx?.keep)
	        return Number(value);
	    return value;
	}

	toJS.toJS = toJS$1;
	return toJS;
}

var hasRequiredNode$1;

function requireNode$1 () {
	if (hasRequiredNode$1) return Node;
	hasRequiredNode$1 = 1;

	var applyReviver = requireApplyReviver();
	var identity = requireIdentity();
	var toJS = requireToJS();

	class NodeBase {
	    constructor(type) {
	        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
	    }
	    /** Create a copy of this node.  */
	    clone() {
	        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
	        if (this.range)
	            copy.range = this.range.slice();
	        return copy;
	    }
	    /** A plain JavaScript representation of this node. */
	    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
	        if (!identity.isDocument(doc))
	            throw new TypeError('A document argument is required');
	        const ctx = {
	            anchors: new Map(),
	            doc,
	            keep: true,
	            mapAsMap: mapAsMap === true,
	            mapKeyWarned: false,
	            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
	        };
	        const res = toJS.toJS(this, '', ctx);
	        if (typeof onAnchor === 'function')
	            for (const { count, res } of ctx.anchors.values())
	                onAnchor(res, count);
	        return typeof reviver === 'function'
	            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
	            : res;
	    }
	}

	Node.NodeBase = NodeBase;
	return Node;
}

var hasRequiredAlias;

function requireAlias () {
	if (hasRequiredAlias) return Alias;
	hasRequiredAlias = 1;

	var anchors = requireAnchors();
	var visit = requireVisit();
	var identity = requireIdentity();
	var Node = requireNode$1();
	var toJS = requireToJS();

	let Alias$1 = class Alias extends Node.NodeBase {
	    constructor(source) {
	        super(identity.ALIAS);
	        this.source = source;
	        Object.defineProperty(this, 'tag', {
	            set() {
	                throw new Error('Alias nodes cannot have tags');
	            }
	        });
	    }
	    /**
	     * Resolve the value of this alias within `doc`, finding the last
	     * instance of the `source` anchor before this node.
	     */
	    resolve(doc, ctx) {
	        if (ctx?.maxAliasCount === 0)
	            throw new ReferenceError('Alias resolution is disabled');
	        let nodes;
	        if (ctx?.aliasResolveCache) {
	            nodes = ctx.aliasResolveCache;
	        }
	        else {
	            nodes = [];
	            visit.visit(doc, {
	                Node: (_key, node) => {
	                    if (identity.isAlias(node) || identity.hasAnchor(node))
	                        nodes.push(node);
	                }
	            });
	            if (ctx)
	                ctx.aliasResolveCache = nodes;
	        }
	        let found = undefined;
	        for (const node of nodes) {
	            if (node === this)
	                break;
	            if (node.anchor === this.source)
	                found = node;
	        }
	        if (found && ctx) {
	            const { anchors, doc, maxAliasCount } = ctx;
	            let data = anchors.get(found);
	            if (!data) {
	                // Resolve anchors for Node.prototype.toJS()
	                toJS.toJS(found, null, ctx);
	                data = anchors.get(found);
	            }
	            /* istanbul ignore if */
	            if (data?.res === undefined) {
	                const msg = 'This should not happen: Alias anchor was not resolved?';
	                throw new ReferenceError(msg);
	            }
	            if (maxAliasCount >= 0) {
	                data.count += 1;
	                if (data.aliasCount === 0)
	                    data.aliasCount = getAliasCount(doc, found, anchors);
	                if (data.count * data.aliasCount > maxAliasCount) {
	                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
	                    throw new ReferenceError(msg);
	                }
	            }
	        }
	        return found;
	    }
	    toJSON(_arg, ctx) {
	        if (!ctx)
	            return { source: this.source };
	        const source = this.resolve(ctx.doc, ctx);
	        if (!source) {
	            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
	            throw new ReferenceError(msg);
	        }
	        return ctx.anchors.get(source).res;
	    }
	    toString(ctx, _onComment, _onChompKeep) {
	        const src = `*${this.source}`;
	        if (ctx) {
	            anchors.anchorIsValid(this.source);
	            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
	                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
	                throw new Error(msg);
	            }
	            if (ctx.implicitKey)
	                return `${src} `;
	        }
	        return src;
	    }
	};
	function getAliasCount(doc, node, anchors) {
	    if (identity.isAlias(node)) {
	        const source = node.resolve(doc);
	        const anchor = anchors && source && anchors.get(source);
	        return anchor ? anchor.count * anchor.aliasCount : 0;
	    }
	    else if (identity.isCollection(node)) {
	        let count = 0;
	        for (const item of node.items) {
	            const c = getAliasCount(doc, item, anchors);
	            if (c > count)
	                count = c;
	        }
	        return count;
	    }
	    else if (identity.isPair(node)) {
	        const kc = getAliasCount(doc, node.key, anchors);
	        const vc = getAliasCount(doc, node.value, anchors);
	        return Math.max(kc, vc);
	    }
	    return 1;
	}

	Alias.Alias = Alias$1;
	return Alias;
}

var Collection = {};

var createNode = {};

var Scalar = {};

var hasRequiredScalar;

function requireScalar () {
	if (hasRequiredScalar) return Scalar;
	hasRequiredScalar = 1;

	var identity = requireIdentity();
	var Node = requireNode$1();
	var toJS = requireToJS();

	const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
	let Scalar$1 = class Scalar extends Node.NodeBase {
	    constructor(value) {
	        super(identity.SCALAR);
	        this.value = value;
	    }
	    toJSON(arg, ctx) {
	        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
	    }
	    toString() {
	        return String(this.value);
	    }
	};
	Scalar$1.BLOCK_FOLDED = 'BLOCK_FOLDED';
	Scalar$1.BLOCK_LITERAL = 'BLOCK_LITERAL';
	Scalar$1.PLAIN = 'PLAIN';
	Scalar$1.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
	Scalar$1.QUOTE_SINGLE = 'QUOTE_SINGLE';

	Scalar.Scalar = Scalar$1;
	Scalar.isScalarValue = isScalarValue;
	return Scalar;
}

var hasRequiredCreateNode;

function requireCreateNode () {
	if (hasRequiredCreateNode) return createNode;
	hasRequiredCreateNode = 1;

	var Alias = requireAlias();
	var identity = requireIdentity();
	var Scalar = requireScalar();

	const defaultTagPrefix = 'tag:yaml.org,2002:';
	function findTagObject(value, tagName, tags) {
	    if (tagName) {
	        const match = tags.filter(t => t.tag === tagName);
	        const tagObj = match.find(t => !t.format) ?? match[0];
	        if (!tagObj)
	            throw new Error(`Tag ${tagName} not found`);
	        return tagObj;
	    }
	    return tags.find(t => t.identify?.(value) && !t.format);
	}
	function createNode$1(value, tagName, ctx) {
	    if (identity.isDocument(value))
	        value = value.contents;
	    if (identity.isNode(value))
	        return value;
	    if (identity.isPair(value)) {
	        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
	        map.items.push(value);
	        return map;
	    }
	    if (value instanceof String ||
	        value instanceof Number ||
	        value instanceof Boolean ||
	        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
	    ) {
	        // https://tc39.es/ecma262/#sec-serializejsonproperty
	        value = value.valueOf();
	    }
	    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
	    // Detect duplicate references to the same object & use Alias nodes for all
	    // after first. The `ref` wrapper allows for circular references to resolve.
	    let ref = undefined;
	    if (aliasDuplicateObjects && value && typeof value === 'object') {
	        ref = sourceObjects.get(value);
	        if (ref) {
	            ref.anchor ?? (ref.anchor = onAnchor(value));
	            return new Alias.Alias(ref.anchor);
	        }
	        else {
	            ref = { anchor: null, node: null };
	            sourceObjects.set(value, ref);
	        }
	    }
	    if (tagName?.startsWith('!!'))
	        tagName = defaultTagPrefix + tagName.slice(2);
	    let tagObj = findTagObject(value, tagName, schema.tags);
	    if (!tagObj) {
	        if (value && typeof value.toJSON === 'function') {
	            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
	            value = value.toJSON();
	        }
	        if (!value || typeof value !== 'object') {
	            const node = new Scalar.Scalar(value);
	            if (ref)
	                ref.node = node;
	            return node;
	        }
	        tagObj =
	            value instanceof Map
	                ? schema[identity.MAP]
	                : Symbol.iterator in Object(value)
	                    ? schema[identity.SEQ]
	                    : schema[identity.MAP];
	    }
	    if (onTagObj) {
	        onTagObj(tagObj);
	        delete ctx.onTagObj;
	    }
	    const node = tagObj?.createNode
	        ? tagObj.createNode(ctx.schema, value, ctx)
	        : typeof tagObj?.nodeClass?.from === 'function'
	            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
	            : new Scalar.Scalar(value);
	    if (tagName)
	        node.tag = tagName;
	    else if (!tagObj.default)
	        node.tag = tagObj.tag;
	    if (ref)
	        ref.node = node;
	    return node;
	}

	createNode.createNode = createNode$1;
	return createNode;
}

var hasRequiredCollection;

function requireCollection () {
	if (hasRequiredCollection) return Collection;
	hasRequiredCollection = 1;

	var createNode = requireCreateNode();
	var identity = requireIdentity();
	var Node = requireNode$1();

	function collectionFromPath(schema, path, value) {
	    let v = value;
	    for (let i = path.length - 1; i >= 0; --i) {
	        const k = path[i];
	        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
	            const a = [];
	            a[k] = v;
	            v = a;
	        }
	        else {
	            v = new Map([[k, v]]);
	        }
	    }
	    return createNode.createNode(v, undefined, {
	        aliasDuplicateObjects: false,
	        keepUndefined: false,
	        onAnchor: () => {
	            throw new Error('This should not happen, please report a bug.');
	        },
	        schema,
	        sourceObjects: new Map()
	    });
	}
	// Type guard is intentionally a little wrong so as to be more useful,
	// as it does not cover untypable empty non-string iterables (e.g. []).
	const isEmptyPath = (path) => path == null ||
	    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
	let Collection$1 = class Collection extends Node.NodeBase {
	    constructor(type, schema) {
	        super(type);
	        Object.defineProperty(this, 'schema', {
	            value: schema,
	            configurable: true,
	            enumerable: false,
	            writable: true
	        });
	    }
	    /**
	     * Create a copy of this collection.
	     *
	     * @param schema - If defined, overwrites the original's schema
	     */
	    clone(schema) {
	        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
	        if (schema)
	            copy.schema = schema;
	        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
	        if (this.range)
	            copy.range = this.range.slice();
	        return copy;
	    }
	    /**
	     * Adds a value to the collection. For `!!map` and `!!omap` the value must
	     * be a Pair instance or a `{ key, value }` object, which may not have a key
	     * that already exists in the map.
	     */
	    addIn(path, value) {
	        if (isEmptyPath(path))
	            this.add(value);
	        else {
	            const [key, ...rest] = path;
	            const node = this.get(key, true);
	            if (identity.isCollection(node))
	                node.addIn(rest, value);
	            else if (node === undefined && this.schema)
	                this.set(key, collectionFromPath(this.schema, rest, value));
	            else
	                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
	        }
	    }
	    /**
	     * Removes a value from the collection.
	     * @returns `true` if the item was found and removed.
	     */
	    deleteIn(path) {
	        const [key, ...rest] = path;
	        if (rest.length === 0)
	            return this.delete(key);
	        const node = this.get(key, true);
	        if (identity.isCollection(node))
	            return node.deleteIn(rest);
	        else
	            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
	    }
	    /**
	     * Returns item at `key`, or `undefined` if not found. By default unwraps
	     * scalar values from their surrounding node; to disable set `keepScalar` to
	     * `true` (collections are always returned intact).
	     */
	    getIn(path, keepScalar) {
	        const [key, ...rest] = path;
	        const node = this.get(key, true);
	        if (rest.length === 0)
	            return !keepScalar && identity.isScalar(node) ? node.value : node;
	        else
	            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
	    }
	    hasAllNullValues(allowScalar) {
	        return this.items.every(node => {
	            if (!identity.isPair(node))
	                return false;
	            const n = node.value;
	            return (n == null ||
	                (allowScalar &&
	                    identity.isScalar(n) &&
	                    n.value == null &&
	                    !n.commentBefore &&
	                    !n.comment &&
	                    !n.tag));
	        });
	    }
	    /**
	     * Checks if the collection includes a value with the key `key`.
	     */
	    hasIn(path) {
	        const [key, ...rest] = path;
	        if (rest.length === 0)
	            return this.has(key);
	        const node = this.get(key, true);
	        return identity.isCollection(node) ? node.hasIn(rest) : false;
	    }
	    /**
	     * Sets a value in this collection. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     */
	    setIn(path, value) {
	        const [key, ...rest] = path;
	        if (rest.length === 0) {
	            this.set(key, value);
	        }
	        else {
	            const node = this.get(key, true);
	            if (identity.isCollection(node))
	                node.setIn(rest, value);
	            else if (node === undefined && this.schema)
	                this.set(key, collectionFromPath(this.schema, rest, value));
	            else
	                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
	        }
	    }
	};

	Collection.Collection = Collection$1;
	Collection.collectionFromPath = collectionFromPath;
	Collection.isEmptyPath = isEmptyPath;
	return Collection;
}

var Pair = {};

var stringifyPair = {};

var stringify = {};

var stringifyComment = {};

var hasRequiredStringifyComment;

function requireStringifyComment () {
	if (hasRequiredStringifyComment) return stringifyComment;
	hasRequiredStringifyComment = 1;

	/**
	 * Stringifies a comment.
	 *
	 * Empty comment lines are left empty,
	 * lines consisting of a single space are replaced by `#`,
	 * and all other lines are prefixed with a `#`.
	 */
	const stringifyComment$1 = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
	function indentComment(comment, indent) {
	    if (/^\n+$/.test(comment))
	        return comment.substring(1);
	    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
	}
	const lineComment = (str, indent, comment) => str.endsWith('\n')
	    ? indentComment(comment, indent)
	    : comment.includes('\n')
	        ? '\n' + indentComment(comment, indent)
	        : (str.endsWith(' ') ? '' : ' ') + comment;

	stringifyComment.indentComment = indentComment;
	stringifyComment.lineComment = lineComment;
	stringifyComment.stringifyComment = stringifyComment$1;
	return stringifyComment;
}

var stringifyString = {};

var foldFlowLines = {};

var hasRequiredFoldFlowLines;

function requireFoldFlowLines () {
	if (hasRequiredFoldFlowLines) return foldFlowLines;
	hasRequiredFoldFlowLines = 1;

	const FOLD_FLOW = 'flow';
	const FOLD_BLOCK = 'block';
	const FOLD_QUOTED = 'quoted';
	/**
	 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
	 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
	 * terminated with `\n` and started with `indent`.
	 */
	function foldFlowLines$1(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
	    if (!lineWidth || lineWidth < 0)
	        return text;
	    if (lineWidth < minContentWidth)
	        minContentWidth = 0;
	    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
	    if (text.length <= endStep)
	        return text;
	    const folds = [];
	    const escapedFolds = {};
	    let end = lineWidth - indent.length;
	    if (typeof indentAtStart === 'number') {
	        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
	            folds.push(0);
	        else
	            end = lineWidth - indentAtStart;
	    }
	    let split = undefined;
	    let prev = undefined;
	    let overflow = false;
	    let i = -1;
	    let escStart = -1;
	    let escEnd = -1;
	    if (mode === FOLD_BLOCK) {
	        i = consumeMoreIndentedLines(text, i, indent.length);
	        if (i !== -1)
	            end = i + endStep;
	    }
	    for (let ch; (ch = text[(i += 1)]);) {
	        if (mode === FOLD_QUOTED && ch === '\\') {
	            escStart = i;
	            switch (text[i + 1]) {
	                case 'x':
	                    i += 3;
	                    break;
	                case 'u':
	                    i += 5;
	                    break;
	                case 'U':
	                    i += 9;
	                    break;
	                default:
	                    i += 1;
	            }
	            escEnd = i;
	        }
	        if (ch === '\n') {
	            if (mode === FOLD_BLOCK)
	                i = consumeMoreIndentedLines(text, i, indent.length);
	            end = i + indent.length + endStep;
	            split = undefined;
	        }
	        else {
	            if (ch === ' ' &&
	                prev &&
	                prev !== ' ' &&
	                prev !== '\n' &&
	                prev !== '\t') {
	                // space surrounded by non-space can be replaced with newline + indent
	                const next = text[i + 1];
	                if (next && next !== ' ' && next !== '\n' && next !== '\t')
	                    split = i;
	            }
	            if (i >= end) {
	                if (split) {
	                    folds.push(split);
	                    end = split + endStep;
	                    split = undefined;
	                }
	                else if (mode === FOLD_QUOTED) {
	                    // white-space collected at end may stretch past lineWidth
	                    while (prev === ' ' || prev === '\t') {
	                        prev = ch;
	                        ch = text[(i += 1)];
	                        overflow = true;
	                    }
	                    // Account for newline escape, but don't break preceding escape
	                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
	                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
	                    if (escapedFolds[j])
	                        return text;
	                    folds.push(j);
	                    escapedFolds[j] = true;
	                    end = j + endStep;
	                    split = undefined;
	                }
	                else {
	                    overflow = true;
	                }
	            }
	        }
	        prev = ch;
	    }
	    if (overflow && onOverflow)
	        onOverflow();
	    if (folds.length === 0)
	        return text;
	    if (onFold)
	        onFold();
	    let res = text.slice(0, folds[0]);
	    for (let i = 0; i < folds.length; ++i) {
	        const fold = folds[i];
	        const end = folds[i + 1] || text.length;
	        if (fold === 0)
	            res = `\n${indent}${text.slice(0, end)}`;
	        else {
	            if (mode === FOLD_QUOTED && escapedFolds[fold])
	                res += `${text[fold]}\\`;
	            res += `\n${indent}${text.slice(fold + 1, end)}`;
	        }
	    }
	    return res;
	}
	/**
	 * Presumes `i + 1` is at the start of a line
	 * @returns index of last newline in more-indented block
	 */
	function consumeMoreIndentedLines(text, i, indent) {
	    let end = i;
	    let start = i + 1;
	    let ch = text[start];
	    while (ch === ' ' || ch === '\t') {
	        if (i < start + indent) {
	            ch = text[++i];
	        }
	        else {
	            do {
	                ch = text[++i];
	            } while (ch && ch !== '\n');
	            end = i;
	            start = i + 1;
	            ch = text[start];
	        }
	    }
	    return end;
	}

	foldFlowLines.FOLD_BLOCK = FOLD_BLOCK;
	foldFlowLines.FOLD_FLOW = FOLD_FLOW;
	foldFlowLines.FOLD_QUOTED = FOLD_QUOTED;
	foldFlowLines.foldFlowLines = foldFlowLines$1;
	return foldFlowLines;
}

var hasRequiredStringifyString;

function requireStringifyString () {
	if (hasRequiredStringifyString) return stringifyString;
	hasRequiredStringifyString = 1;

	var Scalar = requireScalar();
	var foldFlowLines = requireFoldFlowLines();

	const getFoldOptions = (ctx, isBlock) => ({
	    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
	    lineWidth: ctx.options.lineWidth,
	    minContentWidth: ctx.options.minContentWidth
	});
	// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
	// presume that's starting a new document.
	const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
	function lineLengthOverLimit(str, lineWidth, indentLength) {
	    if (!lineWidth || lineWidth < 0)
	        return false;
	    const limit = lineWidth - indentLength;
	    const strLen = str.length;
	    if (strLen <= limit)
	        return false;
	    for (let i = 0, start = 0; i < strLen; ++i) {
	        if (str[i] === '\n') {
	            if (i - start > limit)
	                return true;
	            start = i + 1;
	            if (strLen - start <= limit)
	                return false;
	        }
	    }
	    return true;
	}
	function doubleQuotedString(value, ctx) {
	    const json = JSON.stringify(value);
	    if (ctx.options.doubleQuotedAsJSON)
	        return json;
	    const { implicitKey } = ctx;
	    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
	    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
	    let str = '';
	    let start = 0;
	    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
	        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
	            // space before newline needs to be escaped to not be folded
	            str += json.slice(start, i) + '\\ ';
	            i += 1;
	            start = i;
	            ch = '\\';
	        }
	        if (ch === '\\')
	            switch (json[i + 1]) {
	                case 'u':
	                    {
	                        str += json.slice(start, i);
	                        const code = json.substr(i + 2, 4);
	                        switch (code) {
	                            case '0000':
	                                str += '\\0';
	                                break;
	                            case '0007':
	                                str += '\\a';
	                                break;
	                            case '000b':
	                                str += '\\v';
	                                break;
	                            case '001b':
	                                str += '\\e';
	                                break;
	                            case '0085':
	                                str += '\\N';
	                                break;
	                            case '00a0':
	                                str += '\\_';
	                                break;
	                            case '2028':
	                                str += '\\L';
	                                break;
	                            case '2029':
	                                str += '\\P';
	                                break;
	                            default:
	                                if (code.substr(0, 2) === '00')
	                                    str += '\\x' + code.substr(2);
	                                else
	                                    str += json.substr(i, 6);
	                        }
	                        i += 5;
	                        start = i + 1;
	                    }
	                    break;
	                case 'n':
	                    if (implicitKey ||
	                        json[i + 2] === '"' ||
	                        json.length < minMultiLineLength) {
	                        i += 1;
	                    }
	                    else {
	                        // folding will eat first newline
	                        str += json.slice(start, i) + '\n\n';
	                        while (json[i + 2] === '\\' &&
	                            json[i + 3] === 'n' &&
	                            json[i + 4] !== '"') {
	                            str += '\n';
	                            i += 2;
	                        }
	                        str += indent;
	                        // space after newline needs to be escaped to not be folded
	                        if (json[i + 2] === ' ')
	                            str += '\\';
	                        i += 1;
	                        start = i + 1;
	                    }
	                    break;
	                default:
	                    i += 1;
	            }
	    }
	    str = start ? str + json.slice(start) : json;
	    return implicitKey
	        ? str
	        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
	}
	function singleQuotedString(value, ctx) {
	    if (ctx.options.singleQuote === false ||
	        (ctx.implicitKey && value.includes('\n')) ||
	        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
	    )
	        return doubleQuotedString(value, ctx);
	    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
	    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
	    return ctx.implicitKey
	        ? res
	        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
	}
	function quotedString(value, ctx) {
	    const { singleQuote } = ctx.options;
	    let qs;
	    if (singleQuote === false)
	        qs = doubleQuotedString;
	    else {
	        const hasDouble = value.includes('"');
	        const hasSingle = value.includes("'");
	        if (hasDouble && !hasSingle)
	            qs = singleQuotedString;
	        else if (hasSingle && !hasDouble)
	            qs = doubleQuotedString;
	        else
	            qs = singleQuote ? singleQuotedString : doubleQuotedString;
	    }
	    return qs(value, ctx);
	}
	// The negative lookbehind avoids a polynomial search,
	// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
	let blockEndNewlines;
	try {
	    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
	}
	catch {
	    blockEndNewlines = /\n+(?!\n|$)/g;
	}
	function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
	    const { blockQuote, commentString, lineWidth } = ctx.options;
	    // 1. Block can't end in whitespace unless the last line is non-empty.
	    // 2. Strings consisting of only whitespace are best rendered explicitly.
	    if (!blockQuote || /\n[\t ]+$/.test(value)) {
	        return quotedString(value, ctx);
	    }
	    const indent = ctx.indent ||
	        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
	    const literal = blockQuote === 'literal'
	        ? true
	        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
	            ? false
	            : type === Scalar.Scalar.BLOCK_LITERAL
	                ? true
	                : !lineLengthOverLimit(value, lineWidth, indent.length);
	    if (!value)
	        return literal ? '|\n' : '>\n';
	    // determine chomping from whitespace at value end
	    let chomp;
	    let endStart;
	    for (endStart = value.length; endStart > 0; --endStart) {
	        const ch = value[endStart - 1];
	        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
	            break;
	    }
	    let end = value.substring(endStart);
	    const endNlPos = end.indexOf('\n');
	    if (endNlPos === -1) {
	        chomp = '-'; // strip
	    }
	    else if (value === end || endNlPos !== end.length - 1) {
	        chomp = '+'; // keep
	        if (onChompKeep)
	            onChompKeep();
	    }
	    else {
	        chomp = ''; // clip
	    }
	    if (end) {
	        value = value.slice(0, -end.length);
	        if (end[end.length - 1] === '\n')
	            end = end.slice(0, -1);
	        end = end.replace(blockEndNewlines, `$&${indent}`);
	    }
	    // determine indent indicator from whitespace at value start
	    let startWithSpace = false;
	    let startEnd;
	    let startNlPos = -1;
	    for (startEnd = 0; startEnd < value.length; ++startEnd) {
	        const ch = value[startEnd];
	        if (ch === ' ')
	            startWithSpace = true;
	        else if (ch === '\n')
	            startNlPos = startEnd;
	        else
	            break;
	    }
	    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
	    if (start) {
	        value = value.substring(start.length);
	        start = start.replace(/\n+/g, `$&${indent}`);
	    }
	    const indentSize = indent ? '2' : '1'; // root is at -1
	    // Leading | or > is added later
	    let header = (startWithSpace ? indentSize : '') + chomp;
	    if (comment) {
	        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
	        if (onComment)
	            onComment();
	    }
	    if (!literal) {
	        const foldedValue = value
	            .replace(/\n+/g, '\n$&')
	            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
	            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
	            .replace(/\n+/g, `$&${indent}`);
	        let literalFallback = false;
	        const foldOptions = getFoldOptions(ctx, true);
	        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
	            foldOptions.onOverflow = () => {
	                literalFallback = true;
	            };
	        }
	        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
	        if (!literalFallback)
	            return `>${header}\n${indent}${body}`;
	    }
	    value = value.replace(/\n+/g, `$&${indent}`);
	    return `|${header}\n${indent}${start}${value}${end}`;
	}
	function plainString(item, ctx, onComment, onChompKeep) {
	    const { type, value } = item;
	    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
	    if ((implicitKey && value.includes('\n')) ||
	        (inFlow && /[[\]{},]/.test(value))) {
	        return quotedString(value, ctx);
	    }
	    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
	        // not allowed:
	        // - '-' or '?'
	        // - start with an indicator character (except [?:-]) or /[?-] /
	        // - '\n ', ': ' or ' \n' anywhere
	        // - '#' not preceded by a non-space char
	        // - end with ' ' or ':'
	        return implicitKey || inFlow || !value.includes('\n')
	            ? quotedString(value, ctx)
	            : blockString(item, ctx, onComment, onChompKeep);
	    }
	    if (!implicitKey &&
	        !inFlow &&
	        type !== Scalar.Scalar.PLAIN &&
	        value.includes('\n')) {
	        // Where allowed & type not set explicitly, prefer block style for multiline strings
	        return blockString(item, ctx, onComment, onChompKeep);
	    }
	    if (containsDocumentMarker(value)) {
	        if (indent === '') {
	            ctx.forceBlockIndent = true;
	            return blockString(item, ctx, onComment, onChompKeep);
	        }
	        else if (implicitKey && indent === indentStep) {
	            return quotedString(value, ctx);
	        }
	    }
	    const str = value.replace(/\n+/g, `$&\n${indent}`);
	    // Verify that output will be parsed as a string, as e.g. plain numbers and
	    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
	    // and others in v1.1.
	    if (actualString) {
	        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
	        const { compat, tags } = ctx.doc.schema;
	        if (tags.some(test) || compat?.some(test))
	            return quotedString(value, ctx);
	    }
	    return implicitKey
	        ? str
	        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
	}
	function stringifyString$1(item, ctx, onComment, onChompKeep) {
	    const { implicitKey, inFlow } = ctx;
	    const ss = typeof item.value === 'string'
	        ? item
	        : Object.assign({}, item, { value: String(item.value) });
	    let { type } = item;
	    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
	        // force double quotes on control characters & unpaired surrogates
	        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
	            type = Scalar.Scalar.QUOTE_DOUBLE;
	    }
	    const _stringify = (_type) => {
	        switch (_type) {
	            case Scalar.Scalar.BLOCK_FOLDED:
	            case Scalar.Scalar.BLOCK_LITERAL:
	                return implicitKey || inFlow
	                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
	                    : blockString(ss, ctx, onComment, onChompKeep);
	            case Scalar.Scalar.QUOTE_DOUBLE:
	                return doubleQuotedString(ss.value, ctx);
	            case Scalar.Scalar.QUOTE_SINGLE:
	                return singleQuotedString(ss.value, ctx);
	            case Scalar.Scalar.PLAIN:
	                return plainString(ss, ctx, onComment, onChompKeep);
	            default:
	                return null;
	        }
	    };
	    let res = _stringify(type);
	    if (res === null) {
	        const { defaultKeyType, defaultStringType } = ctx.options;
	        const t = (implicitKey && defaultKeyType) || defaultStringType;
	        res = _stringify(t);
	        if (res === null)
	            throw new Error(`Unsupported default string type ${t}`);
	    }
	    return res;
	}

	stringifyString.stringifyString = stringifyString$1;
	return stringifyString;
}

var hasRequiredStringify;

function requireStringify () {
	if (hasRequiredStringify) return stringify;
	hasRequiredStringify = 1;

	var anchors = requireAnchors();
	var identity = requireIdentity();
	var stringifyComment = requireStringifyComment();
	var stringifyString = requireStringifyString();

	function createStringifyContext(doc, options) {
	    const opt = Object.assign({
	        blockQuote: true,
	        commentString: stringifyComment.stringifyComment,
	        defaultKeyType: null,
	        defaultStringType: 'PLAIN',
	        directives: null,
	        doubleQuotedAsJSON: false,
	        doubleQuotedMinMultiLineLength: 40,
	        falseStr: 'false',
	        flowCollectionPadding: true,
	        indentSeq: true,
	        lineWidth: 80,
	        minContentWidth: 20,
	        nullStr: 'null',
	        simpleKeys: false,
	        singleQuote: null,
	        trailingComma: false,
	        trueStr: 'true',
	        verifyAliasOrder: true
	    }, doc.schema.toStringOptions, options);
	    let inFlow;
	    switch (opt.collectionStyle) {
	        case 'block':
	            inFlow = false;
	            break;
	        case 'flow':
	            inFlow = true;
	            break;
	        default:
	            inFlow = null;
	    }
	    return {
	        anchors: new Set(),
	        doc,
	        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
	        indent: '',
	        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
	        inFlow,
	        options: opt
	    };
	}
	function getTagObject(tags, item) {
	    if (item.tag) {
	        const match = tags.filter(t => t.tag === item.tag);
	        if (match.length > 0)
	            return match.find(t => t.format === item.format) ?? match[0];
	    }
	    let tagObj = undefined;
	    let obj;
	    if (identity.isScalar(item)) {
	        obj = item.value;
	        let match = tags.filter(t => t.identify?.(obj));
	        if (match.length > 1) {
	            const testMatch = match.filter(t => t.test);
	            if (testMatch.length > 0)
	                match = testMatch;
	        }
	        tagObj =
	            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
	    }
	    else {
	        obj = item;
	        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
	    }
	    if (!tagObj) {
	        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
	        throw new Error(`Tag not resolved for ${name} value`);
	    }
	    return tagObj;
	}
	// needs to be called before value stringifier to allow for circular anchor refs
	function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
	    if (!doc.directives)
	        return '';
	    const props = [];
	    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
	    if (anchor && anchors.anchorIsValid(anchor)) {
	        anchors$1.add(anchor);
	        props.push(`&${anchor}`);
	    }
	    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
	    if (tag)
	        props.push(doc.directives.tagString(tag));
	    return props.join(' ');
	}
	function stringify$1(item, ctx, onComment, onChompKeep) {
	    if (identity.isPair(item))
	        return item.toString(ctx, onComment, onChompKeep);
	    if (identity.isAlias(item)) {
	        if (ctx.doc.directives)
	            return item.toString(ctx);
	        if (ctx.resolvedAliases?.has(item)) {
	            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
	        }
	        else {
	            if (ctx.resolvedAliases)
	                ctx.resolvedAliases.add(item);
	            else
	                ctx.resolvedAliases = new Set([item]);
	            item = item.resolve(ctx.doc);
	        }
	    }
	    let tagObj = undefined;
	    const node = identity.isNode(item)
	        ? item
	        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
	    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
	    const props = stringifyProps(node, tagObj, ctx);
	    if (props.length > 0)
	        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
	    const str = typeof tagObj.stringify === 'function'
	        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
	        : identity.isScalar(node)
	            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
	            : node.toString(ctx, onComment, onChompKeep);
	    if (!props)
	        return str;
	    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
	        ? `${props} ${str}`
	        : `${props}\n${ctx.indent}${str}`;
	}

	stringify.createStringifyContext = createStringifyContext;
	stringify.stringify = stringify$1;
	return stringify;
}

var hasRequiredStringifyPair;

function requireStringifyPair () {
	if (hasRequiredStringifyPair) return stringifyPair;
	hasRequiredStringifyPair = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();
	var stringify = requireStringify();
	var stringifyComment = requireStringifyComment();

	function stringifyPair$1({ key, value }, ctx, onComment, onChompKeep) {
	    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
	    let keyComment = (identity.isNode(key) && key.comment) || null;
	    if (simpleKeys) {
	        if (keyComment) {
	            throw new Error('With simple keys, key nodes cannot have comments');
	        }
	        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
	            const msg = 'With simple keys, collection cannot be used as a key value';
	            throw new Error(msg);
	        }
	    }
	    let explicitKey = !simpleKeys &&
	        (!key ||
	            (keyComment && value == null && !ctx.inFlow) ||
	            identity.isCollection(key) ||
	            (identity.isScalar(key)
	                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
	                : typeof key === 'object'));
	    ctx = Object.assign({}, ctx, {
	        allNullValues: false,
	        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
	        indent: indent + indentStep
	    });
	    let keyCommentDone = false;
	    let chompKeep = false;
	    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
	    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
	        if (simpleKeys)
	            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
	        explicitKey = true;
	    }
	    if (ctx.inFlow) {
	        if (allNullValues || value == null) {
	            if (keyCommentDone && onComment)
	                onComment();
	            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
	        }
	    }
	    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
	        str = `? ${str}`;
	        if (keyComment && !keyCommentDone) {
	            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
	        }
	        else if (chompKeep && onChompKeep)
	            onChompKeep();
	        return str;
	    }
	    if (keyCommentDone)
	        keyComment = null;
	    if (explicitKey) {
	        if (keyComment)
	            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
	        str = `? ${str}\n${indent}:`;
	    }
	    else {
	        str = `${str}:`;
	        if (keyComment)
	            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
	    }
	    let vsb, vcb, valueComment;
	    if (identity.isNode(value)) {
	        vsb = !!value.spaceBefore;
	        vcb = value.commentBefore;
	        valueComment = value.comment;
	    }
	    else {
	        vsb = false;
	        vcb = null;
	        valueComment = null;
	        if (value && typeof value === 'object')
	            value = doc.createNode(value);
	    }
	    ctx.implicitKey = false;
	    if (!explicitKey && !keyComment && identity.isScalar(value))
	        ctx.indentAtStart = str.length + 1;
	    chompKeep = false;
	    if (!indentSeq &&
	        indentStep.length >= 2 &&
	        !ctx.inFlow &&
	        !explicitKey &&
	        identity.isSeq(value) &&
	        !value.flow &&
	        !value.tag &&
	        !value.anchor) {
	        // If indentSeq === false, consider '- ' as part of indentation where possible
	        ctx.indent = ctx.indent.substring(2);
	    }
	    let valueCommentDone = false;
	    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
	    let ws = ' ';
	    if (keyComment || vsb || vcb) {
	        ws = vsb ? '\n' : '';
	        if (vcb) {
	            const cs = commentString(vcb);
	            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
	        }
	        if (valueStr === '' && !ctx.inFlow) {
	            if (ws === '\n' && valueComment)
	                ws = '\n\n';
	        }
	        else {
	            ws += `\n${ctx.indent}`;
	        }
	    }
	    else if (!explicitKey && identity.isCollection(value)) {
	        const vs0 = valueStr[0];
	        const nl0 = valueStr.indexOf('\n');
	        const hasNewline = nl0 !== -1;
	        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
	        if (hasNewline || !flow) {
	            let hasPropsLine = false;
	            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
	                let sp0 = valueStr.indexOf(' ');
	                if (vs0 === '&' &&
	                    sp0 !== -1 &&
	                    sp0 < nl0 &&
	                    valueStr[sp0 + 1] === '!') {
	                    sp0 = valueStr.indexOf(' ', sp0 + 1);
	                }
	                if (sp0 === -1 || nl0 < sp0)
	                    hasPropsLine = true;
	            }
	            if (!hasPropsLine)
	                ws = `\n${ctx.indent}`;
	        }
	    }
	    else if (valueStr === '' || valueStr[0] === '\n') {
	        ws = '';
	    }
	    str += ws + valueStr;
	    if (ctx.inFlow) {
	        if (valueCommentDone && onComment)
	            onComment();
	    }
	    else if (valueComment && !valueCommentDone) {
	        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
	    }
	    else if (chompKeep && onChompKeep) {
	        onChompKeep();
	    }
	    return str;
	}

	stringifyPair.stringifyPair = stringifyPair$1;
	return stringifyPair;
}

var addPairToJSMap = {};

var log = {};

var hasRequiredLog;

function requireLog () {
	if (hasRequiredLog) return log;
	hasRequiredLog = 1;

	var node_process = require$$0;

	function debug(logLevel, ...messages) {
	    if (logLevel === 'debug')
	        console.log(...messages);
	}
	function warn(logLevel, warning) {
	    if (logLevel === 'debug' || logLevel === 'warn') {
	        if (typeof node_process.emitWarning === 'function')
	            node_process.emitWarning(warning);
	        else
	            console.warn(warning);
	    }
	}

	log.debug = debug;
	log.warn = warn;
	return log;
}

var merge = {};

var hasRequiredMerge;

function requireMerge () {
	if (hasRequiredMerge) return merge;
	hasRequiredMerge = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();

	// If the value associated with a merge key is a single mapping node, each of
	// its key/value pairs is inserted into the current mapping, unless the key
	// already exists in it. If the value associated with the merge key is a
	// sequence, then this sequence is expected to contain mapping nodes and each
	// of these nodes is merged in turn according to its order in the sequence.
	// Keys in mapping nodes earlier in the sequence override keys specified in
	// later mapping nodes. -- http://yaml.org/type/merge.html
	const MERGE_KEY = '<<';
	const merge$1 = {
	    identify: value => value === MERGE_KEY ||
	        (typeof value === 'symbol' && value.description === MERGE_KEY),
	    default: 'key',
	    tag: 'tag:yaml.org,2002:merge',
	    test: /^<<$/,
	    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
	        addToJSMap: addMergeToJSMap
	    }),
	    stringify: () => MERGE_KEY
	};
	const isMergeKey = (ctx, key) => (merge$1.identify(key) ||
	    (identity.isScalar(key) &&
	        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
	        merge$1.identify(key.value))) &&
	    ctx?.doc.schema.tags.some(tag => tag.tag === merge$1.tag && tag.default);
	function addMergeToJSMap(ctx, map, value) {
	    const source = resolveAliasValue(ctx, value);
	    if (identity.isSeq(source))
	        for (const it of source.items)
	            mergeValue(ctx, map, it);
	    else if (Array.isArray(source))
	        for (const it of source)
	            mergeValue(ctx, map, it);
	    else
	        mergeValue(ctx, map, source);
	}
	function mergeValue(ctx, map, value) {
	    const source = resolveAliasValue(ctx, value);
	    if (!identity.isMap(source))
	        throw new Error('Merge sources must be maps or map aliases');
	    const srcMap = source.toJSON(null, ctx, Map);
	    for (const [key, value] of srcMap) {
	        if (map instanceof Map) {
	            if (!map.has(key))
	                map.set(key, value);
	        }
	        else if (map instanceof Set) {
	            map.add(key);
	        }
	        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
	            Object.defineProperty(map, key, {
	                value,
	                writable: true,
	                enumerable: true,
	                configurable: true
	            });
	        }
	    }
	    return map;
	}
	function resolveAliasValue(ctx, value) {
	    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
	}

	merge.addMergeToJSMap = addMergeToJSMap;
	merge.isMergeKey = isMergeKey;
	merge.merge = merge$1;
	return merge;
}

var hasRequiredAddPairToJSMap;

function requireAddPairToJSMap () {
	if (hasRequiredAddPairToJSMap) return addPairToJSMap;
	hasRequiredAddPairToJSMap = 1;

	var log = requireLog();
	var merge = requireMerge();
	var stringify = requireStringify();
	var identity = requireIdentity();
	var toJS = requireToJS();

	function addPairToJSMap$1(ctx, map, { key, value }) {
	    if (identity.isNode(key) && key.addToJSMap)
	        key.addToJSMap(ctx, map, value);
	    // TODO: Should drop this special case for bare << handling
	    else if (merge.isMergeKey(ctx, key))
	        merge.addMergeToJSMap(ctx, map, value);
	    else {
	        const jsKey = toJS.toJS(key, '', ctx);
	        if (map instanceof Map) {
	            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
	        }
	        else if (map instanceof Set) {
	            map.add(jsKey);
	        }
	        else {
	            const stringKey = stringifyKey(key, jsKey, ctx);
	            const jsValue = toJS.toJS(value, stringKey, ctx);
	            if (stringKey in map)
	                Object.defineProperty(map, stringKey, {
	                    value: jsValue,
	                    writable: true,
	                    enumerable: true,
	                    configurable: true
	                });
	            else
	                map[stringKey] = jsValue;
	        }
	    }
	    return map;
	}
	function stringifyKey(key, jsKey, ctx) {
	    if (jsKey === null)
	        return '';
	    // eslint-disable-next-line @typescript-eslint/no-base-to-string
	    if (typeof jsKey !== 'object')
	        return String(jsKey);
	    if (identity.isNode(key) && ctx?.doc) {
	        const strCtx = stringify.createStringifyContext(ctx.doc, {});
	        strCtx.anchors = new Set();
	        for (const node of ctx.anchors.keys())
	            strCtx.anchors.add(node.anchor);
	        strCtx.inFlow = true;
	        strCtx.inStringifyKey = true;
	        const strKey = key.toString(strCtx);
	        if (!ctx.mapKeyWarned) {
	            let jsonStr = JSON.stringify(strKey);
	            if (jsonStr.length > 40)
	                jsonStr = jsonStr.substring(0, 36) + '..."';
	            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
	            ctx.mapKeyWarned = true;
	        }
	        return strKey;
	    }
	    return JSON.stringify(jsKey);
	}

	addPairToJSMap.addPairToJSMap = addPairToJSMap$1;
	return addPairToJSMap;
}

var hasRequiredPair;

function requirePair () {
	if (hasRequiredPair) return Pair;
	hasRequiredPair = 1;

	var createNode = requireCreateNode();
	var stringifyPair = requireStringifyPair();
	var addPairToJSMap = requireAddPairToJSMap();
	var identity = requireIdentity();

	function createPair(key, value, ctx) {
	    const k = createNode.createNode(key, undefined, ctx);
	    const v = createNode.createNode(value, undefined, ctx);
	    return new Pair$1(k, v);
	}
	let Pair$1 = class Pair {
	    constructor(key, value = null) {
	        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
	        this.key = key;
	        this.value = value;
	    }
	    clone(schema) {
	        let { key, value } = this;
	        if (identity.isNode(key))
	            key = key.clone(schema);
	        if (identity.isNode(value))
	            value = value.clone(schema);
	        return new Pair(key, value);
	    }
	    toJSON(_, ctx) {
	        const pair = ctx?.mapAsMap ? new Map() : {};
	        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
	    }
	    toString(ctx, onComment, onChompKeep) {
	        return ctx?.doc
	            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
	            : JSON.stringify(this);
	    }
	};

	Pair.Pair = Pair$1;
	Pair.createPair = createPair;
	return Pair;
}

var Schema = {};

var map = {};

var YAMLMap = {};

var stringifyCollection = {};

var hasRequiredStringifyCollection;

function requireStringifyCollection () {
	if (hasRequiredStringifyCollection) return stringifyCollection;
	hasRequiredStringifyCollection = 1;

	var identity = requireIdentity();
	var stringify = requireStringify();
	var stringifyComment = requireStringifyComment();

	function stringifyCollection$1(collection, ctx, options) {
	    const flow = ctx.inFlow ?? collection.flow;
	    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
	    return stringify(collection, ctx, options);
	}
	function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
	    const { indent, options: { commentString } } = ctx;
	    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
	    let chompKeep = false; // flag for the preceding node's status
	    const lines = [];
	    for (let i = 0; i < items.length; ++i) {
	        const item = items[i];
	        let comment = null;
	        if (identity.isNode(item)) {
	            if (!chompKeep && item.spaceBefore)
	                lines.push('');
	            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
	            if (item.comment)
	                comment = item.comment;
	        }
	        else if (identity.isPair(item)) {
	            const ik = identity.isNode(item.key) ? item.key : null;
	            if (ik) {
	                if (!chompKeep && ik.spaceBefore)
	                    lines.push('');
	                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
	            }
	        }
	        chompKeep = false;
	        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
	        if (comment)
	            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
	        if (chompKeep && comment)
	            chompKeep = false;
	        lines.push(blockItemPrefix + str);
	    }
	    let str;
	    if (lines.length === 0) {
	        str = flowChars.start + flowChars.end;
	    }
	    else {
	        str = lines[0];
	        for (let i = 1; i < lines.length; ++i) {
	            const line = lines[i];
	            str += line ? `\n${indent}${line}` : '\n';
	        }
	    }
	    if (comment) {
	        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
	        if (onComment)
	            onComment();
	    }
	    else if (chompKeep && onChompKeep)
	        onChompKeep();
	    return str;
	}
	function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
	    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
	    itemIndent += indentStep;
	    const itemCtx = Object.assign({}, ctx, {
	        indent: itemIndent,
	        inFlow: true,
	        type: null
	    });
	    let reqNewline = false;
	    let linesAtValue = 0;
	    const lines = [];
	    for (let i = 0; i < items.length; ++i) {
	        const item = items[i];
	        let comment = null;
	        if (identity.isNode(item)) {
	            if (item.spaceBefore)
	                lines.push('');
	            addCommentBefore(ctx, lines, item.commentBefore, false);
	            if (item.comment)
	                comment = item.comment;
	        }
	        else if (identity.isPair(item)) {
	            const ik = identity.isNode(item.key) ? item.key : null;
	            if (ik) {
	                if (ik.spaceBefore)
	                    lines.push('');
	                addCommentBefore(ctx, lines, ik.commentBefore, false);
	                if (ik.comment)
	                    reqNewline = true;
	            }
	            const iv = identity.isNode(item.value) ? item.value : null;
	            if (iv) {
	                if (iv.comment)
	                    comment = iv.comment;
	                if (iv.commentBefore)
	                    reqNewline = true;
	            }
	            else if (item.value == null && ik?.comment) {
	                comment = ik.comment;
	            }
	        }
	        if (comment)
	            reqNewline = true;
	        let str = stringify.stringify(item, itemCtx, () => (comment = null));
	        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
	        if (i < items.length - 1) {
	            str += ',';
	        }
	        else if (ctx.options.trailingComma) {
	            if (ctx.options.lineWidth > 0) {
	                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
	                    (str.length + 2) >
	                    ctx.options.lineWidth);
	            }
	            if (reqNewline) {
	                str += ',';
	            }
	        }
	        if (comment)
	            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
	        lines.push(str);
	        linesAtValue = lines.length;
	    }
	    const { start, end } = flowChars;
	    if (lines.length === 0) {
	        return start + end;
	    }
	    else {
	        if (!reqNewline) {
	            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
	            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
	        }
	        if (reqNewline) {
	            let str = start;
	            for (const line of lines)
	                str += line ? `\n${indentStep}${indent}${line}` : '\n';
	            return `${str}\n${indent}${end}`;
	        }
	        else {
	            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
	        }
	    }
	}
	function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
	    if (comment && chompKeep)
	        comment = comment.replace(/^\n+/, '');
	    if (comment) {
	        const ic = stringifyComment.indentComment(commentString(comment), indent);
	        lines.push(ic.trimStart()); // Avoid double indent on first line
	    }
	}

	stringifyCollection.stringifyCollection = stringifyCollection$1;
	return stringifyCollection;
}

var hasRequiredYAMLMap;

function requireYAMLMap () {
	if (hasRequiredYAMLMap) return YAMLMap;
	hasRequiredYAMLMap = 1;

	var stringifyCollection = requireStringifyCollection();
	var addPairToJSMap = requireAddPairToJSMap();
	var Collection = requireCollection();
	var identity = requireIdentity();
	var Pair = requirePair();
	var Scalar = requireScalar();

	function findPair(items, key) {
	    const k = identity.isScalar(key) ? key.value : key;
	    for (const it of items) {
	        if (identity.isPair(it)) {
	            if (it.key === key || it.key === k)
	                return it;
	            if (identity.isScalar(it.key) && it.key.value === k)
	                return it;
	        }
	    }
	    return undefined;
	}
	let YAMLMap$1 = class YAMLMap extends Collection.Collection {
	    static get tagName() {
	        return 'tag:yaml.org,2002:map';
	    }
	    constructor(schema) {
	        super(identity.MAP, schema);
	        this.items = [];
	    }
	    /**
	     * A generic collection parsing method that can be extended
	     * to other node classes that inherit from YAMLMap
	     */
	    static from(schema, obj, ctx) {
	        const { keepUndefined, replacer } = ctx;
	        const map = new this(schema);
	        const add = (key, value) => {
	            if (typeof replacer === 'function')
	                value = replacer.call(obj, key, value);
	            else if (Array.isArray(replacer) && !replacer.includes(key))
	                return;
	            if (value !== undefined || keepUndefined)
	                map.items.push(Pair.createPair(key, value, ctx));
	        };
	        if (obj instanceof Map) {
	            for (const [key, value] of obj)
	                add(key, value);
	        }
	        else if (obj && typeof obj === 'object') {
	            for (const key of Object.keys(obj))
	                add(key, obj[key]);
	        }
	        if (typeof schema.sortMapEntries === 'function') {
	            map.items.sort(schema.sortMapEntries);
	        }
	        return map;
	    }
	    /**
	     * Adds a value to the collection.
	     *
	     * @param overwrite - If not set `true`, using a key that is already in the
	     *   collection will throw. Otherwise, overwrites the previous value.
	     */
	    add(pair, overwrite) {
	        let _pair;
	        if (identity.isPair(pair))
	            _pair = pair;
	        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
	            // In TypeScript, this never happens.
	            _pair = new Pair.Pair(pair, pair?.value);
	        }
	        else
	            _pair = new Pair.Pair(pair.key, pair.value);
	        const prev = findPair(this.items, _pair.key);
	        const sortEntries = this.schema?.sortMapEntries;
	        if (prev) {
	            if (!overwrite)
	                throw new Error(`Key ${_pair.key} already set`);
	            // For scalars, keep the old node & its comments and anchors
	            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
	                prev.value.value = _pair.value;
	            else
	                prev.value = _pair.value;
	        }
	        else if (sortEntries) {
	            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
	            if (i === -1)
	                this.items.push(_pair);
	            else
	                this.items.splice(i, 0, _pair);
	        }
	        else {
	            this.items.push(_pair);
	        }
	    }
	    delete(key) {
	        const it = findPair(this.items, key);
	        if (!it)
	            return false;
	        const del = this.items.splice(this.items.indexOf(it), 1);
	        return del.length > 0;
	    }
	    get(key, keepScalar) {
	        const it = findPair(this.items, key);
	        const node = it?.value;
	        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
	    }
	    has(key) {
	        return !!findPair(this.items, key);
	    }
	    set(key, value) {
	        this.add(new Pair.Pair(key, value), true);
	    }
	    /**
	     * @param ctx - Conversion context, originally set in Document#toJS()
	     * @param {Class} Type - If set, forces the returned collection type
	     * @returns Instance of Type, Map, or Object
	     */
	    toJSON(_, ctx, Type) {
	        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
	        if (ctx?.onCreate)
	            ctx.onCreate(map);
	        for (const item of this.items)
	            addPairToJSMap.addPairToJSMap(ctx, map, item);
	        return map;
	    }
	    toString(ctx, onComment, onChompKeep) {
	        if (!ctx)
	            return JSON.stringify(this);
	        for (const item of this.items) {
	            if (!identity.isPair(item))
	                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
	        }
	        if (!ctx.allNullValues && this.hasAllNullValues(false))
	            ctx = Object.assign({}, ctx, { allNullValues: true });
	        return stringifyCollection.stringifyCollection(this, ctx, {
	            blockItemPrefix: '',
	            flowChars: { start: '{', end: '}' },
	            itemIndent: ctx.indent || '',
	            onChompKeep,
	            onComment
	        });
	    }
	};

	YAMLMap.YAMLMap = YAMLMap$1;
	YAMLMap.findPair = findPair;
	return YAMLMap;
}

var hasRequiredMap;

function requireMap () {
	if (hasRequiredMap) return map;
	hasRequiredMap = 1;

	var identity = requireIdentity();
	var YAMLMap = requireYAMLMap();

	const map$1 = {
	    collection: 'map',
	    default: true,
	    nodeClass: YAMLMap.YAMLMap,
	    tag: 'tag:yaml.org,2002:map',
	    resolve(map, onError) {
	        if (!identity.isMap(map))
	            onError('Expected a mapping for this tag');
	        return map;
	    },
	    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
	};

	map.map = map$1;
	return map;
}

var seq = {};

var YAMLSeq = {};

var hasRequiredYAMLSeq;

function requireYAMLSeq () {
	if (hasRequiredYAMLSeq) return YAMLSeq;
	hasRequiredYAMLSeq = 1;

	var createNode = requireCreateNode();
	var stringifyCollection = requireStringifyCollection();
	var Collection = requireCollection();
	var identity = requireIdentity();
	var Scalar = requireScalar();
	var toJS = requireToJS();

	let YAMLSeq$1 = class YAMLSeq extends Collection.Collection {
	    static get tagName() {
	        return 'tag:yaml.org,2002:seq';
	    }
	    constructor(schema) {
	        super(identity.SEQ, schema);
	        this.items = [];
	    }
	    add(value) {
	        this.items.push(value);
	    }
	    /**
	     * Removes a value from the collection.
	     *
	     * `key` must contain a representation of an integer for this to succeed.
	     * It may be wrapped in a `Scalar`.
	     *
	     * @returns `true` if the item was found and removed.
	     */
	    delete(key) {
	        const idx = asItemIndex(key);
	        if (typeof idx !== 'number')
	            return false;
	        const del = this.items.splice(idx, 1);
	        return del.length > 0;
	    }
	    get(key, keepScalar) {
	        const idx = asItemIndex(key);
	        if (typeof idx !== 'number')
	            return undefined;
	        const it = this.items[idx];
	        return !keepScalar && identity.isScalar(it) ? it.value : it;
	    }
	    /**
	     * Checks if the collection includes a value with the key `key`.
	     *
	     * `key` must contain a representation of an integer for this to succeed.
	     * It may be wrapped in a `Scalar`.
	     */
	    has(key) {
	        const idx = asItemIndex(key);
	        return typeof idx === 'number' && idx < this.items.length;
	    }
	    /**
	     * Sets a value in this collection. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     *
	     * If `key` does not contain a representation of an integer, this will throw.
	     * It may be wrapped in a `Scalar`.
	     */
	    set(key, value) {
	        const idx = asItemIndex(key);
	        if (typeof idx !== 'number')
	            throw new Error(`Expected a valid index, not ${key}.`);
	        const prev = this.items[idx];
	        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
	            prev.value = value;
	        else
	            this.items[idx] = value;
	    }
	    toJSON(_, ctx) {
	        const seq = [];
	        if (ctx?.onCreate)
	            ctx.onCreate(seq);
	        let i = 0;
	        for (const item of this.items)
	            seq.push(toJS.toJS(item, String(i++), ctx));
	        return seq;
	    }
	    toString(ctx, onComment, onChompKeep) {
	        if (!ctx)
	            return JSON.stringify(this);
	        return stringifyCollection.stringifyCollection(this, ctx, {
	            blockItemPrefix: '- ',
	            flowChars: { start: '[', end: ']' },
	            itemIndent: (ctx.indent || '') + '  ',
	            onChompKeep,
	            onComment
	        });
	    }
	    static from(schema, obj, ctx) {
	        const { replacer } = ctx;
	        const seq = new this(schema);
	        if (obj && Symbol.iterator in Object(obj)) {
	            let i = 0;
	            for (let it of obj) {
	                if (typeof replacer === 'function') {
	                    const key = obj instanceof Set ? it : String(i++);
	                    it = replacer.call(obj, key, it);
	                }
	                seq.items.push(createNode.createNode(it, undefined, ctx));
	            }
	        }
	        return seq;
	    }
	};
	function asItemIndex(key) {
	    let idx = identity.isScalar(key) ? key.value : key;
	    if (idx && typeof idx === 'string')
	        idx = Number(idx);
	    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
	        ? idx
	        : null;
	}

	YAMLSeq.YAMLSeq = YAMLSeq$1;
	return YAMLSeq;
}

var hasRequiredSeq;

function requireSeq () {
	if (hasRequiredSeq) return seq;
	hasRequiredSeq = 1;

	var identity = requireIdentity();
	var YAMLSeq = requireYAMLSeq();

	const seq$1 = {
	    collection: 'seq',
	    default: true,
	    nodeClass: YAMLSeq.YAMLSeq,
	    tag: 'tag:yaml.org,2002:seq',
	    resolve(seq, onError) {
	        if (!identity.isSeq(seq))
	            onError('Expected a sequence for this tag');
	        return seq;
	    },
	    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
	};

	seq.seq = seq$1;
	return seq;
}

var string = {};

var hasRequiredString;

function requireString () {
	if (hasRequiredString) return string;
	hasRequiredString = 1;

	var stringifyString = requireStringifyString();

	const string$1 = {
	    identify: value => typeof value === 'string',
	    default: true,
	    tag: 'tag:yaml.org,2002:str',
	    resolve: str => str,
	    stringify(item, ctx, onComment, onChompKeep) {
	        ctx = Object.assign({ actualString: true }, ctx);
	        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
	    }
	};

	string.string = string$1;
	return string;
}

var tags = {};

var _null = {};

var hasRequired_null;

function require_null () {
	if (hasRequired_null) return _null;
	hasRequired_null = 1;

	var Scalar = requireScalar();

	const nullTag = {
	    identify: value => value == null,
	    createNode: () => new Scalar.Scalar(null),
	    default: true,
	    tag: 'tag:yaml.org,2002:null',
	    test: /^(?:~|[Nn]ull|NULL)?$/,
	    resolve: () => new Scalar.Scalar(null),
	    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
	        ? source
	        : ctx.options.nullStr
	};

	_null.nullTag = nullTag;
	return _null;
}

var bool$1 = {};

var hasRequiredBool$1;

function requireBool$1 () {
	if (hasRequiredBool$1) return bool$1;
	hasRequiredBool$1 = 1;

	var Scalar = requireScalar();

	const boolTag = {
	    identify: value => typeof value === 'boolean',
	    default: true,
	    tag: 'tag:yaml.org,2002:bool',
	    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
	    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
	    stringify({ source, value }, ctx) {
	        if (source && boolTag.test.test(source)) {
	            const sv = source[0] === 't' || source[0] === 'T';
	            if (value === sv)
	                return source;
	        }
	        return value ? ctx.options.trueStr : ctx.options.falseStr;
	    }
	};

	bool$1.boolTag = boolTag;
	return bool$1;
}

var float$1 = {};

var stringifyNumber = {};

var hasRequiredStringifyNumber;

function requireStringifyNumber () {
	if (hasRequiredStringifyNumber) return stringifyNumber;
	hasRequiredStringifyNumber = 1;

	function stringifyNumber$1({ format, minFractionDigits, tag, value }) {
	    if (typeof value === 'bigint')
	        return String(value);
	    const num = typeof value === 'number' ? value : Number(value);
	    if (!isFinite(num))
	        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
	    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
	    if (!format &&
	        minFractionDigits &&
	        (!tag || tag === 'tag:yaml.org,2002:float') &&
	        /^-?\d/.test(n) &&
	        !n.includes('e')) {
	        let i = n.indexOf('.');
	        if (i < 0) {
	            i = n.length;
	            n += '.';
	        }
	        let d = minFractionDigits - (n.length - i - 1);
	        while (d-- > 0)
	            n += '0';
	    }
	    return n;
	}

	stringifyNumber.stringifyNumber = stringifyNumber$1;
	return stringifyNumber;
}

var hasRequiredFloat$1;

function requireFloat$1 () {
	if (hasRequiredFloat$1) return float$1;
	hasRequiredFloat$1 = 1;

	var Scalar = requireScalar();
	var stringifyNumber = requireStringifyNumber();

	const floatNaN = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
	    resolve: str => str.slice(-3).toLowerCase() === 'nan'
	        ? NaN
	        : str[0] === '-'
	            ? Number.NEGATIVE_INFINITY
	            : Number.POSITIVE_INFINITY,
	    stringify: stringifyNumber.stringifyNumber
	};
	const floatExp = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    format: 'EXP',
	    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
	    resolve: str => parseFloat(str),
	    stringify(node) {
	        const num = Number(node.value);
	        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
	    }
	};
	const float = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
	    resolve(str) {
	        const node = new Scalar.Scalar(parseFloat(str));
	        const dot = str.indexOf('.');
	        if (dot !== -1 && str[str.length - 1] === '0')
	            node.minFractionDigits = str.length - dot - 1;
	        return node;
	    },
	    stringify: stringifyNumber.stringifyNumber
	};

	float$1.float = float;
	float$1.floatExp = floatExp;
	float$1.floatNaN = floatNaN;
	return float$1;
}

var int$1 = {};

var hasRequiredInt$1;

function requireInt$1 () {
	if (hasRequiredInt$1) return int$1;
	hasRequiredInt$1 = 1;

	var stringifyNumber = requireStringifyNumber();

	const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
	const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
	function intStringify(node, radix, prefix) {
	    const { value } = node;
	    if (intIdentify(value) && value >= 0)
	        return prefix + value.toString(radix);
	    return stringifyNumber.stringifyNumber(node);
	}
	const intOct = {
	    identify: value => intIdentify(value) && value >= 0,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'OCT',
	    test: /^0o[0-7]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
	    stringify: node => intStringify(node, 8, '0o')
	};
	const int = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    test: /^[-+]?[0-9]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
	    stringify: stringifyNumber.stringifyNumber
	};
	const intHex = {
	    identify: value => intIdentify(value) && value >= 0,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'HEX',
	    test: /^0x[0-9a-fA-F]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
	    stringify: node => intStringify(node, 16, '0x')
	};

	int$1.int = int;
	int$1.intHex = intHex;
	int$1.intOct = intOct;
	return int$1;
}

var schema$2 = {};

var hasRequiredSchema$3;

function requireSchema$3 () {
	if (hasRequiredSchema$3) return schema$2;
	hasRequiredSchema$3 = 1;

	var map = requireMap();
	var _null = require_null();
	var seq = requireSeq();
	var string = requireString();
	var bool = requireBool$1();
	var float = requireFloat$1();
	var int = requireInt$1();

	const schema = [
	    map.map,
	    seq.seq,
	    string.string,
	    _null.nullTag,
	    bool.boolTag,
	    int.intOct,
	    int.int,
	    int.intHex,
	    float.floatNaN,
	    float.floatExp,
	    float.float
	];

	schema$2.schema = schema;
	return schema$2;
}

var schema$1 = {};

var hasRequiredSchema$2;

function requireSchema$2 () {
	if (hasRequiredSchema$2) return schema$1;
	hasRequiredSchema$2 = 1;

	var Scalar = requireScalar();
	var map = requireMap();
	var seq = requireSeq();

	function intIdentify(value) {
	    return typeof value === 'bigint' || Number.isInteger(value);
	}
	const stringifyJSON = ({ value }) => JSON.stringify(value);
	const jsonScalars = [
	    {
	        identify: value => typeof value === 'string',
	        default: true,
	        tag: 'tag:yaml.org,2002:str',
	        resolve: str => str,
	        stringify: stringifyJSON
	    },
	    {
	        identify: value => value == null,
	        createNode: () => new Scalar.Scalar(null),
	        default: true,
	        tag: 'tag:yaml.org,2002:null',
	        test: /^null$/,
	        resolve: () => null,
	        stringify: stringifyJSON
	    },
	    {
	        identify: value => typeof value === 'boolean',
	        default: true,
	        tag: 'tag:yaml.org,2002:bool',
	        test: /^true$|^false$/,
	        resolve: str => str === 'true',
	        stringify: stringifyJSON
	    },
	    {
	        identify: intIdentify,
	        default: true,
	        tag: 'tag:yaml.org,2002:int',
	        test: /^-?(?:0|[1-9][0-9]*)$/,
	        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
	        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
	    },
	    {
	        identify: value => typeof value === 'number',
	        default: true,
	        tag: 'tag:yaml.org,2002:float',
	        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
	        resolve: str => parseFloat(str),
	        stringify: stringifyJSON
	    }
	];
	const jsonError = {
	    default: true,
	    tag: '',
	    test: /^/,
	    resolve(str, onError) {
	        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
	        return str;
	    }
	};
	const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

	schema$1.schema = schema;
	return schema$1;
}

var binary = {};

var hasRequiredBinary;

function requireBinary () {
	if (hasRequiredBinary) return binary;
	hasRequiredBinary = 1;

	var node_buffer = require$$0$1;
	var Scalar = requireScalar();
	var stringifyString = requireStringifyString();

	const binary$1 = {
	    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
	    default: false,
	    tag: 'tag:yaml.org,2002:binary',
	    /**
	     * Returns a Buffer in node and an Uint8Array in browsers
	     *
	     * To use the resulting buffer as an image, you'll want to do something like:
	     *
	     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
	     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
	     */
	    resolve(src, onError) {
	        if (typeof node_buffer.Buffer === 'function') {
	            return node_buffer.Buffer.from(src, 'base64');
	        }
	        else if (typeof atob === 'function') {
	            // On IE 11, atob() can't handle newlines
	            const str = atob(src.replace(/[\n\r]/g, ''));
	            const buffer = new Uint8Array(str.length);
	            for (let i = 0; i < str.length; ++i)
	                buffer[i] = str.charCodeAt(i);
	            return buffer;
	        }
	        else {
	            onError('This environment does not support reading binary tags; either Buffer or atob is required');
	            return src;
	        }
	    },
	    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
	        if (!value)
	            return '';
	        const buf = value; // checked earlier by binary.identify()
	        let str;
	        if (typeof node_buffer.Buffer === 'function') {
	            str =
	                buf instanceof node_buffer.Buffer
	                    ? buf.toString('base64')
	                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
	        }
	        else if (typeof btoa === 'function') {
	            let s = '';
	            for (let i = 0; i < buf.length; ++i)
	                s += String.fromCharCode(buf[i]);
	            str = btoa(s);
	        }
	        else {
	            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
	        }
	        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
	        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
	            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
	            const n = Math.ceil(str.length / lineWidth);
	            const lines = new Array(n);
	            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
	                lines[i] = str.substr(o, lineWidth);
	            }
	            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
	        }
	        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
	    }
	};

	binary.binary = binary$1;
	return binary;
}

var omap = {};

var pairs = {};

var hasRequiredPairs;

function requirePairs () {
	if (hasRequiredPairs) return pairs;
	hasRequiredPairs = 1;

	var identity = requireIdentity();
	var Pair = requirePair();
	var Scalar = requireScalar();
	var YAMLSeq = requireYAMLSeq();

	function resolvePairs(seq, onError) {
	    if (identity.isSeq(seq)) {
	        for (let i = 0; i < seq.items.length; ++i) {
	            let item = seq.items[i];
	            if (identity.isPair(item))
	                continue;
	            else if (identity.isMap(item)) {
	                if (item.items.length > 1)
	                    onError('Each pair must have its own sequence indicator');
	                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
	                if (item.commentBefore)
	                    pair.key.commentBefore = pair.key.commentBefore
	                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
	                        : item.commentBefore;
	                if (item.comment) {
	                    const cn = pair.value ?? pair.key;
	                    cn.comment = cn.comment
	                        ? `${item.comment}\n${cn.comment}`
	                        : item.comment;
	                }
	                item = pair;
	            }
	            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
	        }
	    }
	    else
	        onError('Expected a sequence for this tag');
	    return seq;
	}
	function createPairs(schema, iterable, ctx) {
	    const { replacer } = ctx;
	    const pairs = new YAMLSeq.YAMLSeq(schema);
	    pairs.tag = 'tag:yaml.org,2002:pairs';
	    let i = 0;
	    if (iterable && Symbol.iterator in Object(iterable))
	        for (let it of iterable) {
	            if (typeof replacer === 'function')
	                it = replacer.call(iterable, String(i++), it);
	            let key, value;
	            if (Array.isArray(it)) {
	                if (it.length === 2) {
	                    key = it[0];
	                    value = it[1];
	                }
	                else
	                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
	            }
	            else if (it && it instanceof Object) {
	                const keys = Object.keys(it);
	                if (keys.length === 1) {
	                    key = keys[0];
	                    value = it[key];
	                }
	                else {
	                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
	                }
	            }
	            else {
	                key = it;
	            }
	            pairs.items.push(Pair.createPair(key, value, ctx));
	        }
	    return pairs;
	}
	const pairs$1 = {
	    collection: 'seq',
	    default: false,
	    tag: 'tag:yaml.org,2002:pairs',
	    resolve: resolvePairs,
	    createNode: createPairs
	};

	pairs.createPairs = createPairs;
	pairs.pairs = pairs$1;
	pairs.resolvePairs = resolvePairs;
	return pairs;
}

var hasRequiredOmap;

function requireOmap () {
	if (hasRequiredOmap) return omap;
	hasRequiredOmap = 1;

	var identity = requireIdentity();
	var toJS = requireToJS();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var pairs = requirePairs();

	class YAMLOMap extends YAMLSeq.YAMLSeq {
	    constructor() {
	        super();
	        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
	        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
	        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
	        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
	        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
	        this.tag = YAMLOMap.tag;
	    }
	    /**
	     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
	     * but TypeScript won't allow widening the signature of a child method.
	     */
	    toJSON(_, ctx) {
	        if (!ctx)
	            return super.toJSON(_);
	        const map = new Map();
	        if (ctx?.onCreate)
	            ctx.onCreate(map);
	        for (const pair of this.items) {
	            let key, value;
	            if (identity.isPair(pair)) {
	                key = toJS.toJS(pair.key, '', ctx);
	                value = toJS.toJS(pair.value, key, ctx);
	            }
	            else {
	                key = toJS.toJS(pair, '', ctx);
	            }
	            if (map.has(key))
	                throw new Error('Ordered maps must not include duplicate keys');
	            map.set(key, value);
	        }
	        return map;
	    }
	    static from(schema, iterable, ctx) {
	        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
	        const omap = new this();
	        omap.items = pairs$1.items;
	        return omap;
	    }
	}
	YAMLOMap.tag = 'tag:yaml.org,2002:omap';
	const omap$1 = {
	    collection: 'seq',
	    identify: value => value instanceof Map,
	    nodeClass: YAMLOMap,
	    default: false,
	    tag: 'tag:yaml.org,2002:omap',
	    resolve(seq, onError) {
	        const pairs$1 = pairs.resolvePairs(seq, onError);
	        const seenKeys = [];
	        for (const { key } of pairs$1.items) {
	            if (identity.isScalar(key)) {
	                if (seenKeys.includes(key.value)) {
	                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
	                }
	                else {
	                    seenKeys.push(key.value);
	                }
	            }
	        }
	        return Object.assign(new YAMLOMap(), pairs$1);
	    },
	    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
	};

	omap.YAMLOMap = YAMLOMap;
	omap.omap = omap$1;
	return omap;
}

var schema = {};

var bool = {};

var hasRequiredBool;

function requireBool () {
	if (hasRequiredBool) return bool;
	hasRequiredBool = 1;

	var Scalar = requireScalar();

	function boolStringify({ value, source }, ctx) {
	    const boolObj = value ? trueTag : falseTag;
	    if (source && boolObj.test.test(source))
	        return source;
	    return value ? ctx.options.trueStr : ctx.options.falseStr;
	}
	const trueTag = {
	    identify: value => value === true,
	    default: true,
	    tag: 'tag:yaml.org,2002:bool',
	    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
	    resolve: () => new Scalar.Scalar(true),
	    stringify: boolStringify
	};
	const falseTag = {
	    identify: value => value === false,
	    default: true,
	    tag: 'tag:yaml.org,2002:bool',
	    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
	    resolve: () => new Scalar.Scalar(false),
	    stringify: boolStringify
	};

	bool.falseTag = falseTag;
	bool.trueTag = trueTag;
	return bool;
}

var float = {};

var hasRequiredFloat;

function requireFloat () {
	if (hasRequiredFloat) return float;
	hasRequiredFloat = 1;

	var Scalar = requireScalar();
	var stringifyNumber = requireStringifyNumber();

	const floatNaN = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
	    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
	        ? NaN
	        : str[0] === '-'
	            ? Number.NEGATIVE_INFINITY
	            : Number.POSITIVE_INFINITY,
	    stringify: stringifyNumber.stringifyNumber
	};
	const floatExp = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    format: 'EXP',
	    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
	    resolve: (str) => parseFloat(str.replace(/_/g, '')),
	    stringify(node) {
	        const num = Number(node.value);
	        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
	    }
	};
	const float$1 = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
	    resolve(str) {
	        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
	        const dot = str.indexOf('.');
	        if (dot !== -1) {
	            const f = str.substring(dot + 1).replace(/_/g, '');
	            if (f[f.length - 1] === '0')
	                node.minFractionDigits = f.length;
	        }
	        return node;
	    },
	    stringify: stringifyNumber.stringifyNumber
	};

	float.float = float$1;
	float.floatExp = floatExp;
	float.floatNaN = floatNaN;
	return float;
}

var int = {};

var hasRequiredInt;

function requireInt () {
	if (hasRequiredInt) return int;
	hasRequiredInt = 1;

	var stringifyNumber = requireStringifyNumber();

	const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
	function intResolve(str, offset, radix, { intAsBigInt }) {
	    const sign = str[0];
	    if (sign === '-' || sign === '+')
	        offset += 1;
	    str = str.substring(offset).replace(/_/g, '');
	    if (intAsBigInt) {
	        switch (radix) {
	            case 2:
	                str = `0b${str}`;
	                break;
	            case 8:
	                str = `0o${str}`;
	                break;
	            case 16:
	                str = `0x${str}`;
	                break;
	        }
	        const n = BigInt(str);
	        return sign === '-' ? BigInt(-1) * n : n;
	    }
	    const n = parseInt(str, radix);
	    return sign === '-' ? -1 * n : n;
	}
	function intStringify(node, radix, prefix) {
	    const { value } = node;
	    if (intIdentify(value)) {
	        const str = value.toString(radix);
	        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
	    }
	    return stringifyNumber.stringifyNumber(node);
	}
	const intBin = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'BIN',
	    test: /^[-+]?0b[0-1_]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
	    stringify: node => intStringify(node, 2, '0b')
	};
	const intOct = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'OCT',
	    test: /^[-+]?0[0-7_]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
	    stringify: node => intStringify(node, 8, '0')
	};
	const int$1 = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    test: /^[-+]?[0-9][0-9_]*$/,
	    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
	    stringify: stringifyNumber.stringifyNumber
	};
	const intHex = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'HEX',
	    test: /^[-+]?0x[0-9a-fA-F_]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
	    stringify: node => intStringify(node, 16, '0x')
	};

	int.int = int$1;
	int.intBin = intBin;
	int.intHex = intHex;
	int.intOct = intOct;
	return int;
}

var set$1 = {};

var hasRequiredSet$1;

function requireSet$1 () {
	if (hasRequiredSet$1) return set$1;
	hasRequiredSet$1 = 1;

	var identity = requireIdentity();
	var Pair = requirePair();
	var YAMLMap = requireYAMLMap();

	class YAMLSet extends YAMLMap.YAMLMap {
	    constructor(schema) {
	        super(schema);
	        this.tag = YAMLSet.tag;
	    }
	    add(key) {
	        let pair;
	        if (identity.isPair(key))
	            pair = key;
	        else if (key &&
	            typeof key === 'object' &&
	            'key' in key &&
	            'value' in key &&
	            key.value === null)
	            pair = new Pair.Pair(key.key, null);
	        else
	            pair = new Pair.Pair(key, null);
	        const prev = YAMLMap.findPair(this.items, pair.key);
	        if (!prev)
	            this.items.push(pair);
	    }
	    /**
	     * If `keepPair` is `true`, returns the Pair matching `key`.
	     * Otherwise, returns the value of that Pair's key.
	     */
	    get(key, keepPair) {
	        const pair = YAMLMap.findPair(this.items, key);
	        return !keepPair && identity.isPair(pair)
	            ? identity.isScalar(pair.key)
	                ? pair.key.value
	                : pair.key
	            : pair;
	    }
	    set(key, value) {
	        if (typeof value !== 'boolean')
	            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
	        const prev = YAMLMap.findPair(this.items, key);
	        if (prev && !value) {
	            this.items.splice(this.items.indexOf(prev), 1);
	        }
	        else if (!prev && value) {
	            this.items.push(new Pair.Pair(key));
	        }
	    }
	    toJSON(_, ctx) {
	        return super.toJSON(_, ctx, Set);
	    }
	    toString(ctx, onComment, onChompKeep) {
	        if (!ctx)
	            return JSON.stringify(this);
	        if (this.hasAllNullValues(true))
	            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
	        else
	            throw new Error('Set items must all have null values');
	    }
	    static from(schema, iterable, ctx) {
	        const { replacer } = ctx;
	        const set = new this(schema);
	        if (iterable && Symbol.iterator in Object(iterable))
	            for (let value of iterable) {
	                if (typeof replacer === 'function')
	                    value = replacer.call(iterable, value, value);
	                set.items.push(Pair.createPair(value, null, ctx));
	            }
	        return set;
	    }
	}
	YAMLSet.tag = 'tag:yaml.org,2002:set';
	const set = {
	    collection: 'map',
	    identify: value => value instanceof Set,
	    nodeClass: YAMLSet,
	    default: false,
	    tag: 'tag:yaml.org,2002:set',
	    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
	    resolve(map, onError) {
	        if (identity.isMap(map)) {
	            if (map.hasAllNullValues(true))
	                return Object.assign(new YAMLSet(), map);
	            else
	                onError('Set items must all have null values');
	        }
	        else
	            onError('Expected a mapping for this tag');
	        return map;
	    }
	};

	set$1.YAMLSet = YAMLSet;
	set$1.set = set;
	return set$1;
}

var timestamp = {};

var hasRequiredTimestamp;

function requireTimestamp () {
	if (hasRequiredTimestamp) return timestamp;
	hasRequiredTimestamp = 1;

	var stringifyNumber = requireStringifyNumber();

	/** Internal types handle bigint as number, because TS can't figure it out. */
	function parseSexagesimal(str, asBigInt) {
	    const sign = str[0];
	    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
	    const num = (n) => asBigInt ? BigInt(n) : Number(n);
	    const res = parts
	        .replace(/_/g, '')
	        .split(':')
	        .reduce((res, p) => res * num(60) + num(p), num(0));
	    return (sign === '-' ? num(-1) * res : res);
	}
	/**
	 * hhhh:mm:ss.sss
	 *
	 * Internal types handle bigint as number, because TS can't figure it out.
	 */
	function stringifySexagesimal(node) {
	    let { value } = node;
	    let num = (n) => n;
	    if (typeof value === 'bigint')
	        num = n => BigInt(n);
	    else if (isNaN(value) || !isFinite(value))
	        return stringifyNumber.stringifyNumber(node);
	    let sign = '';
	    if (value < 0) {
	        sign = '-';
	        value *= num(-1);
	    }
	    const _60 = num(60);
	    const parts = [value % _60]; // seconds, including ms
	    if (value < 60) {
	        parts.unshift(0); // at least one : is required
	    }
	    else {
	        value = (value - parts[0]) / _60;
	        parts.unshift(value % _60); // minutes
	        if (value >= 60) {
	            value = (value - parts[0]) / _60;
	            parts.unshift(value); // hours
	        }
	    }
	    return (sign +
	        parts
	            .map(n => String(n).padStart(2, '0'))
	            .join(':')
	            .replace(/000000\d*$/, '') // % 60 may introduce error
	    );
	}
	const intTime = {
	    identify: value => typeof value === 'bigint' || Number.isInteger(value),
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'TIME',
	    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
	    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
	    stringify: stringifySexagesimal
	};
	const floatTime = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    format: 'TIME',
	    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
	    resolve: str => parseSexagesimal(str, false),
	    stringify: stringifySexagesimal
	};
	const timestamp$1 = {
	    identify: value => value instanceof Date,
	    default: true,
	    tag: 'tag:yaml.org,2002:timestamp',
	    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
	    // may be omitted altogether, resulting in a date format. In such a case, the time part is
	    // assumed to be 00:00:00Z (start of day, UTC).
	    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
	        '(?:' + // time is optional
	        '(?:t|T|[ \\t]+)' + // t | T | whitespace
	        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
	        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
	        ')?$'),
	    resolve(str) {
	        const match = str.match(timestamp$1.test);
	        if (!match)
	            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
	        const [, year, month, day, hour, minute, second] = match.map(Number);
	        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
	        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
	        const tz = match[8];
	        if (tz && tz !== 'Z') {
	            let d = parseSexagesimal(tz, false);
	            if (Math.abs(d) < 30)
	                d *= 60;
	            date -= 60000 * d;
	        }
	        return new Date(date);
	    },
	    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
	};

	timestamp.floatTime = floatTime;
	timestamp.intTime = intTime;
	timestamp.timestamp = timestamp$1;
	return timestamp;
}

var hasRequiredSchema$1;

function requireSchema$1 () {
	if (hasRequiredSchema$1) return schema;
	hasRequiredSchema$1 = 1;

	var map = requireMap();
	var _null = require_null();
	var seq = requireSeq();
	var string = requireString();
	var binary = requireBinary();
	var bool = requireBool();
	var float = requireFloat();
	var int = requireInt();
	var merge = requireMerge();
	var omap = requireOmap();
	var pairs = requirePairs();
	var set = requireSet$1();
	var timestamp = requireTimestamp();

	const schema$1 = [
	    map.map,
	    seq.seq,
	    string.string,
	    _null.nullTag,
	    bool.trueTag,
	    bool.falseTag,
	    int.intBin,
	    int.intOct,
	    int.int,
	    int.intHex,
	    float.floatNaN,
	    float.floatExp,
	    float.float,
	    binary.binary,
	    merge.merge,
	    omap.omap,
	    pairs.pairs,
	    set.set,
	    timestamp.intTime,
	    timestamp.floatTime,
	    timestamp.timestamp
	];

	schema.schema = schema$1;
	return schema;
}

var hasRequiredTags;

function requireTags () {
	if (hasRequiredTags) return tags;
	hasRequiredTags = 1;

	var map = requireMap();
	var _null = require_null();
	var seq = requireSeq();
	var string = requireString();
	var bool = requireBool$1();
	var float = requireFloat$1();
	var int = requireInt$1();
	var schema = requireSchema$3();
	var schema$1 = requireSchema$2();
	var binary = requireBinary();
	var merge = requireMerge();
	var omap = requireOmap();
	var pairs = requirePairs();
	var schema$2 = requireSchema$1();
	var set = requireSet$1();
	var timestamp = requireTimestamp();

	const schemas = new Map([
	    ['core', schema.schema],
	    ['failsafe', [map.map, seq.seq, string.string]],
	    ['json', schema$1.schema],
	    ['yaml11', schema$2.schema],
	    ['yaml-1.1', schema$2.schema]
	]);
	const tagsByName = {
	    binary: binary.binary,
	    bool: bool.boolTag,
	    float: float.float,
	    floatExp: float.floatExp,
	    floatNaN: float.floatNaN,
	    floatTime: timestamp.floatTime,
	    int: int.int,
	    intHex: int.intHex,
	    intOct: int.intOct,
	    intTime: timestamp.intTime,
	    map: map.map,
	    merge: merge.merge,
	    null: _null.nullTag,
	    omap: omap.omap,
	    pairs: pairs.pairs,
	    seq: seq.seq,
	    set: set.set,
	    timestamp: timestamp.timestamp
	};
	const coreKnownTags = {
	    'tag:yaml.org,2002:binary': binary.binary,
	    'tag:yaml.org,2002:merge': merge.merge,
	    'tag:yaml.org,2002:omap': omap.omap,
	    'tag:yaml.org,2002:pairs': pairs.pairs,
	    'tag:yaml.org,2002:set': set.set,
	    'tag:yaml.org,2002:timestamp': timestamp.timestamp
	};
	function getTags(customTags, schemaName, addMergeTag) {
	    const schemaTags = schemas.get(schemaName);
	    if (schemaTags && !customTags) {
	        return addMergeTag && !schemaTags.includes(merge.merge)
	            ? schemaTags.concat(merge.merge)
	            : schemaTags.slice();
	    }
	    let tags = schemaTags;
	    if (!tags) {
	        if (Array.isArray(customTags))
	            tags = [];
	        else {
	            const keys = Array.from(schemas.keys())
	                .filter(key => key !== 'yaml11')
	                .map(key => JSON.stringify(key))
	                .join(', ');
	            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
	        }
	    }
	    if (Array.isArray(customTags)) {
	        for (const tag of customTags)
	            tags = tags.concat(tag);
	    }
	    else if (typeof customTags === 'function') {
	        tags = customTags(tags.slice());
	    }
	    if (addMergeTag)
	        tags = tags.concat(merge.merge);
	    return tags.reduce((tags, tag) => {
	        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
	        if (!tagObj) {
	            const tagName = JSON.stringify(tag);
	            const keys = Object.keys(tagsByName)
	                .map(key => JSON.stringify(key))
	                .join(', ');
	            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
	        }
	        if (!tags.includes(tagObj))
	            tags.push(tagObj);
	        return tags;
	    }, []);
	}

	tags.coreKnownTags = coreKnownTags;
	tags.getTags = getTags;
	return tags;
}

var hasRequiredSchema;

function requireSchema () {
	if (hasRequiredSchema) return Schema;
	hasRequiredSchema = 1;

	var identity = requireIdentity();
	var map = requireMap();
	var seq = requireSeq();
	var string = requireString();
	var tags = requireTags();

	const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
	let Schema$1 = class Schema {
	    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
	        this.compat = Array.isArray(compat)
	            ? tags.getTags(compat, 'compat')
	            : compat
	                ? tags.getTags(null, compat)
	                : null;
	        this.name = (typeof schema === 'string' && schema) || 'core';
	        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
	        this.tags = tags.getTags(customTags, this.name, merge);
	        this.toStringOptions = toStringDefaults ?? null;
	        Object.defineProperty(this, identity.MAP, { value: map.map });
	        Object.defineProperty(this, identity.SCALAR, { value: string.string });
	        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
	        // Used by createMap()
	        this.sortMapEntries =
	            typeof sortMapEntries === 'function'
	                ? sortMapEntries
	                : sortMapEntries === true
	                    ? sortMapEntriesByKey
	                    : null;
	    }
	    clone() {
	        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
	        copy.tags = this.tags.slice();
	        return copy;
	    }
	};

	Schema.Schema = Schema$1;
	return Schema;
}

var stringifyDocument = {};

var hasRequiredStringifyDocument;

function requireStringifyDocument () {
	if (hasRequiredStringifyDocument) return stringifyDocument;
	hasRequiredStringifyDocument = 1;

	var identity = requireIdentity();
	var stringify = requireStringify();
	var stringifyComment = requireStringifyComment();

	function stringifyDocument$1(doc, options) {
	    const lines = [];
	    let hasDirectives = options.directives === true;
	    if (options.directives !== false && doc.directives) {
	        const dir = doc.directives.toString(doc);
	        if (dir) {
	            lines.push(dir);
	            hasDirectives = true;
	        }
	        else if (doc.directives.docStart)
	            hasDirectives = true;
	    }
	    if (hasDirectives)
	        lines.push('---');
	    const ctx = stringify.createStringifyContext(doc, options);
	    const { commentString } = ctx.options;
	    if (doc.commentBefore) {
	        if (lines.length !== 1)
	            lines.unshift('');
	        const cs = commentString(doc.commentBefore);
	        lines.unshift(stringifyComment.indentComment(cs, ''));
	    }
	    let chompKeep = false;
	    let contentComment = null;
	    if (doc.contents) {
	        if (identity.isNode(doc.contents)) {
	            if (doc.contents.spaceBefore && hasDirectives)
	                lines.push('');
	            if (doc.contents.commentBefore) {
	                const cs = commentString(doc.contents.commentBefore);
	                lines.push(stringifyComment.indentComment(cs, ''));
	            }
	            // top-level block scalars need to be indented if followed by a comment
	            ctx.forceBlockIndent = !!doc.comment;
	            contentComment = doc.contents.comment;
	        }
	        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
	        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
	        if (contentComment)
	            body += stringifyComment.lineComment(body, '', commentString(contentComment));
	        if ((body[0] === '|' || body[0] === '>') &&
	            lines[lines.length - 1] === '---') {
	            // Top-level block scalars with a preceding doc marker ought to use the
	            // same line for their header.
	            lines[lines.length - 1] = `--- ${body}`;
	        }
	        else
	            lines.push(body);
	    }
	    else {
	        lines.push(stringify.stringify(doc.contents, ctx));
	    }
	    if (doc.directives?.docEnd) {
	        if (doc.comment) {
	            const cs = commentString(doc.comment);
	            if (cs.includes('\n')) {
	                lines.push('...');
	                lines.push(stringifyComment.indentComment(cs, ''));
	            }
	            else {
	                lines.push(`... ${cs}`);
	            }
	        }
	        else {
	            lines.push('...');
	        }
	    }
	    else {
	        let dc = doc.comment;
	        if (dc && chompKeep)
	            dc = dc.replace(/^\n+/, '');
	        if (dc) {
	            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
	                lines.push('');
	            lines.push(stringifyComment.indentComment(commentString(dc), ''));
	        }
	    }
	    return lines.join('\n') + '\n';
	}

	stringifyDocument.stringifyDocument = stringifyDocument$1;
	return stringifyDocument;
}

var hasRequiredDocument;

function requireDocument () {
	if (hasRequiredDocument) return Document;
	hasRequiredDocument = 1;

	var Alias = requireAlias();
	var Collection = requireCollection();
	var identity = requireIdentity();
	var Pair = requirePair();
	var toJS = requireToJS();
	var Schema = requireSchema();
	var stringifyDocument = requireStringifyDocument();
	var anchors = requireAnchors();
	var applyReviver = requireApplyReviver();
	var createNode = requireCreateNode();
	var directives = requireDirectives();

	let Document$1 = class Document {
	    constructor(value, replacer, options) {
	        /** A comment before this Document */
	        this.commentBefore = null;
	        /** A comment immediately after this Document */
	        this.comment = null;
	        /** Errors encountered during parsing. */
	        this.errors = [];
	        /** Warnings encountered during parsing. */
	        this.warnings = [];
	        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
	        let _replacer = null;
	        if (typeof replacer === 'function' || Array.isArray(replacer)) {
	            _replacer = replacer;
	        }
	        else if (options === undefined && replacer) {
	            options = replacer;
	            replacer = undefined;
	        }
	        const opt = Object.assign({
	            intAsBigInt: false,
	            keepSourceTokens: false,
	            logLevel: 'warn',
	            prettyErrors: true,
	            strict: true,
	            stringKeys: false,
	            uniqueKeys: true,
	            version: '1.2'
	        }, options);
	        this.options = opt;
	        let { version } = opt;
	        if (options?._directives) {
	            this.directives = options._directives.atDocument();
	            if (this.directives.yaml.explicit)
	                version = this.directives.yaml.version;
	        }
	        else
	            this.directives = new directives.Directives({ version });
	        this.setSchema(version, options);
	        // @ts-expect-error We can't really know that this matches Contents.
	        this.contents =
	            value === undefined ? null : this.createNode(value, _replacer, options);
	    }
	    /**
	     * Create a deep copy of this Document and its contents.
	     *
	     * Custom Node values that inherit from `Object` still refer to their original instances.
	     */
	    clone() {
	        const copy = Object.create(Document.prototype, {
	            [identity.NODE_TYPE]: { value: identity.DOC }
	        });
	        copy.commentBefore = this.commentBefore;
	        copy.comment = this.comment;
	        copy.errors = this.errors.slice();
	        copy.warnings = this.warnings.slice();
	        copy.options = Object.assign({}, this.options);
	        if (this.directives)
	            copy.directives = this.directives.clone();
	        copy.schema = this.schema.clone();
	        // @ts-expect-error We can't really know that this matches Contents.
	        copy.contents = identity.isNode(this.contents)
	            ? this.contents.clone(copy.schema)
	            : this.contents;
	        if (this.range)
	            copy.range = this.range.slice();
	        return copy;
	    }
	    /** Adds a value to the document. */
	    add(value) {
	        if (assertCollection(this.contents))
	            this.contents.add(value);
	    }
	    /** Adds a value to the document. */
	    addIn(path, value) {
	        if (assertCollection(this.contents))
	            this.contents.addIn(path, value);
	    }
	    /**
	     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
	     *
	     * If `node` already has an anchor, `name` is ignored.
	     * Otherwise, the `node.anchor` value will be set to `name`,
	     * or if an anchor with that name is already present in the document,
	     * `name` will be used as a prefix for a new unique anchor.
	     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
	     */
	    createAlias(node, name) {
	        if (!node.anchor) {
	            const prev = anchors.anchorNames(this);
	            node.anchor =
	                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
	        }
	        return new Alias.Alias(node.anchor);
	    }
	    createNode(value, replacer, options) {
	        let _replacer = undefined;
	        if (typeof replacer === 'function') {
	            value = replacer.call({ '': value }, '', value);
	            _replacer = replacer;
	        }
	        else if (Array.isArray(replacer)) {
	            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
	            const asStr = replacer.filter(keyToStr).map(String);
	            if (asStr.length > 0)
	                replacer = replacer.concat(asStr);
	            _replacer = replacer;
	        }
	        else if (options === undefined && replacer) {
	            options = replacer;
	            replacer = undefined;
	        }
	        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
	        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
	        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	        anchorPrefix || 'a');
	        const ctx = {
	            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
	            keepUndefined: keepUndefined ?? false,
	            onAnchor,
	            onTagObj,
	            replacer: _replacer,
	            schema: this.schema,
	            sourceObjects
	        };
	        const node = createNode.createNode(value, tag, ctx);
	        if (flow && identity.isCollection(node))
	            node.flow = true;
	        setAnchors();
	        return node;
	    }
	    /**
	     * Convert a key and a value into a `Pair` using the current schema,
	     * recursively wrapping all values as `Scalar` or `Collection` nodes.
	     */
	    createPair(key, value, options = {}) {
	        const k = this.createNode(key, null, options);
	        const v = this.createNode(value, null, options);
	        return new Pair.Pair(k, v);
	    }
	    /**
	     * Removes a value from the document.
	     * @returns `true` if the item was found and removed.
	     */
	    delete(key) {
	        return assertCollection(this.contents) ? this.contents.delete(key) : false;
	    }
	    /**
	     * Removes a value from the document.
	     * @returns `true` if the item was found and removed.
	     */
	    deleteIn(path) {
	        if (Collection.isEmptyPath(path)) {
	            if (this.contents == null)
	                return false;
	            // @ts-expect-error Presumed impossible if Strict extends false
	            this.contents = null;
	            return true;
	        }
	        return assertCollection(this.contents)
	            ? this.contents.deleteIn(path)
	            : false;
	    }
	    /**
	     * Returns item at `key`, or `undefined` if not found. By default unwraps
	     * scalar values from their surrounding node; to disable set `keepScalar` to
	     * `true` (collections are always returned intact).
	     */
	    get(key, keepScalar) {
	        return identity.isCollection(this.contents)
	            ? this.contents.get(key, keepScalar)
	            : undefined;
	    }
	    /**
	     * Returns item at `path`, or `undefined` if not found. By default unwraps
	     * scalar values from their surrounding node; to disable set `keepScalar` to
	     * `true` (collections are always returned intact).
	     */
	    getIn(path, keepScalar) {
	        if (Collection.isEmptyPath(path))
	            return !keepScalar && identity.isScalar(this.contents)
	                ? this.contents.value
	                : this.contents;
	        return identity.isCollection(this.contents)
	            ? this.contents.getIn(path, keepScalar)
	            : undefined;
	    }
	    /**
	     * Checks if the document includes a value with the key `key`.
	     */
	    has(key) {
	        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
	    }
	    /**
	     * Checks if the document includes a value at `path`.
	     */
	    hasIn(path) {
	        if (Collection.isEmptyPath(path))
	            return this.contents !== undefined;
	        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
	    }
	    /**
	     * Sets a value in this document. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     */
	    set(key, value) {
	        if (this.contents == null) {
	            // @ts-expect-error We can't really know that this matches Contents.
	            this.contents = Collection.collectionFromPath(this.schema, [key], value);
	        }
	        else if (assertCollection(this.contents)) {
	            this.contents.set(key, value);
	        }
	    }
	    /**
	     * Sets a value in this document. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     */
	    setIn(path, value) {
	        if (Collection.isEmptyPath(path)) {
	            // @ts-expect-error We can't really know that this matches Contents.
	            this.contents = value;
	        }
	        else if (this.contents == null) {
	            // @ts-expect-error We can't really know that this matches Contents.
	            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
	        }
	        else if (assertCollection(this.contents)) {
	            this.contents.setIn(path, value);
	        }
	    }
	    /**
	     * Change the YAML version and schema used by the document.
	     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
	     * It also requires the `schema` option to be given as a `Schema` instance value.
	     *
	     * Overrides all previously set schema options.
	     */
	    setSchema(version, options = {}) {
	        if (typeof version === 'number')
	            version = String(version);
	        let opt;
	        switch (version) {
	            case '1.1':
	                if (this.directives)
	                    this.directives.yaml.version = '1.1';
	                else
	                    this.directives = new directives.Directives({ version: '1.1' });
	                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
	                break;
	            case '1.2':
	            case 'next':
	                if (this.directives)
	                    this.directives.yaml.version = version;
	                else
	                    this.directives = new directives.Directives({ version });
	                opt = { resolveKnownTags: true, schema: 'core' };
	                break;
	            case null:
	                if (this.directives)
	                    delete this.directives;
	                opt = null;
	                break;
	            default: {
	                const sv = JSON.stringify(version);
	                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
	            }
	        }
	        // Not using `instanceof Schema` to allow for duck typing
	        if (options.schema instanceof Object)
	            this.schema = options.schema;
	        else if (opt)
	            this.schema = new Schema.Schema(Object.assign(opt, options));
	        else
	            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
	    }
	    // json & jsonArg are only used from toJSON()
	    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
	        const ctx = {
	            anchors: new Map(),
	            doc: this,
	            keep: !json,
	            mapAsMap: mapAsMap === true,
	            mapKeyWarned: false,
	            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
	        };
	        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
	        if (typeof onAnchor === 'function')
	            for (const { count, res } of ctx.anchors.values())
	                onAnchor(res, count);
	        return typeof reviver === 'function'
	            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
	            : res;
	    }
	    /**
	     * A JSON representation of the document `contents`.
	     *
	     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
	     *   property name.
	     */
	    toJSON(jsonArg, onAnchor) {
	        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
	    }
	    /** A YAML representation of the document. */
	    toString(options = {}) {
	        if (this.errors.length > 0)
	            throw new Error('Document with errors cannot be stringified');
	        if ('indent' in options &&
	            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
	            const s = JSON.stringify(options.indent);
	            throw new Error(`"indent" option must be a positive integer, not ${s}`);
	        }
	        return stringifyDocument.stringifyDocument(this, options);
	    }
	};
	function assertCollection(contents) {
	    if (identity.isCollection(contents))
	        return true;
	    throw new Error('Expected a YAML collection as document contents');
	}

	Document.Document = Document$1;
	return Document;
}

var errors = {};

var hasRequiredErrors;

function requireErrors () {
	if (hasRequiredErrors) return errors;
	hasRequiredErrors = 1;

	class YAMLError extends Error {
	    constructor(name, pos, code, message) {
	        super();
	        this.name = name;
	        this.code = code;
	        this.message = message;
	        this.pos = pos;
	    }
	}
	class YAMLParseError extends YAMLError {
	    constructor(pos, code, message) {
	        super('YAMLParseError', pos, code, message);
	    }
	}
	class YAMLWarning extends YAMLError {
	    constructor(pos, code, message) {
	        super('YAMLWarning', pos, code, message);
	    }
	}
	const prettifyError = (src, lc) => (error) => {
	    if (error.pos[0] === -1)
	        return;
	    error.linePos = error.pos.map(pos => lc.linePos(pos));
	    const { line, col } = error.linePos[0];
	    error.message += ` at line ${line}, column ${col}`;
	    let ci = col - 1;
	    let lineStr = src
	        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
	        .replace(/[\n\r]+$/, '');
	    // Trim to max 80 chars, keeping col position near the middle
	    if (ci >= 60 && lineStr.length > 80) {
	        const trimStart = Math.min(ci - 39, lineStr.length - 79);
	        lineStr = '…' + lineStr.substring(trimStart);
	        ci -= trimStart - 1;
	    }
	    if (lineStr.length > 80)
	        lineStr = lineStr.substring(0, 79) + '…';
	    // Include previous line in context if pointing at line start
	    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
	        // Regexp won't match if start is trimmed
	        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
	        if (prev.length > 80)
	            prev = prev.substring(0, 79) + '…\n';
	        lineStr = prev + lineStr;
	    }
	    if (/[^ ]/.test(lineStr)) {
	        let count = 1;
	        const end = error.linePos[1];
	        if (end?.line === line && end.col > col) {
	            count = Math.max(1, Math.min(end.col - col, 80 - ci));
	        }
	        const pointer = ' '.repeat(ci) + '^'.repeat(count);
	        error.message += `:\n\n${lineStr}\n${pointer}\n`;
	    }
	};

	errors.YAMLError = YAMLError;
	errors.YAMLParseError = YAMLParseError;
	errors.YAMLWarning = YAMLWarning;
	errors.prettifyError = prettifyError;
	return errors;
}

var composeDoc = {};

var composeNode = {};

var composeCollection = {};

var resolveBlockMap = {};

var resolveProps = {};

var hasRequiredResolveProps;

function requireResolveProps () {
	if (hasRequiredResolveProps) return resolveProps;
	hasRequiredResolveProps = 1;

	function resolveProps$1(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
	    let spaceBefore = false;
	    let atNewline = startOnNewline;
	    let hasSpace = startOnNewline;
	    let comment = '';
	    let commentSep = '';
	    let hasNewline = false;
	    let reqSpace = false;
	    let tab = null;
	    let anchor = null;
	    let tag = null;
	    let newlineAfterProp = null;
	    let comma = null;
	    let found = null;
	    let start = null;
	    for (const token of tokens) {
	        if (reqSpace) {
	            if (token.type !== 'space' &&
	                token.type !== 'newline' &&
	                token.type !== 'comma')
	                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
	            reqSpace = false;
	        }
	        if (tab) {
	            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
	                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
	            }
	            tab = null;
	        }
	        switch (token.type) {
	            case 'space':
	                // At the doc level, tabs at line start may be parsed
	                // as leading white space rather than indentation.
	                // In a flow collection, only the parser handles indent.
	                if (!flow &&
	                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
	                    token.source.includes('\t')) {
	                    tab = token;
	                }
	                hasSpace = true;
	                break;
	            case 'comment': {
	                if (!hasSpace)
	                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
	                const cb = token.source.substring(1) || ' ';
	                if (!comment)
	                    comment = cb;
	                else
	                    comment += commentSep + cb;
	                commentSep = '';
	                atNewline = false;
	                break;
	            }
	            case 'newline':
	                if (atNewline) {
	                    if (comment)
	                        comment += token.source;
	                    else if (!found || indicator !== 'seq-item-ind')
	                        spaceBefore = true;
	                }
	                else
	                    commentSep += token.source;
	                atNewline = true;
	                hasNewline = true;
	                if (anchor || tag)
	                    newlineAfterProp = token;
	                hasSpace = true;
	                break;
	            case 'anchor':
	                if (anchor)
	                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
	                if (token.source.endsWith(':'))
	                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
	                anchor = token;
	                start ?? (start = token.offset);
	                atNewline = false;
	                hasSpace = false;
	                reqSpace = true;
	                break;
	            case 'tag': {
	                if (tag)
	                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
	                tag = token;
	                start ?? (start = token.offset);
	                atNewline = false;
	                hasSpace = false;
	                reqSpace = true;
	                break;
	            }
	            case indicator:
	                // Could here handle preceding comments differently
	                if (anchor || tag)
	                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
	                if (found)
	                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
	                found = token;
	                atNewline =
	                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
	                hasSpace = false;
	                break;
	            case 'comma':
	                if (flow) {
	                    if (comma)
	                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
	                    comma = token;
	                    atNewline = false;
	                    hasSpace = false;
	                    break;
	                }
	            // else fallthrough
	            default:
	                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
	                atNewline = false;
	                hasSpace = false;
	        }
	    }
	    const last = tokens[tokens.length - 1];
	    const end = last ? last.offset + last.source.length : offset;
	    if (reqSpace &&
	        next &&
	        next.type !== 'space' &&
	        next.type !== 'newline' &&
	        next.type !== 'comma' &&
	        (next.type !== 'scalar' || next.source !== '')) {
	        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
	    }
	    if (tab &&
	        ((atNewline && tab.indent <= parentIndent) ||
	            next?.type === 'block-map' ||
	            next?.type === 'block-seq'))
	        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
	    return {
	        comma,
	        found,
	        spaceBefore,
	        comment,
	        hasNewline,
	        anchor,
	        tag,
	        newlineAfterProp,
	        end,
	        start: start ?? end
	    };
	}

	resolveProps.resolveProps = resolveProps$1;
	return resolveProps;
}

var utilContainsNewline = {};

var hasRequiredUtilContainsNewline;

function requireUtilContainsNewline () {
	if (hasRequiredUtilContainsNewline) return utilContainsNewline;
	hasRequiredUtilContainsNewline = 1;

	function containsNewline(key) {
	    if (!key)
	        return null;
	    switch (key.type) {
	        case 'alias':
	        case 'scalar':
	        case 'double-quoted-scalar':
	        case 'single-quoted-scalar':
	            if (key.source.includes('\n'))
	                return true;
	            if (key.end)
	                for (const st of key.end)
	                    if (st.type === 'newline')
	                        return true;
	            return false;
	        case 'flow-collection':
	            for (const it of key.items) {
	                for (const st of it.start)
	                    if (st.type === 'newline')
	                        return true;
	                if (it.sep)
	                    for (const st of it.sep)
	                        if (st.type === 'newline')
	                            return true;
	                if (containsNewline(it.key) || containsNewline(it.value))
	                    return true;
	            }
	            return false;
	        default:
	            return true;
	    }
	}

	utilContainsNewline.containsNewline = containsNewline;
	return utilContainsNewline;
}

var utilFlowIndentCheck = {};

var hasRequiredUtilFlowIndentCheck;

function requireUtilFlowIndentCheck () {
	if (hasRequiredUtilFlowIndentCheck) return utilFlowIndentCheck;
	hasRequiredUtilFlowIndentCheck = 1;

	var utilContainsNewline = requireUtilContainsNewline();

	function flowIndentCheck(indent, fc, onError) {
	    if (fc?.type === 'flow-collection') {
	        const end = fc.end[0];
	        if (end.indent === indent &&
	            (end.source === ']' || end.source === '}') &&
	            utilContainsNewline.containsNewline(fc)) {
	            const msg = 'Flow end indicator should be more indented than parent';
	            onError(end, 'BAD_INDENT', msg, true);
	        }
	    }
	}

	utilFlowIndentCheck.flowIndentCheck = flowIndentCheck;
	return utilFlowIndentCheck;
}

var utilMapIncludes = {};

var hasRequiredUtilMapIncludes;

function requireUtilMapIncludes () {
	if (hasRequiredUtilMapIncludes) return utilMapIncludes;
	hasRequiredUtilMapIncludes = 1;

	var identity = requireIdentity();

	function mapIncludes(ctx, items, search) {
	    const { uniqueKeys } = ctx.options;
	    if (uniqueKeys === false)
	        return false;
	    const isEqual = typeof uniqueKeys === 'function'
	        ? uniqueKeys
	        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
	    return items.some(pair => isEqual(pair.key, search));
	}

	utilMapIncludes.mapIncludes = mapIncludes;
	return utilMapIncludes;
}

var hasRequiredResolveBlockMap;

function requireResolveBlockMap () {
	if (hasRequiredResolveBlockMap) return resolveBlockMap;
	hasRequiredResolveBlockMap = 1;

	var Pair = requirePair();
	var YAMLMap = requireYAMLMap();
	var resolveProps = requireResolveProps();
	var utilContainsNewline = requireUtilContainsNewline();
	var utilFlowIndentCheck = requireUtilFlowIndentCheck();
	var utilMapIncludes = requireUtilMapIncludes();

	const startColMsg = 'All mapping items must start at the same column';
	function resolveBlockMap$1({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
	    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
	    const map = new NodeClass(ctx.schema);
	    if (ctx.atRoot)
	        ctx.atRoot = false;
	    let offset = bm.offset;
	    let commentEnd = null;
	    for (const collItem of bm.items) {
	        const { start, key, sep, value } = collItem;
	        // key properties
	        const keyProps = resolveProps.resolveProps(start, {
	            indicator: 'explicit-key-ind',
	            next: key ?? sep?.[0],
	            offset,
	            onError,
	            parentIndent: bm.indent,
	            startOnNewline: true
	        });
	        const implicitKey = !keyProps.found;
	        if (implicitKey) {
	            if (key) {
	                if (key.type === 'block-seq')
	                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
	                else if ('indent' in key && key.indent !== bm.indent)
	                    onError(offset, 'BAD_INDENT', startColMsg);
	            }
	            if (!keyProps.anchor && !keyProps.tag && !sep) {
	                commentEnd = keyProps.end;
	                if (keyProps.comment) {
	                    if (map.comment)
	                        map.comment += '\n' + keyProps.comment;
	                    else
	                        map.comment = keyProps.comment;
	                }
	                continue;
	            }
	            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
	                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
	            }
	        }
	        else if (keyProps.found?.indent !== bm.indent) {
	            onError(offset, 'BAD_INDENT', startColMsg);
	        }
	        // key value
	        ctx.atKey = true;
	        const keyStart = keyProps.end;
	        const keyNode = key
	            ? composeNode(ctx, key, keyProps, onError)
	            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
	        if (ctx.schema.compat)
	            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
	        ctx.atKey = false;
	        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
	            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
	        // value properties
	        const valueProps = resolveProps.resolveProps(sep ?? [], {
	            indicator: 'map-value-ind',
	            next: value,
	            offset: keyNode.range[2],
	            onError,
	            parentIndent: bm.indent,
	            startOnNewline: !key || key.type === 'block-scalar'
	        });
	        offset = valueProps.end;
	        if (valueProps.found) {
	            if (implicitKey) {
	                if (value?.type === 'block-map' && !valueProps.hasNewline)
	                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
	                if (ctx.options.strict &&
	                    keyProps.start < valueProps.found.offset - 1024)
	                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
	            }
	            // value value
	            const valueNode = value
	                ? composeNode(ctx, value, valueProps, onError)
	                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
	            if (ctx.schema.compat)
	                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
	            offset = valueNode.range[2];
	            const pair = new Pair.Pair(keyNode, valueNode);
	            if (ctx.options.keepSourceTokens)
	                pair.srcToken = collItem;
	            map.items.push(pair);
	        }
	        else {
	            // key with no value
	            if (implicitKey)
	                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
	            if (valueProps.comment) {
	                if (keyNode.comment)
	                    keyNode.comment += '\n' + valueProps.comment;
	                else
	                    keyNode.comment = valueProps.comment;
	            }
	            const pair = new Pair.Pair(keyNode);
	            if (ctx.options.keepSourceTokens)
	                pair.srcToken = collItem;
	            map.items.push(pair);
	        }
	    }
	    if (commentEnd && commentEnd < offset)
	        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
	    map.range = [bm.offset, offset, commentEnd ?? offset];
	    return map;
	}

	resolveBlockMap.resolveBlockMap = resolveBlockMap$1;
	return resolveBlockMap;
}

var resolveBlockSeq = {};

var hasRequiredResolveBlockSeq;

function requireResolveBlockSeq () {
	if (hasRequiredResolveBlockSeq) return resolveBlockSeq;
	hasRequiredResolveBlockSeq = 1;

	var YAMLSeq = requireYAMLSeq();
	var resolveProps = requireResolveProps();
	var utilFlowIndentCheck = requireUtilFlowIndentCheck();

	function resolveBlockSeq$1({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
	    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
	    const seq = new NodeClass(ctx.schema);
	    if (ctx.atRoot)
	        ctx.atRoot = false;
	    if (ctx.atKey)
	        ctx.atKey = false;
	    let offset = bs.offset;
	    let commentEnd = null;
	    for (const { start, value } of bs.items) {
	        const props = resolveProps.resolveProps(start, {
	            indicator: 'seq-item-ind',
	            next: value,
	            offset,
	            onError,
	            parentIndent: bs.indent,
	            startOnNewline: true
	        });
	        if (!props.found) {
	            if (props.anchor || props.tag || value) {
	                if (value?.type === 'block-seq')
	                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
	                else
	                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
	            }
	            else {
	                commentEnd = props.end;
	                if (props.comment)
	                    seq.comment = props.comment;
	                continue;
	            }
	        }
	        const node = value
	            ? composeNode(ctx, value, props, onError)
	            : composeEmptyNode(ctx, props.end, start, null, props, onError);
	        if (ctx.schema.compat)
	            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
	        offset = node.range[2];
	        seq.items.push(node);
	    }
	    seq.range = [bs.offset, offset, commentEnd ?? offset];
	    return seq;
	}

	resolveBlockSeq.resolveBlockSeq = resolveBlockSeq$1;
	return resolveBlockSeq;
}

var resolveFlowCollection = {};

var resolveEnd = {};

var hasRequiredResolveEnd;

function requireResolveEnd () {
	if (hasRequiredResolveEnd) return resolveEnd;
	hasRequiredResolveEnd = 1;

	function resolveEnd$1(end, offset, reqSpace, onError) {
	    let comment = '';
	    if (end) {
	        let hasSpace = false;
	        let sep = '';
	        for (const token of end) {
	            const { source, type } = token;
	            switch (type) {
	                case 'space':
	                    hasSpace = true;
	                    break;
	                case 'comment': {
	                    if (reqSpace && !hasSpace)
	                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
	                    const cb = source.substring(1) || ' ';
	                    if (!comment)
	                        comment = cb;
	                    else
	                        comment += sep + cb;
	                    sep = '';
	                    break;
	                }
	                case 'newline':
	                    if (comment)
	                        sep += source;
	                    hasSpace = true;
	                    break;
	                default:
	                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
	            }
	            offset += source.length;
	        }
	    }
	    return { comment, offset };
	}

	resolveEnd.resolveEnd = resolveEnd$1;
	return resolveEnd;
}

var hasRequiredResolveFlowCollection;

function requireResolveFlowCollection () {
	if (hasRequiredResolveFlowCollection) return resolveFlowCollection;
	hasRequiredResolveFlowCollection = 1;

	var identity = requireIdentity();
	var Pair = requirePair();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var resolveEnd = requireResolveEnd();
	var resolveProps = requireResolveProps();
	var utilContainsNewline = requireUtilContainsNewline();
	var utilMapIncludes = requireUtilMapIncludes();

	const blockMsg = 'Block collections are not allowed within flow collections';
	const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
	function resolveFlowCollection$1({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
	    const isMap = fc.start.source === '{';
	    const fcName = isMap ? 'flow map' : 'flow sequence';
	    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
	    const coll = new NodeClass(ctx.schema);
	    coll.flow = true;
	    const atRoot = ctx.atRoot;
	    if (atRoot)
	        ctx.atRoot = false;
	    if (ctx.atKey)
	        ctx.atKey = false;
	    let offset = fc.offset + fc.start.source.length;
	    for (let i = 0; i < fc.items.length; ++i) {
	        const collItem = fc.items[i];
	        const { start, key, sep, value } = collItem;
	        const props = resolveProps.resolveProps(start, {
	            flow: fcName,
	            indicator: 'explicit-key-ind',
	            next: key ?? sep?.[0],
	            offset,
	            onError,
	            parentIndent: fc.indent,
	            startOnNewline: false
	        });
	        if (!props.found) {
	            if (!props.anchor && !props.tag && !sep && !value) {
	                if (i === 0 && props.comma)
	                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
	                else if (i < fc.items.length - 1)
	                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
	                if (props.comment) {
	                    if (coll.comment)
	                        coll.comment += '\n' + props.comment;
	                    else
	                        coll.comment = props.comment;
	                }
	                offset = props.end;
	                continue;
	            }
	            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
	                onError(key, // checked by containsNewline()
	                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
	        }
	        if (i === 0) {
	            if (props.comma)
	                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
	        }
	        else {
	            if (!props.comma)
	                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
	            if (props.comment) {
	                let prevItemComment = '';
	                loop: for (const st of start) {
	                    switch (st.type) {
	                        case 'comma':
	                        case 'space':
	                            break;
	                        case 'comment':
	                            prevItemComment = st.source.substring(1);
	                            break loop;
	                        default:
	                            break loop;
	                    }
	                }
	                if (prevItemComment) {
	                    let prev = coll.items[coll.items.length - 1];
	                    if (identity.isPair(prev))
	                        prev = prev.value ?? prev.key;
	                    if (prev.comment)
	                        prev.comment += '\n' + prevItemComment;
	                    else
	                        prev.comment = prevItemComment;
	                    props.comment = props.comment.substring(prevItemComment.length + 1);
	                }
	            }
	        }
	        if (!isMap && !sep && !props.found) {
	            // item is a value in a seq
	            // → key & sep are empty, start does not include ? or :
	            const valueNode = value
	                ? composeNode(ctx, value, props, onError)
	                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
	            coll.items.push(valueNode);
	            offset = valueNode.range[2];
	            if (isBlock(value))
	                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
	        }
	        else {
	            // item is a key+value pair
	            // key value
	            ctx.atKey = true;
	            const keyStart = props.end;
	            const keyNode = key
	                ? composeNode(ctx, key, props, onError)
	                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
	            if (isBlock(key))
	                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
	            ctx.atKey = false;
	            // value properties
	            const valueProps = resolveProps.resolveProps(sep ?? [], {
	                flow: fcName,
	                indicator: 'map-value-ind',
	                next: value,
	                offset: keyNode.range[2],
	                onError,
	                parentIndent: fc.indent,
	                startOnNewline: false
	            });
	            if (valueProps.found) {
	                if (!isMap && !props.found && ctx.options.strict) {
	                    if (sep)
	                        for (const st of sep) {
	                            if (st === valueProps.found)
	                                break;
	                            if (st.type === 'newline') {
	                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
	                                break;
	                            }
	                        }
	                    if (props.start < valueProps.found.offset - 1024)
	                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
	                }
	            }
	            else if (value) {
	                if ('source' in value && value.source?.[0] === ':')
	                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
	                else
	                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
	            }
	            // value value
	            const valueNode = value
	                ? composeNode(ctx, value, valueProps, onError)
	                : valueProps.found
	                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
	                    : null;
	            if (valueNode) {
	                if (isBlock(value))
	                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
	            }
	            else if (valueProps.comment) {
	                if (keyNode.comment)
	                    keyNode.comment += '\n' + valueProps.comment;
	                else
	                    keyNode.comment = valueProps.comment;
	            }
	            const pair = new Pair.Pair(keyNode, valueNode);
	            if (ctx.options.keepSourceTokens)
	                pair.srcToken = collItem;
	            if (isMap) {
	                const map = coll;
	                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
	                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
	                map.items.push(pair);
	            }
	            else {
	                const map = new YAMLMap.YAMLMap(ctx.schema);
	                map.flow = true;
	                map.items.push(pair);
	                const endRange = (valueNode ?? keyNode).range;
	                map.range = [keyNode.range[0], endRange[1], endRange[2]];
	                coll.items.push(map);
	            }
	            offset = valueNode ? valueNode.range[2] : valueProps.end;
	        }
	    }
	    const expectedEnd = isMap ? '}' : ']';
	    const [ce, ...ee] = fc.end;
	    let cePos = offset;
	    if (ce?.source === expectedEnd)
	        cePos = ce.offset + ce.source.length;
	    else {
	        const name = fcName[0].toUpperCase() + fcName.substring(1);
	        const msg = atRoot
	            ? `${name} must end with a ${expectedEnd}`
	            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
	        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
	        if (ce && ce.source.length !== 1)
	            ee.unshift(ce);
	    }
	    if (ee.length > 0) {
	        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
	        if (end.comment) {
	            if (coll.comment)
	                coll.comment += '\n' + end.comment;
	            else
	                coll.comment = end.comment;
	        }
	        coll.range = [fc.offset, cePos, end.offset];
	    }
	    else {
	        coll.range = [fc.offset, cePos, cePos];
	    }
	    return coll;
	}

	resolveFlowCollection.resolveFlowCollection = resolveFlowCollection$1;
	return resolveFlowCollection;
}

var hasRequiredComposeCollection;

function requireComposeCollection () {
	if (hasRequiredComposeCollection) return composeCollection;
	hasRequiredComposeCollection = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var resolveBlockMap = requireResolveBlockMap();
	var resolveBlockSeq = requireResolveBlockSeq();
	var resolveFlowCollection = requireResolveFlowCollection();

	function resolveCollection(CN, ctx, token, onError, tagName, tag) {
	    const coll = token.type === 'block-map'
	        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
	        : token.type === 'block-seq'
	            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
	            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
	    const Coll = coll.constructor;
	    // If we got a tagName matching the class, or the tag name is '!',
	    // then use the tagName from the node class used to create it.
	    if (tagName === '!' || tagName === Coll.tagName) {
	        coll.tag = Coll.tagName;
	        return coll;
	    }
	    if (tagName)
	        coll.tag = tagName;
	    return coll;
	}
	function composeCollection$1(CN, ctx, token, props, onError) {
	    const tagToken = props.tag;
	    const tagName = !tagToken
	        ? null
	        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
	    if (token.type === 'block-seq') {
	        const { anchor, newlineAfterProp: nl } = props;
	        const lastProp = anchor && tagToken
	            ? anchor.offset > tagToken.offset
	                ? anchor
	                : tagToken
	            : (anchor ?? tagToken);
	        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
	            const message = 'Missing newline after block sequence props';
	            onError(lastProp, 'MISSING_CHAR', message);
	        }
	    }
	    const expType = token.type === 'block-map'
	        ? 'map'
	        : token.type === 'block-seq'
	            ? 'seq'
	            : token.start.source === '{'
	                ? 'map'
	                : 'seq';
	    // shortcut: check if it's a generic YAMLMap or YAMLSeq
	    // before jumping into the custom tag logic.
	    if (!tagToken ||
	        !tagName ||
	        tagName === '!' ||
	        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
	        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
	        return resolveCollection(CN, ctx, token, onError, tagName);
	    }
	    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
	    if (!tag) {
	        const kt = ctx.schema.knownTags[tagName];
	        if (kt?.collection === expType) {
	            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
	            tag = kt;
	        }
	        else {
	            if (kt) {
	                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
	            }
	            else {
	                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
	            }
	            return resolveCollection(CN, ctx, token, onError, tagName);
	        }
	    }
	    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
	    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
	    const node = identity.isNode(res)
	        ? res
	        : new Scalar.Scalar(res);
	    node.range = coll.range;
	    node.tag = tagName;
	    if (tag?.format)
	        node.format = tag.format;
	    return node;
	}

	composeCollection.composeCollection = composeCollection$1;
	return composeCollection;
}

var composeScalar = {};

var resolveBlockScalar = {};

var hasRequiredResolveBlockScalar;

function requireResolveBlockScalar () {
	if (hasRequiredResolveBlockScalar) return resolveBlockScalar;
	hasRequiredResolveBlockScalar = 1;

	var Scalar = requireScalar();

	function resolveBlockScalar$1(ctx, scalar, onError) {
	    const start = scalar.offset;
	    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
	    if (!header)
	        return { value: '', type: null, comment: '', range: [start, start, start] };
	    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
	    const lines = scalar.source ? splitLines(scalar.source) : [];
	    // determine the end of content & start of chomping
	    let chompStart = lines.length;
	    for (let i = lines.length - 1; i >= 0; --i) {
	        const content = lines[i][1];
	        if (content === '' || content === '\r')
	            chompStart = i;
	        else
	            break;
	    }
	    // shortcut for empty contents
	    if (chompStart === 0) {
	        const value = header.chomp === '+' && lines.length > 0
	            ? '\n'.repeat(Math.max(1, lines.length - 1))
	            : '';
	        let end = start + header.length;
	        if (scalar.source)
	            end += scalar.source.length;
	        return { value, type, comment: header.comment, range: [start, end, end] };
	    }
	    // find the indentation level to trim from start
	    let trimIndent = scalar.indent + header.indent;
	    let offset = scalar.offset + header.length;
	    let contentStart = 0;
	    for (let i = 0; i < chompStart; ++i) {
	        const [indent, content] = lines[i];
	        if (content === '' || content === '\r') {
	            if (header.indent === 0 && indent.length > trimIndent)
	                trimIndent = indent.length;
	        }
	        else {
	            if (indent.length < trimIndent) {
	                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
	                onError(offset + indent.length, 'MISSING_CHAR', message);
	            }
	            if (header.indent === 0)
	                trimIndent = indent.length;
	            contentStart = i;
	            if (trimIndent === 0 && !ctx.atRoot) {
	                const message = 'Block scalar values in collections must be indented';
	                onError(offset, 'BAD_INDENT', message);
	            }
	            break;
	        }
	        offset += indent.length + content.length + 1;
	    }
	    // include trailing more-indented empty lines in content
	    for (let i = lines.length - 1; i >= chompStart; --i) {
	        if (lines[i][0].length > trimIndent)
	            chompStart = i + 1;
	    }
	    let value = '';
	    let sep = '';
	    let prevMoreIndented = false;
	    // leading whitespace is kept intact
	    for (let i = 0; i < contentStart; ++i)
	        value += lines[i][0].slice(trimIndent) + '\n';
	    for (let i = contentStart; i < chompStart; ++i) {
	        let [indent, content] = lines[i];
	        offset += indent.length + content.length + 1;
	        const crlf = content[content.length - 1] === '\r';
	        if (crlf)
	            content = content.slice(0, -1);
	        /* istanbul ignore if already caught in lexer */
	        if (content && indent.length < trimIndent) {
	            const src = header.indent
	                ? 'explicit indentation indicator'
	                : 'first line';
	            const message = `Block scalar lines must not be less indented than their ${src}`;
	            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
	            indent = '';
	        }
	        if (type === Scalar.Scalar.BLOCK_LITERAL) {
	            value += sep + indent.slice(trimIndent) + content;
	            sep = '\n';
	        }
	        else if (indent.length > trimIndent || content[0] === '\t') {
	            // more-indented content within a folded block
	            if (sep === ' ')
	                sep = '\n';
	            else if (!prevMoreIndented && sep === '\n')
	                sep = '\n\n';
	            value += sep + indent.slice(trimIndent) + content;
	            sep = '\n';
	            prevMoreIndented = true;
	        }
	        else if (content === '') {
	            // empty line
	            if (sep === '\n')
	                value += '\n';
	            else
	                sep = '\n';
	        }
	        else {
	            value += sep + content;
	            sep = ' ';
	            prevMoreIndented = false;
	        }
	    }
	    switch (header.chomp) {
	        case '-':
	            break;
	        case '+':
	            for (let i = chompStart; i < lines.length; ++i)
	                value += '\n' + lines[i][0].slice(trimIndent);
	            if (value[value.length - 1] !== '\n')
	                value += '\n';
	            break;
	        default:
	            value += '\n';
	    }
	    const end = start + header.length + scalar.source.length;
	    return { value, type, comment: header.comment, range: [start, end, end] };
	}
	function parseBlockScalarHeader({ offset, props }, strict, onError) {
	    /* istanbul ignore if should not happen */
	    if (props[0].type !== 'block-scalar-header') {
	        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
	        return null;
	    }
	    const { source } = props[0];
	    const mode = source[0];
	    let indent = 0;
	    let chomp = '';
	    let error = -1;
	    for (let i = 1; i < source.length; ++i) {
	        const ch = source[i];
	        if (!chomp && (ch === '-' || ch === '+'))
	            chomp = ch;
	        else {
	            const n = Number(ch);
	            if (!indent && n)
	                indent = n;
	            else if (error === -1)
	                error = offset + i;
	        }
	    }
	    if (error !== -1)
	        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
	    let hasSpace = false;
	    let comment = '';
	    let length = source.length;
	    for (let i = 1; i < props.length; ++i) {
	        const token = props[i];
	        switch (token.type) {
	            case 'space':
	                hasSpace = true;
	            // fallthrough
	            case 'newline':
	                length += token.source.length;
	                break;
	            case 'comment':
	                if (strict && !hasSpace) {
	                    const message = 'Comments must be separated from other tokens by white space characters';
	                    onError(token, 'MISSING_CHAR', message);
	                }
	                length += token.source.length;
	                comment = token.source.substring(1);
	                break;
	            case 'error':
	                onError(token, 'UNEXPECTED_TOKEN', token.message);
	                length += token.source.length;
	                break;
	            /* istanbul ignore next should not happen */
	            default: {
	                const message = `Unexpected token in block scalar header: ${token.type}`;
	                onError(token, 'UNEXPECTED_TOKEN', message);
	                const ts = token.source;
	                if (ts && typeof ts === 'string')
	                    length += ts.length;
	            }
	        }
	    }
	    return { mode, indent, chomp, comment, length };
	}
	/** @returns Array of lines split up as `[indent, content]` */
	function splitLines(source) {
	    const split = source.split(/\n( *)/);
	    const first = split[0];
	    const m = first.match(/^( *)/);
	    const line0 = m?.[1]
	        ? [m[1], first.slice(m[1].length)]
	        : ['', first];
	    const lines = [line0];
	    for (let i = 1; i < split.length; i += 2)
	        lines.push([split[i], split[i + 1]]);
	    return lines;
	}

	resolveBlockScalar.resolveBlockScalar = resolveBlockScalar$1;
	return resolveBlockScalar;
}

var resolveFlowScalar = {};

var hasRequiredResolveFlowScalar;

function requireResolveFlowScalar () {
	if (hasRequiredResolveFlowScalar) return resolveFlowScalar;
	hasRequiredResolveFlowScalar = 1;

	var Scalar = requireScalar();
	var resolveEnd = requireResolveEnd();

	function resolveFlowScalar$1(scalar, strict, onError) {
	    const { offset, type, source, end } = scalar;
	    let _type;
	    let value;
	    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
	    switch (type) {
	        case 'scalar':
	            _type = Scalar.Scalar.PLAIN;
	            value = plainValue(source, _onError);
	            break;
	        case 'single-quoted-scalar':
	            _type = Scalar.Scalar.QUOTE_SINGLE;
	            value = singleQuotedValue(source, _onError);
	            break;
	        case 'double-quoted-scalar':
	            _type = Scalar.Scalar.QUOTE_DOUBLE;
	            value = doubleQuotedValue(source, _onError);
	            break;
	        /* istanbul ignore next should not happen */
	        default:
	            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
	            return {
	                value: '',
	                type: null,
	                comment: '',
	                range: [offset, offset + source.length, offset + source.length]
	            };
	    }
	    const valueEnd = offset + source.length;
	    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
	    return {
	        value,
	        type: _type,
	        comment: re.comment,
	        range: [offset, valueEnd, re.offset]
	    };
	}
	function plainValue(source, onError) {
	    let badChar = '';
	    switch (source[0]) {
	        /* istanbul ignore next should not happen */
	        case '\t':
	            badChar = 'a tab character';
	            break;
	        case ',':
	            badChar = 'flow indicator character ,';
	            break;
	        case '%':
	            badChar = 'directive indicator character %';
	            break;
	        case '|':
	        case '>': {
	            badChar = `block scalar indicator ${source[0]}`;
	            break;
	        }
	        case '@':
	        case '`': {
	            badChar = `reserved character ${source[0]}`;
	            break;
	        }
	    }
	    if (badChar)
	        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
	    return unfoldLines(source);
	}
	function singleQuotedValue(source, onError) {
	    if (source[source.length - 1] !== "'" || source.length === 1)
	        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
	    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
	}
	function unfoldLines(source) {
	    const line = /(.*?)\r?\n/sy;
	    let match = line.exec(source);
	    if (!match)
	        return source;
	    /**
	     * The negative lookbehinds in these RegExps are to
	     * prevent causing a polynomial search time in certain cases.
	     *
	     * The try-catch is for Safari < 16.4 and other old browsers:
	     * https://caniuse.com/js-regexp-lookbehind
	     */
	    let trimEnd, trimBoth;
	    try {
	        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
	        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
	    }
	    catch {
	        trimEnd = /[ \t]+$/;
	        trimBoth = /^[ \t]+|[ \t]+$/g;
	    }
	    let res = match[1].replace(trimEnd, '');
	    let sep = ' ';
	    let pos = line.lastIndex;
	    while ((match = line.exec(source))) {
	        const lm = match[1].replace(trimBoth, '');
	        if (lm === '') {
	            if (sep === '\n')
	                res += sep;
	            else
	                sep = '\n';
	        }
	        else {
	            res += sep + lm;
	            sep = ' ';
	        }
	        pos = line.lastIndex;
	    }
	    const last = /[ \t]*(.*)/sy;
	    last.lastIndex = pos;
	    match = last.exec(source);
	    return res + sep + (match?.[1] ?? '');
	}
	function doubleQuotedValue(source, onError) {
	    let res = '';
	    for (let i = 1; i < source.length - 1; ++i) {
	        const ch = source[i];
	        if (ch === '\r' && source[i + 1] === '\n')
	            continue;
	        if (ch === '\n') {
	            const { fold, offset } = foldNewline(source, i);
	            res += fold;
	            i = offset;
	        }
	        else if (ch === '\\') {
	            let next = source[++i];
	            const cc = escapeCodes[next];
	            if (cc)
	                res += cc;
	            else if (next === '\n') {
	                // skip escaped newlines, but still trim the following line
	                next = source[i + 1];
	                while (next === ' ' || next === '\t')
	                    next = source[++i + 1];
	            }
	            else if (next === '\r' && source[i + 1] === '\n') {
	                // skip escaped CRLF newlines, but still trim the following line
	                next = source[++i + 1];
	                while (next === ' ' || next === '\t')
	                    next = source[++i + 1];
	            }
	            else if (next === 'x' || next === 'u' || next === 'U') {
	                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
	                res += parseCharCode(source, i + 1, length, onError);
	                i += length;
	            }
	            else {
	                const raw = source.substr(i - 1, 2);
	                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
	                res += raw;
	            }
	        }
	        else if (ch === ' ' || ch === '\t') {
	            // trim trailing whitespace
	            const wsStart = i;
	            let next = source[i + 1];
	            while (next === ' ' || next === '\t')
	                next = source[++i + 1];
	            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
	                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
	        }
	        else {
	            res += ch;
	        }
	    }
	    if (source[source.length - 1] !== '"' || source.length === 1)
	        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
	    return res;
	}
	/**
	 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
	 * Presumes `source[offset] === '\n'`
	 */
	function foldNewline(source, offset) {
	    let fold = '';
	    let ch = source[offset + 1];
	    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
	        if (ch === '\r' && source[offset + 2] !== '\n')
	            break;
	        if (ch === '\n')
	            fold += '\n';
	        offset += 1;
	        ch = source[offset + 1];
	    }
	    if (!fold)
	        fold = ' ';
	    return { fold, offset };
	}
	const escapeCodes = {
	    '0': '\0', // null character
	    a: '\x07', // bell character
	    b: '\b', // backspace
	    e: '\x1b', // escape character
	    f: '\f', // form feed
	    n: '\n', // line feed
	    r: '\r', // carriage return
	    t: '\t', // horizontal tab
	    v: '\v', // vertical tab
	    N: '\u0085', // Unicode next line
	    _: '\u00a0', // Unicode non-breaking space
	    L: '\u2028', // Unicode line separator
	    P: '\u2029', // Unicode paragraph separator
	    ' ': ' ',
	    '"': '"',
	    '/': '/',
	    '\\': '\\',
	    '\t': '\t'
	};
	function parseCharCode(source, offset, length, onError) {
	    const cc = source.substr(offset, length);
	    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
	    const code = ok ? parseInt(cc, 16) : NaN;
	    try {
	        return String.fromCodePoint(code);
	    }
	    catch {
	        const raw = source.substr(offset - 2, length + 2);
	        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
	        return raw;
	    }
	}

	resolveFlowScalar.resolveFlowScalar = resolveFlowScalar$1;
	return resolveFlowScalar;
}

var hasRequiredComposeScalar;

function requireComposeScalar () {
	if (hasRequiredComposeScalar) return composeScalar;
	hasRequiredComposeScalar = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();
	var resolveBlockScalar = requireResolveBlockScalar();
	var resolveFlowScalar = requireResolveFlowScalar();

	function composeScalar$1(ctx, token, tagToken, onError) {
	    const { value, type, comment, range } = token.type === 'block-scalar'
	        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
	        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
	    const tagName = tagToken
	        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
	        : null;
	    let tag;
	    if (ctx.options.stringKeys && ctx.atKey) {
	        tag = ctx.schema[identity.SCALAR];
	    }
	    else if (tagName)
	        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
	    else if (token.type === 'scalar')
	        tag = findScalarTagByTest(ctx, value, token, onError);
	    else
	        tag = ctx.schema[identity.SCALAR];
	    let scalar;
	    try {
	        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
	        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
	    }
	    catch (error) {
	        const msg = error instanceof Error ? error.message : String(error);
	        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
	        scalar = new Scalar.Scalar(value);
	    }
	    scalar.range = range;
	    scalar.source = value;
	    if (type)
	        scalar.type = type;
	    if (tagName)
	        scalar.tag = tagName;
	    if (tag.format)
	        scalar.format = tag.format;
	    if (comment)
	        scalar.comment = comment;
	    return scalar;
	}
	function findScalarTagByName(schema, value, tagName, tagToken, onError) {
	    if (tagName === '!')
	        return schema[identity.SCALAR]; // non-specific tag
	    const matchWithTest = [];
	    for (const tag of schema.tags) {
	        if (!tag.collection && tag.tag === tagName) {
	            if (tag.default && tag.test)
	                matchWithTest.push(tag);
	            else
	                return tag;
	        }
	    }
	    for (const tag of matchWithTest)
	        if (tag.test?.test(value))
	            return tag;
	    const kt = schema.knownTags[tagName];
	    if (kt && !kt.collection) {
	        // Ensure that the known tag is available for stringifying,
	        // but does not get used by default.
	        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
	        return kt;
	    }
	    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
	    return schema[identity.SCALAR];
	}
	function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
	    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
	        tag.test?.test(value)) || schema[identity.SCALAR];
	    if (schema.compat) {
	        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
	            schema[identity.SCALAR];
	        if (tag.tag !== compat.tag) {
	            const ts = directives.tagString(tag.tag);
	            const cs = directives.tagString(compat.tag);
	            const msg = `Value may be parsed as either ${ts} or ${cs}`;
	            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
	        }
	    }
	    return tag;
	}

	composeScalar.composeScalar = composeScalar$1;
	return composeScalar;
}

var utilEmptyScalarPosition = {};

var hasRequiredUtilEmptyScalarPosition;

function requireUtilEmptyScalarPosition () {
	if (hasRequiredUtilEmptyScalarPosition) return utilEmptyScalarPosition;
	hasRequiredUtilEmptyScalarPosition = 1;

	function emptyScalarPosition(offset, before, pos) {
	    if (before) {
	        pos ?? (pos = before.length);
	        for (let i = pos - 1; i >= 0; --i) {
	            let st = before[i];
	            switch (st.type) {
	                case 'space':
	                case 'comment':
	                case 'newline':
	                    offset -= st.source.length;
	                    continue;
	            }
	            // Technically, an empty scalar is immediately after the last non-empty
	            // node, but it's more useful to place it after any whitespace.
	            st = before[++i];
	            while (st?.type === 'space') {
	                offset += st.source.length;
	                st = before[++i];
	            }
	            break;
	        }
	    }
	    return offset;
	}

	utilEmptyScalarPosition.emptyScalarPosition = emptyScalarPosition;
	return utilEmptyScalarPosition;
}

var hasRequiredComposeNode;

function requireComposeNode () {
	if (hasRequiredComposeNode) return composeNode;
	hasRequiredComposeNode = 1;

	var Alias = requireAlias();
	var identity = requireIdentity();
	var composeCollection = requireComposeCollection();
	var composeScalar = requireComposeScalar();
	var resolveEnd = requireResolveEnd();
	var utilEmptyScalarPosition = requireUtilEmptyScalarPosition();

	const CN = { composeNode: composeNode$1, composeEmptyNode };
	function composeNode$1(ctx, token, props, onError) {
	    const atKey = ctx.atKey;
	    const { spaceBefore, comment, anchor, tag } = props;
	    let node;
	    let isSrcToken = true;
	    switch (token.type) {
	        case 'alias':
	            node = composeAlias(ctx, token, onError);
	            if (anchor || tag)
	                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
	            break;
	        case 'scalar':
	        case 'single-quoted-scalar':
	        case 'double-quoted-scalar':
	        case 'block-scalar':
	            node = composeScalar.composeScalar(ctx, token, tag, onError);
	            if (anchor)
	                node.anchor = anchor.source.substring(1);
	            break;
	        case 'block-map':
	        case 'block-seq':
	        case 'flow-collection':
	            try {
	                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
	                if (anchor)
	                    node.anchor = anchor.source.substring(1);
	            }
	            catch (error) {
	                // Almost certainly here due to a stack overflow
	                const message = error instanceof Error ? error.message : String(error);
	                onError(token, 'RESOURCE_EXHAUSTION', message);
	            }
	            break;
	        default: {
	            const message = token.type === 'error'
	                ? token.message
	                : `Unsupported token (type: ${token.type})`;
	            onError(token, 'UNEXPECTED_TOKEN', message);
	            isSrcToken = false;
	        }
	    }
	    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
	    if (anchor && node.anchor === '')
	        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
	    if (atKey &&
	        ctx.options.stringKeys &&
	        (!identity.isScalar(node) ||
	            typeof node.value !== 'string' ||
	            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
	        const msg = 'With stringKeys, all keys must be strings';
	        onError(tag ?? token, 'NON_STRING_KEY', msg);
	    }
	    if (spaceBefore)
	        node.spaceBefore = true;
	    if (comment) {
	        if (token.type === 'scalar' && token.source === '')
	            node.comment = comment;
	        else
	            node.commentBefore = comment;
	    }
	    // @ts-expect-error Type checking misses meaning of isSrcToken
	    if (ctx.options.keepSourceTokens && isSrcToken)
	        node.srcToken = token;
	    return node;
	}
	function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
	    const token = {
	        type: 'scalar',
	        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
	        indent: -1,
	        source: ''
	    };
	    const node = composeScalar.composeScalar(ctx, token, tag, onError);
	    if (anchor) {
	        node.anchor = anchor.source.substring(1);
	        if (node.anchor === '')
	            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
	    }
	    if (spaceBefore)
	        node.spaceBefore = true;
	    if (comment) {
	        node.comment = comment;
	        node.range[2] = end;
	    }
	    return node;
	}
	function composeAlias({ options }, { offset, source, end }, onError) {
	    const alias = new Alias.Alias(source.substring(1));
	    if (alias.source === '')
	        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
	    if (alias.source.endsWith(':'))
	        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
	    const valueEnd = offset + source.length;
	    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
	    alias.range = [offset, valueEnd, re.offset];
	    if (re.comment)
	        alias.comment = re.comment;
	    return alias;
	}

	composeNode.composeEmptyNode = composeEmptyNode;
	composeNode.composeNode = composeNode$1;
	return composeNode;
}

var hasRequiredComposeDoc;

function requireComposeDoc () {
	if (hasRequiredComposeDoc) return composeDoc;
	hasRequiredComposeDoc = 1;

	var Document = requireDocument();
	var composeNode = requireComposeNode();
	var resolveEnd = requireResolveEnd();
	var resolveProps = requireResolveProps();

	function composeDoc$1(options, directives, { offset, start, value, end }, onError) {
	    const opts = Object.assign({ _directives: directives }, options);
	    const doc = new Document.Document(undefined, opts);
	    const ctx = {
	        atKey: false,
	        atRoot: true,
	        directives: doc.directives,
	        options: doc.options,
	        schema: doc.schema
	    };
	    const props = resolveProps.resolveProps(start, {
	        indicator: 'doc-start',
	        next: value ?? end?.[0],
	        offset,
	        onError,
	        parentIndent: 0,
	        startOnNewline: true
	    });
	    if (props.found) {
	        doc.directives.docStart = true;
	        if (value &&
	            (value.type === 'block-map' || value.type === 'block-seq') &&
	            !props.hasNewline)
	            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
	    }
	    // @ts-expect-error If Contents is set, let's trust the user
	    doc.contents = value
	        ? composeNode.composeNode(ctx, value, props, onError)
	        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
	    const contentEnd = doc.contents.range[2];
	    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
	    if (re.comment)
	        doc.comment = re.comment;
	    doc.range = [offset, contentEnd, re.offset];
	    return doc;
	}

	composeDoc.composeDoc = composeDoc$1;
	return composeDoc;
}

var hasRequiredComposer;

function requireComposer () {
	if (hasRequiredComposer) return composer;
	hasRequiredComposer = 1;

	var node_process = require$$0;
	var directives = requireDirectives();
	var Document = requireDocument();
	var errors = requireErrors();
	var identity = requireIdentity();
	var composeDoc = requireComposeDoc();
	var resolveEnd = requireResolveEnd();

	function getErrorPos(src) {
	    if (typeof src === 'number')
	        return [src, src + 1];
	    if (Array.isArray(src))
	        return src.length === 2 ? src : [src[0], src[1]];
	    const { offset, source } = src;
	    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
	}
	function parsePrelude(prelude) {
	    let comment = '';
	    let atComment = false;
	    let afterEmptyLine = false;
	    for (let i = 0; i < prelude.length; ++i) {
	        const source = prelude[i];
	        switch (source[0]) {
	            case '#':
	                comment +=
	                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
	                        (source.substring(1) || ' ');
	                atComment = true;
	                afterEmptyLine = false;
	                break;
	            case '%':
	                if (prelude[i + 1]?.[0] !== '#')
	                    i += 1;
	                atComment = false;
	                break;
	            default:
	                // This may be wrong after doc-end, but in that case it doesn't matter
	                if (!atComment)
	                    afterEmptyLine = true;
	                atComment = false;
	        }
	    }
	    return { comment, afterEmptyLine };
	}
	/**
	 * Compose a stream of CST nodes into a stream of YAML Documents.
	 *
	 * ```ts
	 * import { Composer, Parser } from 'yaml'
	 *
	 * const src: string = ...
	 * const tokens = new Parser().parse(src)
	 * const docs = new Composer().compose(tokens)
	 * ```
	 */
	class Composer {
	    constructor(options = {}) {
	        this.doc = null;
	        this.atDirectives = false;
	        this.prelude = [];
	        this.errors = [];
	        this.warnings = [];
	        this.onError = (source, code, message, warning) => {
	            const pos = getErrorPos(source);
	            if (warning)
	                this.warnings.push(new errors.YAMLWarning(pos, code, message));
	            else
	                this.errors.push(new errors.YAMLParseError(pos, code, message));
	        };
	        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	        this.directives = new directives.Directives({ version: options.version || '1.2' });
	        this.options = options;
	    }
	    decorate(doc, afterDoc) {
	        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
	        //console.log({ dc: doc.comment, prelude, comment })
	        if (comment) {
	            const dc = doc.contents;
	            if (afterDoc) {
	                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
	            }
	            else if (afterEmptyLine || doc.directives.docStart || !dc) {
	                doc.commentBefore = comment;
	            }
	            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
	                let it = dc.items[0];
	                if (identity.isPair(it))
	                    it = it.key;
	                const cb = it.commentBefore;
	                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
	            }
	            else {
	                const cb = dc.commentBefore;
	                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
	            }
	        }
	        if (afterDoc) {
	            for (let i = 0; i < this.errors.length; ++i)
	                doc.errors.push(this.errors[i]);
	            for (let i = 0; i < this.warnings.length; ++i)
	                doc.warnings.push(this.warnings[i]);
	        }
	        else {
	            doc.errors = this.errors;
	            doc.warnings = this.warnings;
	        }
	        this.prelude = [];
	        this.errors = [];
	        this.warnings = [];
	    }
	    /**
	     * Current stream status information.
	     *
	     * Mostly useful at the end of input for an empty stream.
	     */
	    streamInfo() {
	        return {
	            comment: parsePrelude(this.prelude).comment,
	            directives: this.directives,
	            errors: this.errors,
	            warnings: this.warnings
	        };
	    }
	    /**
	     * Compose tokens into documents.
	     *
	     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
	     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
	     */
	    *compose(tokens, forceDoc = false, endOffset = -1) {
	        for (const token of tokens)
	            yield* this.next(token);
	        yield* this.end(forceDoc, endOffset);
	    }
	    /** Advance the composer by one CST token. */
	    *next(token) {
	        if (node_process.env.LOG_STREAM)
	            console.dir(token, { depth: null });
	        switch (token.type) {
	            case 'directive':
	                this.directives.add(token.source, (offset, message, warning) => {
	                    const pos = getErrorPos(token);
	                    pos[0] += offset;
	                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
	                });
	                this.prelude.push(token.source);
	                this.atDirectives = true;
	                break;
	            case 'document': {
	                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
	                if (this.atDirectives && !doc.directives.docStart)
	                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
	                this.decorate(doc, false);
	                if (this.doc)
	                    yield this.doc;
	                this.doc = doc;
	                this.atDirectives = false;
	                break;
	            }
	            case 'byte-order-mark':
	            case 'space':
	                break;
	            case 'comment':
	            case 'newline':
	                this.prelude.push(token.source);
	                break;
	            case 'error': {
	                const msg = token.source
	                    ? `${token.message}: ${JSON.stringify(token.source)}`
	                    : token.message;
	                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
	                if (this.atDirectives || !this.doc)
	                    this.errors.push(error);
	                else
	                    this.doc.errors.push(error);
	                break;
	            }
	            case 'doc-end': {
	                if (!this.doc) {
	                    const msg = 'Unexpected doc-end without preceding document';
	                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
	                    break;
	                }
	                this.doc.directives.docEnd = true;
	                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
	                this.decorate(this.doc, true);
	                if (end.comment) {
	                    const dc = this.doc.comment;
	                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
	                }
	                this.doc.range[2] = end.offset;
	                break;
	            }
	            default:
	                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
	        }
	    }
	    /**
	     * Call at end of input to yield any remaining document.
	     *
	     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
	     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
	     */
	    *end(forceDoc = false, endOffset = -1) {
	        if (this.doc) {
	            this.decorate(this.doc, true);
	            yield this.doc;
	            this.doc = null;
	        }
	        else if (forceDoc) {
	            const opts = Object.assign({ _directives: this.directives }, this.options);
	            const doc = new Document.Document(undefined, opts);
	            if (this.atDirectives)
	                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
	            doc.range = [0, endOffset, endOffset];
	            this.decorate(doc, false);
	            yield doc;
	        }
	    }
	}

	composer.Composer = Composer;
	return composer;
}

var cst = {};

var cstScalar = {};

var hasRequiredCstScalar;

function requireCstScalar () {
	if (hasRequiredCstScalar) return cstScalar;
	hasRequiredCstScalar = 1;

	var resolveBlockScalar = requireResolveBlockScalar();
	var resolveFlowScalar = requireResolveFlowScalar();
	var errors = requireErrors();
	var stringifyString = requireStringifyString();

	function resolveAsScalar(token, strict = true, onError) {
	    if (token) {
	        const _onError = (pos, code, message) => {
	            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
	            if (onError)
	                onError(offset, code, message);
	            else
	                throw new errors.YAMLParseError([offset, offset + 1], code, message);
	        };
	        switch (token.type) {
	            case 'scalar':
	            case 'single-quoted-scalar':
	            case 'double-quoted-scalar':
	                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
	            case 'block-scalar':
	                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
	        }
	    }
	    return null;
	}
	/**
	 * Create a new scalar token with `value`
	 *
	 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
	 * as this function does not support any schema operations and won't check for such conflicts.
	 *
	 * @param value The string representation of the value, which will have its content properly indented.
	 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
	 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
	 * @param context.indent The indent level of the token.
	 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
	 * @param context.offset The offset position of the token.
	 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
	 */
	function createScalarToken(value, context) {
	    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
	    const source = stringifyString.stringifyString({ type, value }, {
	        implicitKey,
	        indent: indent > 0 ? ' '.repeat(indent) : '',
	        inFlow,
	        options: { blockQuote: true, lineWidth: -1 }
	    });
	    const end = context.end ?? [
	        { type: 'newline', offset: -1, indent, source: '\n' }
	    ];
	    switch (source[0]) {
	        case '|':
	        case '>': {
	            const he = source.indexOf('\n');
	            const head = source.substring(0, he);
	            const body = source.substring(he + 1) + '\n';
	            const props = [
	                { type: 'block-scalar-header', offset, indent, source: head }
	            ];
	            if (!addEndtoBlockProps(props, end))
	                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
	            return { type: 'block-scalar', offset, indent, props, source: body };
	        }
	        case '"':
	            return { type: 'double-quoted-scalar', offset, indent, source, end };
	        case "'":
	            return { type: 'single-quoted-scalar', offset, indent, source, end };
	        default:
	            return { type: 'scalar', offset, indent, source, end };
	    }
	}
	/**
	 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
	 *
	 * Best efforts are made to retain any comments previously associated with the `token`,
	 * though all contents within a collection's `items` will be overwritten.
	 *
	 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
	 * as this function does not support any schema operations and won't check for such conflicts.
	 *
	 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
	 * @param value The string representation of the value, which will have its content properly indented.
	 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
	 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
	 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
	 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
	 */
	function setScalarValue(token, value, context = {}) {
	    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
	    let indent = 'indent' in token ? token.indent : null;
	    if (afterKey && typeof indent === 'number')
	        indent += 2;
	    if (!type)
	        switch (token.type) {
	            case 'single-quoted-scalar':
	                type = 'QUOTE_SINGLE';
	                break;
	            case 'double-quoted-scalar':
	                type = 'QUOTE_DOUBLE';
	                break;
	            case 'block-scalar': {
	                const header = token.props[0];
	                if (header.type !== 'block-scalar-header')
	                    throw new Error('Invalid block scalar header');
	                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
	                break;
	            }
	            default:
	                type = 'PLAIN';
	        }
	    const source = stringifyString.stringifyString({ type, value }, {
	        implicitKey: implicitKey || indent === null,
	        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
	        inFlow,
	        options: { blockQuote: true, lineWidth: -1 }
	    });
	    switch (source[0]) {
	        case '|':
	        case '>':
	            setBlockScalarValue(token, source);
	            break;
	        case '"':
	            setFlowScalarValue(token, source, 'double-quoted-scalar');
	            break;
	        case "'":
	            setFlowScalarValue(token, source, 'single-quoted-scalar');
	            break;
	        default:
	            setFlowScalarValue(token, source, 'scalar');
	    }
	}
	function setBlockScalarValue(token, source) {
	    const he = source.indexOf('\n');
	    const head = source.substring(0, he);
	    const body = source.substring(he + 1) + '\n';
	    if (token.type === 'block-scalar') {
	        const header = token.props[0];
	        if (header.type !== 'block-scalar-header')
	            throw new Error('Invalid block scalar header');
	        header.source = head;
	        token.source = body;
	    }
	    else {
	        const { offset } = token;
	        const indent = 'indent' in token ? token.indent : -1;
	        const props = [
	            { type: 'block-scalar-header', offset, indent, source: head }
	        ];
	        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
	            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
	        for (const key of Object.keys(token))
	            if (key !== 'type' && key !== 'offset')
	                delete token[key];
	        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
	    }
	}
	/** @returns `true` if last token is a newline */
	function addEndtoBlockProps(props, end) {
	    if (end)
	        for (const st of end)
	            switch (st.type) {
	                case 'space':
	                case 'comment':
	                    props.push(st);
	                    break;
	                case 'newline':
	                    props.push(st);
	                    return true;
	            }
	    return false;
	}
	function setFlowScalarValue(token, source, type) {
	    switch (token.type) {
	        case 'scalar':
	        case 'double-quoted-scalar':
	        case 'single-quoted-scalar':
	            token.type = type;
	            token.source = source;
	            break;
	        case 'block-scalar': {
	            const end = token.props.slice(1);
	            let oa = source.length;
	            if (token.props[0].type === 'block-scalar-header')
	                oa -= token.props[0].source.length;
	            for (const tok of end)
	                tok.offset += oa;
	            delete token.props;
	            Object.assign(token, { type, source, end });
	            break;
	        }
	        case 'block-map':
	        case 'block-seq': {
	            const offset = token.offset + source.length;
	            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
	            delete token.items;
	            Object.assign(token, { type, source, end: [nl] });
	            break;
	        }
	        default: {
	            const indent = 'indent' in token ? token.indent : -1;
	            const end = 'end' in token && Array.isArray(token.end)
	                ? token.end.filter(st => st.type === 'space' ||
	                    st.type === 'comment' ||
	                    st.type === 'newline')
	                : [];
	            for (const key of Object.keys(token))
	                if (key !== 'type' && key !== 'offset')
	                    delete token[key];
	            Object.assign(token, { type, indent, source, end });
	        }
	    }
	}

	cstScalar.createScalarToken = createScalarToken;
	cstScalar.resolveAsScalar = resolveAsScalar;
	cstScalar.setScalarValue = setScalarValue;
	return cstScalar;
}

var cstStringify = {};

var hasRequiredCstStringify;

function requireCstStringify () {
	if (hasRequiredCstStringify) return cstStringify;
	hasRequiredCstStringify = 1;

	/**
	 * Stringify a CST document, token, or collection item
	 *
	 * Fair warning: This applies no validation whatsoever, and
	 * simply concatenates the sources in their logical order.
	 */
	const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
	function stringifyToken(token) {
	    switch (token.type) {
	        case 'block-scalar': {
	            let res = '';
	            for (const tok of token.props)
	                res += stringifyToken(tok);
	            return res + token.source;
	        }
	        case 'block-map':
	        case 'block-seq': {
	            let res = '';
	            for (const item of token.items)
	                res += stringifyItem(item);
	            return res;
	        }
	        case 'flow-collection': {
	            let res = token.start.source;
	            for (const item of token.items)
	                res += stringifyItem(item);
	            for (const st of token.end)
	                res += st.source;
	            return res;
	        }
	        case 'document': {
	            let res = stringifyItem(token);
	            if (token.end)
	                for (const st of token.end)
	                    res += st.source;
	            return res;
	        }
	        default: {
	            let res = token.source;
	            if ('end' in token && token.end)
	                for (const st of token.end)
	                    res += st.source;
	            return res;
	        }
	    }
	}
	function stringifyItem({ start, key, sep, value }) {
	    let res = '';
	    for (const st of start)
	        res += st.source;
	    if (key)
	        res += stringifyToken(key);
	    if (sep)
	        for (const st of sep)
	            res += st.source;
	    if (value)
	        res += stringifyToken(value);
	    return res;
	}

	cstStringify.stringify = stringify;
	return cstStringify;
}

var cstVisit = {};

var hasRequiredCstVisit;

function requireCstVisit () {
	if (hasRequiredCstVisit) return cstVisit;
	hasRequiredCstVisit = 1;

	const BREAK = Symbol('break visit');
	const SKIP = Symbol('skip children');
	const REMOVE = Symbol('remove item');
	/**
	 * Apply a visitor to a CST document or item.
	 *
	 * Walks through the tree (depth-first) starting from the root, calling a
	 * `visitor` function with two arguments when entering each item:
	 *   - `item`: The current item, which included the following members:
	 *     - `start: SourceToken[]` – Source tokens before the key or value,
	 *       possibly including its anchor or tag.
	 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
	 *       the key before the `:` separator is empty.
	 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
	 *       which should include the `:` map value indicator if `value` is set.
	 *     - `value?: Token` – The value of a sequence item, or of a map pair.
	 *   - `path`: The steps from the root to the current node, as an array of
	 *     `['key' | 'value', number]` tuples.
	 *
	 * The return value of the visitor may be used to control the traversal:
	 *   - `undefined` (default): Do nothing and continue
	 *   - `visit.SKIP`: Do not visit the children of this token, continue with
	 *      next sibling
	 *   - `visit.BREAK`: Terminate traversal completely
	 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
	 *   - `number`: Set the index of the next step. This is useful especially if
	 *     the index of the current token has changed.
	 *   - `function`: Define the next visitor for this item. After the original
	 *     visitor is called on item entry, next visitors are called after handling
	 *     a non-empty `key` and when exiting the item.
	 */
	function visit(cst, visitor) {
	    if ('type' in cst && cst.type === 'document')
	        cst = { start: cst.start, value: cst.value };
	    _visit(Object.freeze([]), cst, visitor);
	}
	// Without the `as symbol` casts, TS declares these in the `visit`
	// namespace using `var`, but then complains about that because
	// `unique symbol` must be `const`.
	/** Terminate visit traversal completely */
	visit.BREAK = BREAK;
	/** Do not visit the children of the current item */
	visit.SKIP = SKIP;
	/** Remove the current item */
	visit.REMOVE = REMOVE;
	/** Find the item at `path` from `cst` as the root */
	visit.itemAtPath = (cst, path) => {
	    let item = cst;
	    for (const [field, index] of path) {
	        const tok = item?.[field];
	        if (tok && 'items' in tok) {
	            item = tok.items[index];
	        }
	        else
	            return undefined;
	    }
	    return item;
	};
	/**
	 * Get the immediate parent collection of the item at `path` from `cst` as the root.
	 *
	 * Throws an error if the collection is not found, which should never happen if the item itself exists.
	 */
	visit.parentCollection = (cst, path) => {
	    const parent = visit.itemAtPath(cst, path.slice(0, -1));
	    const field = path[path.length - 1][0];
	    const coll = parent?.[field];
	    if (coll && 'items' in coll)
	        return coll;
	    throw new Error('Parent collection not found');
	};
	function _visit(path, item, visitor) {
	    let ctrl = visitor(item, path);
	    if (typeof ctrl === 'symbol')
	        return ctrl;
	    for (const field of ['key', 'value']) {
	        const token = item[field];
	        if (token && 'items' in token) {
	            for (let i = 0; i < token.items.length; ++i) {
	                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
	                if (typeof ci === 'number')
	                    i = ci - 1;
	                else if (ci === BREAK)
	                    return BREAK;
	                else if (ci === REMOVE) {
	                    token.items.splice(i, 1);
	                    i -= 1;
	                }
	            }
	            if (typeof ctrl === 'function' && field === 'key')
	                ctrl = ctrl(item, path);
	        }
	    }
	    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
	}

	cstVisit.visit = visit;
	return cstVisit;
}

var hasRequiredCst;

function requireCst () {
	if (hasRequiredCst) return cst;
	hasRequiredCst = 1;

	var cstScalar = requireCstScalar();
	var cstStringify = requireCstStringify();
	var cstVisit = requireCstVisit();

	/** The byte order mark */
	const BOM = '\u{FEFF}';
	/** Start of doc-mode */
	const DOCUMENT = '\x02'; // C0: Start of Text
	/** Unexpected end of flow-mode */
	const FLOW_END = '\x18'; // C0: Cancel
	/** Next token is a scalar value */
	const SCALAR = '\x1f'; // C0: Unit Separator
	/** @returns `true` if `token` is a flow or block collection */
	const isCollection = (token) => !!token && 'items' in token;
	/** @returns `true` if `token` is a flow or block scalar; not an alias */
	const isScalar = (token) => !!token &&
	    (token.type === 'scalar' ||
	        token.type === 'single-quoted-scalar' ||
	        token.type === 'double-quoted-scalar' ||
	        token.type === 'block-scalar');
	/* istanbul ignore next */
	/** Get a printable representation of a lexer token */
	function prettyToken(token) {
	    switch (token) {
	        case BOM:
	            return '<BOM>';
	        case DOCUMENT:
	            return '<DOC>';
	        case FLOW_END:
	            return '<FLOW_END>';
	        case SCALAR:
	            return '<SCALAR>';
	        default:
	            return JSON.stringify(token);
	    }
	}
	/** Identify the type of a lexer token. May return `null` for unknown tokens. */
	function tokenType(source) {
	    switch (source) {
	        case BOM:
	            return 'byte-order-mark';
	        case DOCUMENT:
	            return 'doc-mode';
	        case FLOW_END:
	            return 'flow-error-end';
	        case SCALAR:
	            return 'scalar';
	        case '---':
	            return 'doc-start';
	        case '...':
	            return 'doc-end';
	        case '':
	        case '\n':
	        case '\r\n':
	            return 'newline';
	        case '-':
	            return 'seq-item-ind';
	        case '?':
	            return 'explicit-key-ind';
	        case ':':
	            return 'map-value-ind';
	        case '{':
	            return 'flow-map-start';
	        case '}':
	            return 'flow-map-end';
	        case '[':
	            return 'flow-seq-start';
	        case ']':
	            return 'flow-seq-end';
	        case ',':
	            return 'comma';
	    }
	    switch (source[0]) {
	        case ' ':
	        case '\t':
	            return 'space';
	        case '#':
	            return 'comment';
	        case '%':
	            return 'directive-line';
	        case '*':
	            return 'alias';
	        case '&':
	            return 'anchor';
	        case '!':
	            return 'tag';
	        case "'":
	            return 'single-quoted-scalar';
	        case '"':
	            return 'double-quoted-scalar';
	        case '|':
	        case '>':
	            return 'block-scalar-header';
	    }
	    return null;
	}

	cst.createScalarToken = cstScalar.createScalarToken;
	cst.resolveAsScalar = cstScalar.resolveAsScalar;
	cst.setScalarValue = cstScalar.setScalarValue;
	cst.stringify = cstStringify.stringify;
	cst.visit = cstVisit.visit;
	cst.BOM = BOM;
	cst.DOCUMENT = DOCUMENT;
	cst.FLOW_END = FLOW_END;
	cst.SCALAR = SCALAR;
	cst.isCollection = isCollection;
	cst.isScalar = isScalar;
	cst.prettyToken = prettyToken;
	cst.tokenType = tokenType;
	return cst;
}

var lexer = {};

var hasRequiredLexer;

function requireLexer () {
	if (hasRequiredLexer) return lexer;
	hasRequiredLexer = 1;

	var cst = requireCst();

	/*
	START -> stream

	stream
	  directive -> line-end -> stream
	  indent + line-end -> stream
	  [else] -> line-start

	line-end
	  comment -> line-end
	  newline -> .
	  input-end -> END

	line-start
	  doc-start -> doc
	  doc-end -> stream
	  [else] -> indent -> block-start

	block-start
	  seq-item-start -> block-start
	  explicit-key-start -> block-start
	  map-value-start -> block-start
	  [else] -> doc

	doc
	  line-end -> line-start
	  spaces -> doc
	  anchor -> doc
	  tag -> doc
	  flow-start -> flow -> doc
	  flow-end -> error -> doc
	  seq-item-start -> error -> doc
	  explicit-key-start -> error -> doc
	  map-value-start -> doc
	  alias -> doc
	  quote-start -> quoted-scalar -> doc
	  block-scalar-header -> line-end -> block-scalar(min) -> line-start
	  [else] -> plain-scalar(false, min) -> doc

	flow
	  line-end -> flow
	  spaces -> flow
	  anchor -> flow
	  tag -> flow
	  flow-start -> flow -> flow
	  flow-end -> .
	  seq-item-start -> error -> flow
	  explicit-key-start -> flow
	  map-value-start -> flow
	  alias -> flow
	  quote-start -> quoted-scalar -> flow
	  comma -> flow
	  [else] -> plain-scalar(true, 0) -> flow

	quoted-scalar
	  quote-end -> .
	  [else] -> quoted-scalar

	block-scalar(min)
	  newline + peek(indent < min) -> .
	  [else] -> block-scalar(min)

	plain-scalar(is-flow, min)
	  scalar-end(is-flow) -> .
	  peek(newline + (indent < min)) -> .
	  [else] -> plain-scalar(min)
	*/
	function isEmpty(ch) {
	    switch (ch) {
	        case undefined:
	        case ' ':
	        case '\n':
	        case '\r':
	        case '\t':
	            return true;
	        default:
	            return false;
	    }
	}
	const hexDigits = new Set('0123456789ABCDEFabcdef');
	const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
	const flowIndicatorChars = new Set(',[]{}');
	const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
	const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
	/**
	 * Splits an input string into lexical tokens, i.e. smaller strings that are
	 * easily identifiable by `tokens.tokenType()`.
	 *
	 * Lexing starts always in a "stream" context. Incomplete input may be buffered
	 * until a complete token can be emitted.
	 *
	 * In addition to slices of the original input, the following control characters
	 * may also be emitted:
	 *
	 * - `\x02` (Start of Text): A document starts with the next token
	 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
	 * - `\x1f` (Unit Separator): Next token is a scalar value
	 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
	 */
	class Lexer {
	    constructor() {
	        /**
	         * Flag indicating whether the end of the current buffer marks the end of
	         * all input
	         */
	        this.atEnd = false;
	        /**
	         * Explicit indent set in block scalar header, as an offset from the current
	         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
	         * explicitly set.
	         */
	        this.blockScalarIndent = -1;
	        /**
	         * Block scalars that include a + (keep) chomping indicator in their header
	         * include trailing empty lines, which are otherwise excluded from the
	         * scalar's contents.
	         */
	        this.blockScalarKeep = false;
	        /** Current input */
	        this.buffer = '';
	        /**
	         * Flag noting whether the map value indicator : can immediately follow this
	         * node within a flow context.
	         */
	        this.flowKey = false;
	        /** Count of surrounding flow collection levels. */
	        this.flowLevel = 0;
	        /**
	         * Minimum level of indentation required for next lines to be parsed as a
	         * part of the current scalar value.
	         */
	        this.indentNext = 0;
	        /** Indentation level of the current line. */
	        this.indentValue = 0;
	        /** Position of the next \n character. */
	        this.lineEndPos = null;
	        /** Stores the state of the lexer if reaching the end of incpomplete input */
	        this.next = null;
	        /** A pointer to `buffer`; the current position of the lexer. */
	        this.pos = 0;
	    }
	    /**
	     * Generate YAML tokens from the `source` string. If `incomplete`,
	     * a part of the last line may be left as a buffer for the next call.
	     *
	     * @returns A generator of lexical tokens
	     */
	    *lex(source, incomplete = false) {
	        if (source) {
	            if (typeof source !== 'string')
	                throw TypeError('source is not a string');
	            this.buffer = this.buffer ? this.buffer + source : source;
	            this.lineEndPos = null;
	        }
	        this.atEnd = !incomplete;
	        let next = this.next ?? 'stream';
	        while (next && (incomplete || this.hasChars(1)))
	            next = yield* this.parseNext(next);
	    }
	    atLineEnd() {
	        let i = this.pos;
	        let ch = this.buffer[i];
	        while (ch === ' ' || ch === '\t')
	            ch = this.buffer[++i];
	        if (!ch || ch === '#' || ch === '\n')
	            return true;
	        if (ch === '\r')
	            return this.buffer[i + 1] === '\n';
	        return false;
	    }
	    charAt(n) {
	        return this.buffer[this.pos + n];
	    }
	    continueScalar(offset) {
	        let ch = this.buffer[offset];
	        if (this.indentNext > 0) {
	            let indent = 0;
	            while (ch === ' ')
	                ch = this.buffer[++indent + offset];
	            if (ch === '\r') {
	                const next = this.buffer[indent + offset + 1];
	                if (next === '\n' || (!next && !this.atEnd))
	                    return offset + indent + 1;
	            }
	            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
	                ? offset + indent
	                : -1;
	        }
	        if (ch === '-' || ch === '.') {
	            const dt = this.buffer.substr(offset, 3);
	            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
	                return -1;
	        }
	        return offset;
	    }
	    getLine() {
	        let end = this.lineEndPos;
	        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
	            end = this.buffer.indexOf('\n', this.pos);
	            this.lineEndPos = end;
	        }
	        if (end === -1)
	            return this.atEnd ? this.buffer.substring(this.pos) : null;
	        if (this.buffer[end - 1] === '\r')
	            end -= 1;
	        return this.buffer.substring(this.pos, end);
	    }
	    hasChars(n) {
	        return this.pos + n <= this.buffer.length;
	    }
	    setNext(state) {
	        this.buffer = this.buffer.substring(this.pos);
	        this.pos = 0;
	        this.lineEndPos = null;
	        this.next = state;
	        return null;
	    }
	    peek(n) {
	        return this.buffer.substr(this.pos, n);
	    }
	    *parseNext(next) {
	        switch (next) {
	            case 'stream':
	                return yield* this.parseStream();
	            case 'line-start':
	                return yield* this.parseLineStart();
	            case 'block-start':
	                return yield* this.parseBlockStart();
	            case 'doc':
	                return yield* this.parseDocument();
	            case 'flow':
	                return yield* this.parseFlowCollection();
	            case 'quoted-scalar':
	                return yield* this.parseQuotedScalar();
	            case 'block-scalar':
	                return yield* this.parseBlockScalar();
	            case 'plain-scalar':
	                return yield* this.parsePlainScalar();
	        }
	    }
	    *parseStream() {
	        let line = this.getLine();
	        if (line === null)
	            return this.setNext('stream');
	        if (line[0] === cst.BOM) {
	            yield* this.pushCount(1);
	            line = line.substring(1);
	        }
	        if (line[0] === '%') {
	            let dirEnd = line.length;
	            let cs = line.indexOf('#');
	            while (cs !== -1) {
	                const ch = line[cs - 1];
	                if (ch === ' ' || ch === '\t') {
	                    dirEnd = cs - 1;
	                    break;
	                }
	                else {
	                    cs = line.indexOf('#', cs + 1);
	                }
	            }
	            while (true) {
	                const ch = line[dirEnd - 1];
	                if (ch === ' ' || ch === '\t')
	                    dirEnd -= 1;
	                else
	                    break;
	            }
	            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
	            yield* this.pushCount(line.length - n); // possible comment
	            this.pushNewline();
	            return 'stream';
	        }
	        if (this.atLineEnd()) {
	            const sp = yield* this.pushSpaces(true);
	            yield* this.pushCount(line.length - sp);
	            yield* this.pushNewline();
	            return 'stream';
	        }
	        yield cst.DOCUMENT;
	        return yield* this.parseLineStart();
	    }
	    *parseLineStart() {
	        const ch = this.charAt(0);
	        if (!ch && !this.atEnd)
	            return this.setNext('line-start');
	        if (ch === '-' || ch === '.') {
	            if (!this.atEnd && !this.hasChars(4))
	                return this.setNext('line-start');
	            const s = this.peek(3);
	            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
	                yield* this.pushCount(3);
	                this.indentValue = 0;
	                this.indentNext = 0;
	                return s === '---' ? 'doc' : 'stream';
	            }
	        }
	        this.indentValue = yield* this.pushSpaces(false);
	        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
	            this.indentNext = this.indentValue;
	        return yield* this.parseBlockStart();
	    }
	    *parseBlockStart() {
	        const [ch0, ch1] = this.peek(2);
	        if (!ch1 && !this.atEnd)
	            return this.setNext('block-start');
	        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
	            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
	            this.indentNext = this.indentValue + 1;
	            this.indentValue += n;
	            return 'block-start';
	        }
	        return 'doc';
	    }
	    *parseDocument() {
	        yield* this.pushSpaces(true);
	        const line = this.getLine();
	        if (line === null)
	            return this.setNext('doc');
	        let n = yield* this.pushIndicators();
	        switch (line[n]) {
	            case '#':
	                yield* this.pushCount(line.length - n);
	            // fallthrough
	            case undefined:
	                yield* this.pushNewline();
	                return yield* this.parseLineStart();
	            case '{':
	            case '[':
	                yield* this.pushCount(1);
	                this.flowKey = false;
	                this.flowLevel = 1;
	                return 'flow';
	            case '}':
	            case ']':
	                // this is an error
	                yield* this.pushCount(1);
	                return 'doc';
	            case '*':
	                yield* this.pushUntil(isNotAnchorChar);
	                return 'doc';
	            case '"':
	            case "'":
	                return yield* this.parseQuotedScalar();
	            case '|':
	            case '>':
	                n += yield* this.parseBlockScalarHeader();
	                n += yield* this.pushSpaces(true);
	                yield* this.pushCount(line.length - n);
	                yield* this.pushNewline();
	                return yield* this.parseBlockScalar();
	            default:
	                return yield* this.parsePlainScalar();
	        }
	    }
	    *parseFlowCollection() {
	        let nl, sp;
	        let indent = -1;
	        do {
	            nl = yield* this.pushNewline();
	            if (nl > 0) {
	                sp = yield* this.pushSpaces(false);
	                this.indentValue = indent = sp;
	            }
	            else {
	                sp = 0;
	            }
	            sp += yield* this.pushSpaces(true);
	        } while (nl + sp > 0);
	        const line = this.getLine();
	        if (line === null)
	            return this.setNext('flow');
	        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
	            (indent === 0 &&
	                (line.startsWith('---') || line.startsWith('...')) &&
	                isEmpty(line[3]))) {
	            // Allowing for the terminal ] or } at the same (rather than greater)
	            // indent level as the initial [ or { is technically invalid, but
	            // failing here would be surprising to users.
	            const atFlowEndMarker = indent === this.indentNext - 1 &&
	                this.flowLevel === 1 &&
	                (line[0] === ']' || line[0] === '}');
	            if (!atFlowEndMarker) {
	                // this is an error
	                this.flowLevel = 0;
	                yield cst.FLOW_END;
	                return yield* this.parseLineStart();
	            }
	        }
	        let n = 0;
	        while (line[n] === ',') {
	            n += yield* this.pushCount(1);
	            n += yield* this.pushSpaces(true);
	            this.flowKey = false;
	        }
	        n += yield* this.pushIndicators();
	        switch (line[n]) {
	            case undefined:
	                return 'flow';
	            case '#':
	                yield* this.pushCount(line.length - n);
	                return 'flow';
	            case '{':
	            case '[':
	                yield* this.pushCount(1);
	                this.flowKey = false;
	                this.flowLevel += 1;
	                return 'flow';
	            case '}':
	            case ']':
	                yield* this.pushCount(1);
	                this.flowKey = true;
	                this.flowLevel -= 1;
	                return this.flowLevel ? 'flow' : 'doc';
	            case '*':
	                yield* this.pushUntil(isNotAnchorChar);
	                return 'flow';
	            case '"':
	            case "'":
	                this.flowKey = true;
	                return yield* this.parseQuotedScalar();
	            case ':': {
	                const next = this.charAt(1);
	                if (this.flowKey || isEmpty(next) || next === ',') {
	                    this.flowKey = false;
	                    yield* this.pushCount(1);
	                    yield* this.pushSpaces(true);
	                    return 'flow';
	                }
	            }
	            // fallthrough
	            default:
	                this.flowKey = false;
	                return yield* this.parsePlainScalar();
	        }
	    }
	    *parseQuotedScalar() {
	        const quote = this.charAt(0);
	        let end = this.buffer.indexOf(quote, this.pos + 1);
	        if (quote === "'") {
	            while (end !== -1 && this.buffer[end + 1] === "'")
	                end = this.buffer.indexOf("'", end + 2);
	        }
	        else {
	            // double-quote
	            while (end !== -1) {
	                let n = 0;
	                while (this.buffer[end - 1 - n] === '\\')
	                    n += 1;
	                if (n % 2 === 0)
	                    break;
	                end = this.buffer.indexOf('"', end + 1);
	            }
	        }
	        // Only looking for newlines within the quotes
	        const qb = this.buffer.substring(0, end);
	        let nl = qb.indexOf('\n', this.pos);
	        if (nl !== -1) {
	            while (nl !== -1) {
	                const cs = this.continueScalar(nl + 1);
	                if (cs === -1)
	                    break;
	                nl = qb.indexOf('\n', cs);
	            }
	            if (nl !== -1) {
	                // this is an error caused by an unexpected unindent
	                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
	            }
	        }
	        if (end === -1) {
	            if (!this.atEnd)
	                return this.setNext('quoted-scalar');
	            end = this.buffer.length;
	        }
	        yield* this.pushToIndex(end + 1, false);
	        return this.flowLevel ? 'flow' : 'doc';
	    }
	    *parseBlockScalarHeader() {
	        this.blockScalarIndent = -1;
	        this.blockScalarKeep = false;
	        let i = this.pos;
	        while (true) {
	            const ch = this.buffer[++i];
	            if (ch === '+')
	                this.blockScalarKeep = true;
	            else if (ch > '0' && ch <= '9')
	                this.blockScalarIndent = Number(ch) - 1;
	            else if (ch !== '-')
	                break;
	        }
	        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
	    }
	    *parseBlockScalar() {
	        let nl = this.pos - 1; // may be -1 if this.pos === 0
	        let indent = 0;
	        let ch;
	        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
	            switch (ch) {
	                case ' ':
	                    indent += 1;
	                    break;
	                case '\n':
	                    nl = i;
	                    indent = 0;
	                    break;
	                case '\r': {
	                    const next = this.buffer[i + 1];
	                    if (!next && !this.atEnd)
	                        return this.setNext('block-scalar');
	                    if (next === '\n')
	                        break;
	                } // fallthrough
	                default:
	                    break loop;
	            }
	        }
	        if (!ch && !this.atEnd)
	            return this.setNext('block-scalar');
	        if (indent >= this.indentNext) {
	            if (this.blockScalarIndent === -1)
	                this.indentNext = indent;
	            else {
	                this.indentNext =
	                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
	            }
	            do {
	                const cs = this.continueScalar(nl + 1);
	                if (cs === -1)
	                    break;
	                nl = this.buffer.indexOf('\n', cs);
	            } while (nl !== -1);
	            if (nl === -1) {
	                if (!this.atEnd)
	                    return this.setNext('block-scalar');
	                nl = this.buffer.length;
	            }
	        }
	        // Trailing insufficiently indented tabs are invalid.
	        // To catch that during parsing, we include them in the block scalar value.
	        let i = nl + 1;
	        ch = this.buffer[i];
	        while (ch === ' ')
	            ch = this.buffer[++i];
	        if (ch === '\t') {
	            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
	                ch = this.buffer[++i];
	            nl = i - 1;
	        }
	        else if (!this.blockScalarKeep) {
	            do {
	                let i = nl - 1;
	                let ch = this.buffer[i];
	                if (ch === '\r')
	                    ch = this.buffer[--i];
	                const lastChar = i; // Drop the line if last char not more indented
	                while (ch === ' ')
	                    ch = this.buffer[--i];
	                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
	                    nl = i;
	                else
	                    break;
	            } while (true);
	        }
	        yield cst.SCALAR;
	        yield* this.pushToIndex(nl + 1, true);
	        return yield* this.parseLineStart();
	    }
	    *parsePlainScalar() {
	        const inFlow = this.flowLevel > 0;
	        let end = this.pos - 1;
	        let i = this.pos - 1;
	        let ch;
	        while ((ch = this.buffer[++i])) {
	            if (ch === ':') {
	                const next = this.buffer[i + 1];
	                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
	                    break;
	                end = i;
	            }
	            else if (isEmpty(ch)) {
	                let next = this.buffer[i + 1];
	                if (ch === '\r') {
	                    if (next === '\n') {
	                        i += 1;
	                        ch = '\n';
	                        next = this.buffer[i + 1];
	                    }
	                    else
	                        end = i;
	                }
	                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
	                    break;
	                if (ch === '\n') {
	                    const cs = this.continueScalar(i + 1);
	                    if (cs === -1)
	                        break;
	                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
	                }
	            }
	            else {
	                if (inFlow && flowIndicatorChars.has(ch))
	                    break;
	                end = i;
	            }
	        }
	        if (!ch && !this.atEnd)
	            return this.setNext('plain-scalar');
	        yield cst.SCALAR;
	        yield* this.pushToIndex(end + 1, true);
	        return inFlow ? 'flow' : 'doc';
	    }
	    *pushCount(n) {
	        if (n > 0) {
	            yield this.buffer.substr(this.pos, n);
	            this.pos += n;
	            return n;
	        }
	        return 0;
	    }
	    *pushToIndex(i, allowEmpty) {
	        const s = this.buffer.slice(this.pos, i);
	        if (s) {
	            yield s;
	            this.pos += s.length;
	            return s.length;
	        }
	        else if (allowEmpty)
	            yield '';
	        return 0;
	    }
	    *pushIndicators() {
	        let n = 0;
	        loop: while (true) {
	            switch (this.charAt(0)) {
	                case '!':
	                    n += yield* this.pushTag();
	                    n += yield* this.pushSpaces(true);
	                    continue loop;
	                case '&':
	                    n += yield* this.pushUntil(isNotAnchorChar);
	                    n += yield* this.pushSpaces(true);
	                    continue loop;
	                case '-': // this is an error
	                case '?': // this is an error outside flow collections
	                case ':': {
	                    const inFlow = this.flowLevel > 0;
	                    const ch1 = this.charAt(1);
	                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
	                        if (!inFlow)
	                            this.indentNext = this.indentValue + 1;
	                        else if (this.flowKey)
	                            this.flowKey = false;
	                        n += yield* this.pushCount(1);
	                        n += yield* this.pushSpaces(true);
	                        continue loop;
	                    }
	                }
	            }
	            break loop;
	        }
	        return n;
	    }
	    *pushTag() {
	        if (this.charAt(1) === '<') {
	            let i = this.pos + 2;
	            let ch = this.buffer[i];
	            while (!isEmpty(ch) && ch !== '>')
	                ch = this.buffer[++i];
	            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
	        }
	        else {
	            let i = this.pos + 1;
	            let ch = this.buffer[i];
	            while (ch) {
	                if (tagChars.has(ch))
	                    ch = this.buffer[++i];
	                else if (ch === '%' &&
	                    hexDigits.has(this.buffer[i + 1]) &&
	                    hexDigits.has(this.buffer[i + 2])) {
	                    ch = this.buffer[(i += 3)];
	                }
	                else
	                    break;
	            }
	            return yield* this.pushToIndex(i, false);
	        }
	    }
	    *pushNewline() {
	        const ch = this.buffer[this.pos];
	        if (ch === '\n')
	            return yield* this.pushCount(1);
	        else if (ch === '\r' && this.charAt(1) === '\n')
	            return yield* this.pushCount(2);
	        else
	            return 0;
	    }
	    *pushSpaces(allowTabs) {
	        let i = this.pos - 1;
	        let ch;
	        do {
	            ch = this.buffer[++i];
	        } while (ch === ' ' || (allowTabs && ch === '\t'));
	        const n = i - this.pos;
	        if (n > 0) {
	            yield this.buffer.substr(this.pos, n);
	            this.pos = i;
	        }
	        return n;
	    }
	    *pushUntil(test) {
	        let i = this.pos;
	        let ch = this.buffer[i];
	        while (!test(ch))
	            ch = this.buffer[++i];
	        return yield* this.pushToIndex(i, false);
	    }
	}

	lexer.Lexer = Lexer;
	return lexer;
}

var lineCounter = {};

var hasRequiredLineCounter;

function requireLineCounter () {
	if (hasRequiredLineCounter) return lineCounter;
	hasRequiredLineCounter = 1;

	/**
	 * Tracks newlines during parsing in order to provide an efficient API for
	 * determining the one-indexed `{ line, col }` position for any offset
	 * within the input.
	 */
	class LineCounter {
	    constructor() {
	        this.lineStarts = [];
	        /**
	         * Should be called in ascending order. Otherwise, call
	         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
	         */
	        this.addNewLine = (offset) => this.lineStarts.push(offset);
	        /**
	         * Performs a binary search and returns the 1-indexed { line, col }
	         * position of `offset`. If `line === 0`, `addNewLine` has never been
	         * called or `offset` is before the first known newline.
	         */
	        this.linePos = (offset) => {
	            let low = 0;
	            let high = this.lineStarts.length;
	            while (low < high) {
	                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
	                if (this.lineStarts[mid] < offset)
	                    low = mid + 1;
	                else
	                    high = mid;
	            }
	            if (this.lineStarts[low] === offset)
	                return { line: low + 1, col: 1 };
	            if (low === 0)
	                return { line: 0, col: offset };
	            const start = this.lineStarts[low - 1];
	            return { line: low, col: offset - start + 1 };
	        };
	    }
	}

	lineCounter.LineCounter = LineCounter;
	return lineCounter;
}

var parser = {};

var hasRequiredParser;

function requireParser () {
	if (hasRequiredParser) return parser;
	hasRequiredParser = 1;

	var node_process = require$$0;
	var cst = requireCst();
	var lexer = requireLexer();

	function includesToken(list, type) {
	    for (let i = 0; i < list.length; ++i)
	        if (list[i].type === type)
	            return true;
	    return false;
	}
	function findNonEmptyIndex(list) {
	    for (let i = 0; i < list.length; ++i) {
	        switch (list[i].type) {
	            case 'space':
	            case 'comment':
	            case 'newline':
	                break;
	            default:
	                return i;
	        }
	    }
	    return -1;
	}
	function isFlowToken(token) {
	    switch (token?.type) {
	        case 'alias':
	        case 'scalar':
	        case 'single-quoted-scalar':
	        case 'double-quoted-scalar':
	        case 'flow-collection':
	            return true;
	        default:
	            return false;
	    }
	}
	function getPrevProps(parent) {
	    switch (parent.type) {
	        case 'document':
	            return parent.start;
	        case 'block-map': {
	            const it = parent.items[parent.items.length - 1];
	            return it.sep ?? it.start;
	        }
	        case 'block-seq':
	            return parent.items[parent.items.length - 1].start;
	        /* istanbul ignore next should not happen */
	        default:
	            return [];
	    }
	}
	/** Note: May modify input array */
	function getFirstKeyStartProps(prev) {
	    if (prev.length === 0)
	        return [];
	    let i = prev.length;
	    loop: while (--i >= 0) {
	        switch (prev[i].type) {
	            case 'doc-start':
	            case 'explicit-key-ind':
	            case 'map-value-ind':
	            case 'seq-item-ind':
	            case 'newline':
	                break loop;
	        }
	    }
	    while (prev[++i]?.type === 'space') {
	        /* loop */
	    }
	    return prev.splice(i, prev.length);
	}
	function arrayPushArray(target, source) {
	    // May exhaust call stack with large `source` array
	    if (source.length < 1e5)
	        Array.prototype.push.apply(target, source);
	    else
	        for (let i = 0; i < source.length; ++i)
	            target.push(source[i]);
	}
	function fixFlowSeqItems(fc) {
	    if (fc.start.type === 'flow-seq-start') {
	        for (const it of fc.items) {
	            if (it.sep &&
	                !it.value &&
	                !includesToken(it.start, 'explicit-key-ind') &&
	                !includesToken(it.sep, 'map-value-ind')) {
	                if (it.key)
	                    it.value = it.key;
	                delete it.key;
	                if (isFlowToken(it.value)) {
	                    if (it.value.end)
	                        arrayPushArray(it.value.end, it.sep);
	                    else
	                        it.value.end = it.sep;
	                }
	                else
	                    arrayPushArray(it.start, it.sep);
	                delete it.sep;
	            }
	        }
	    }
	}
	/**
	 * A YAML concrete syntax tree (CST) parser
	 *
	 * ```ts
	 * const src: string = ...
	 * for (const token of new Parser().parse(src)) {
	 *   // token: Token
	 * }
	 * ```
	 *
	 * To use the parser with a user-provided lexer:
	 *
	 * ```ts
	 * function* parse(source: string, lexer: Lexer) {
	 *   const parser = new Parser()
	 *   for (const lexeme of lexer.lex(source))
	 *     yield* parser.next(lexeme)
	 *   yield* parser.end()
	 * }
	 *
	 * const src: string = ...
	 * const lexer = new Lexer()
	 * for (const token of parse(src, lexer)) {
	 *   // token: Token
	 * }
	 * ```
	 */
	class Parser {
	    /**
	     * @param onNewLine - If defined, called separately with the start position of
	     *   each new line (in `parse()`, including the start of input).
	     */
	    constructor(onNewLine) {
	        /** If true, space and sequence indicators count as indentation */
	        this.atNewLine = true;
	        /** If true, next token is a scalar value */
	        this.atScalar = false;
	        /** Current indentation level */
	        this.indent = 0;
	        /** Current offset since the start of parsing */
	        this.offset = 0;
	        /** On the same line with a block map key */
	        this.onKeyLine = false;
	        /** Top indicates the node that's currently being built */
	        this.stack = [];
	        /** The source of the current token, set in parse() */
	        this.source = '';
	        /** The type of the current token, set in parse() */
	        this.type = '';
	        // Must be defined after `next()`
	        this.lexer = new lexer.Lexer();
	        this.onNewLine = onNewLine;
	    }
	    /**
	     * Parse `source` as a YAML stream.
	     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
	     *
	     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
	     *
	     * @returns A generator of tokens representing each directive, document, and other structure.
	     */
	    *parse(source, incomplete = false) {
	        if (this.onNewLine && this.offset === 0)
	            this.onNewLine(0);
	        for (const lexeme of this.lexer.lex(source, incomplete))
	            yield* this.next(lexeme);
	        if (!incomplete)
	            yield* this.end();
	    }
	    /**
	     * Advance the parser by the `source` of one lexical token.
	     */
	    *next(source) {
	        this.source = source;
	        if (node_process.env.LOG_TOKENS)
	            console.log('|', cst.prettyToken(source));
	        if (this.atScalar) {
	            this.atScalar = false;
	            yield* this.step();
	            this.offset += source.length;
	            return;
	        }
	        const type = cst.tokenType(source);
	        if (!type) {
	            const message = `Not a YAML token: ${source}`;
	            yield* this.pop({ type: 'error', offset: this.offset, message, source });
	            this.offset += source.length;
	        }
	        else if (type === 'scalar') {
	            this.atNewLine = false;
	            this.atScalar = true;
	            this.type = 'scalar';
	        }
	        else {
	            this.type = type;
	            yield* this.step();
	            switch (type) {
	                case 'newline':
	                    this.atNewLine = true;
	                    this.indent = 0;
	                    if (this.onNewLine)
	                        this.onNewLine(this.offset + source.length);
	                    break;
	                case 'space':
	                    if (this.atNewLine && source[0] === ' ')
	                        this.indent += source.length;
	                    break;
	                case 'explicit-key-ind':
	                case 'map-value-ind':
	                case 'seq-item-ind':
	                    if (this.atNewLine)
	                        this.indent += source.length;
	                    break;
	                case 'doc-mode':
	                case 'flow-error-end':
	                    return;
	                default:
	                    this.atNewLine = false;
	            }
	            this.offset += source.length;
	        }
	    }
	    /** Call at end of input to push out any remaining constructions */
	    *end() {
	        while (this.stack.length > 0)
	            yield* this.pop();
	    }
	    get sourceToken() {
	        const st = {
	            type: this.type,
	            offset: this.offset,
	            indent: this.indent,
	            source: this.source
	        };
	        return st;
	    }
	    *step() {
	        const top = this.peek(1);
	        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
	            while (this.stack.length > 0)
	                yield* this.pop();
	            this.stack.push({
	                type: 'doc-end',
	                offset: this.offset,
	                source: this.source
	            });
	            return;
	        }
	        if (!top)
	            return yield* this.stream();
	        switch (top.type) {
	            case 'document':
	                return yield* this.document(top);
	            case 'alias':
	            case 'scalar':
	            case 'single-quoted-scalar':
	            case 'double-quoted-scalar':
	                return yield* this.scalar(top);
	            case 'block-scalar':
	                return yield* this.blockScalar(top);
	            case 'block-map':
	                return yield* this.blockMap(top);
	            case 'block-seq':
	                return yield* this.blockSequence(top);
	            case 'flow-collection':
	                return yield* this.flowCollection(top);
	            case 'doc-end':
	                return yield* this.documentEnd(top);
	        }
	        /* istanbul ignore next should not happen */
	        yield* this.pop();
	    }
	    peek(n) {
	        return this.stack[this.stack.length - n];
	    }
	    *pop(error) {
	        const token = error ?? this.stack.pop();
	        /* istanbul ignore if should not happen */
	        if (!token) {
	            const message = 'Tried to pop an empty stack';
	            yield { type: 'error', offset: this.offset, source: '', message };
	        }
	        else if (this.stack.length === 0) {
	            yield token;
	        }
	        else {
	            const top = this.peek(1);
	            if (token.type === 'block-scalar') {
	                // Block scalars use their parent rather than header indent
	                token.indent = 'indent' in top ? top.indent : 0;
	            }
	            else if (token.type === 'flow-collection' && top.type === 'document') {
	                // Ignore all indent for top-level flow collections
	                token.indent = 0;
	            }
	            if (token.type === 'flow-collection')
	                fixFlowSeqItems(token);
	            switch (top.type) {
	                case 'document':
	                    top.value = token;
	                    break;
	                case 'block-scalar':
	                    top.props.push(token); // error
	                    break;
	                case 'block-map': {
	                    const it = top.items[top.items.length - 1];
	                    if (it.value) {
	                        top.items.push({ start: [], key: token, sep: [] });
	                        this.onKeyLine = true;
	                        return;
	                    }
	                    else if (it.sep) {
	                        it.value = token;
	                    }
	                    else {
	                        Object.assign(it, { key: token, sep: [] });
	                        this.onKeyLine = !it.explicitKey;
	                        return;
	                    }
	                    break;
	                }
	                case 'block-seq': {
	                    const it = top.items[top.items.length - 1];
	                    if (it.value)
	                        top.items.push({ start: [], value: token });
	                    else
	                        it.value = token;
	                    break;
	                }
	                case 'flow-collection': {
	                    const it = top.items[top.items.length - 1];
	                    if (!it || it.value)
	                        top.items.push({ start: [], key: token, sep: [] });
	                    else if (it.sep)
	                        it.value = token;
	                    else
	                        Object.assign(it, { key: token, sep: [] });
	                    return;
	                }
	                /* istanbul ignore next should not happen */
	                default:
	                    yield* this.pop();
	                    yield* this.pop(token);
	            }
	            if ((top.type === 'document' ||
	                top.type === 'block-map' ||
	                top.type === 'block-seq') &&
	                (token.type === 'block-map' || token.type === 'block-seq')) {
	                const last = token.items[token.items.length - 1];
	                if (last &&
	                    !last.sep &&
	                    !last.value &&
	                    last.start.length > 0 &&
	                    findNonEmptyIndex(last.start) === -1 &&
	                    (token.indent === 0 ||
	                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
	                    if (top.type === 'document')
	                        top.end = last.start;
	                    else
	                        top.items.push({ start: last.start });
	                    token.items.splice(-1, 1);
	                }
	            }
	        }
	    }
	    *stream() {
	        switch (this.type) {
	            case 'directive-line':
	                yield { type: 'directive', offset: this.offset, source: this.source };
	                return;
	            case 'byte-order-mark':
	            case 'space':
	            case 'comment':
	            case 'newline':
	                yield this.sourceToken;
	                return;
	            case 'doc-mode':
	            case 'doc-start': {
	                const doc = {
	                    type: 'document',
	                    offset: this.offset,
	                    start: []
	                };
	                if (this.type === 'doc-start')
	                    doc.start.push(this.sourceToken);
	                this.stack.push(doc);
	                return;
	            }
	        }
	        yield {
	            type: 'error',
	            offset: this.offset,
	            message: `Unexpected ${this.type} token in YAML stream`,
	            source: this.source
	        };
	    }
	    *document(doc) {
	        if (doc.value)
	            return yield* this.lineEnd(doc);
	        switch (this.type) {
	            case 'doc-start': {
	                if (findNonEmptyIndex(doc.start) !== -1) {
	                    yield* this.pop();
	                    yield* this.step();
	                }
	                else
	                    doc.start.push(this.sourceToken);
	                return;
	            }
	            case 'anchor':
	            case 'tag':
	            case 'space':
	            case 'comment':
	            case 'newline':
	                doc.start.push(this.sourceToken);
	                return;
	        }
	        const bv = this.startBlockValue(doc);
	        if (bv)
	            this.stack.push(bv);
	        else {
	            yield {
	                type: 'error',
	                offset: this.offset,
	                message: `Unexpected ${this.type} token in YAML document`,
	                source: this.source
	            };
	        }
	    }
	    *scalar(scalar) {
	        if (this.type === 'map-value-ind') {
	            const prev = getPrevProps(this.peek(2));
	            const start = getFirstKeyStartProps(prev);
	            let sep;
	            if (scalar.end) {
	                sep = scalar.end;
	                sep.push(this.sourceToken);
	                delete scalar.end;
	            }
	            else
	                sep = [this.sourceToken];
	            const map = {
	                type: 'block-map',
	                offset: scalar.offset,
	                indent: scalar.indent,
	                items: [{ start, key: scalar, sep }]
	            };
	            this.onKeyLine = true;
	            this.stack[this.stack.length - 1] = map;
	        }
	        else
	            yield* this.lineEnd(scalar);
	    }
	    *blockScalar(scalar) {
	        switch (this.type) {
	            case 'space':
	            case 'comment':
	            case 'newline':
	                scalar.props.push(this.sourceToken);
	                return;
	            case 'scalar':
	                scalar.source = this.source;
	                // block-scalar source includes trailing newline
	                this.atNewLine = true;
	                this.indent = 0;
	                if (this.onNewLine) {
	                    let nl = this.source.indexOf('\n') + 1;
	                    while (nl !== 0) {
	                        this.onNewLine(this.offset + nl);
	                        nl = this.source.indexOf('\n', nl) + 1;
	                    }
	                }
	                yield* this.pop();
	                break;
	            /* istanbul ignore next should not happen */
	            default:
	                yield* this.pop();
	                yield* this.step();
	        }
	    }
	    *blockMap(map) {
	        const it = map.items[map.items.length - 1];
	        // it.sep is true-ish if pair already has key or : separator
	        switch (this.type) {
	            case 'newline':
	                this.onKeyLine = false;
	                if (it.value) {
	                    const end = 'end' in it.value ? it.value.end : undefined;
	                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
	                    if (last?.type === 'comment')
	                        end?.push(this.sourceToken);
	                    else
	                        map.items.push({ start: [this.sourceToken] });
	                }
	                else if (it.sep) {
	                    it.sep.push(this.sourceToken);
	                }
	                else {
	                    it.start.push(this.sourceToken);
	                }
	                return;
	            case 'space':
	            case 'comment':
	                if (it.value) {
	                    map.items.push({ start: [this.sourceToken] });
	                }
	                else if (it.sep) {
	                    it.sep.push(this.sourceToken);
	                }
	                else {
	                    if (this.atIndentedComment(it.start, map.indent)) {
	                        const prev = map.items[map.items.length - 2];
	                        const end = prev?.value?.end;
	                        if (Array.isArray(end)) {
	                            arrayPushArray(end, it.start);
	                            end.push(this.sourceToken);
	                            map.items.pop();
	                            return;
	                        }
	                    }
	                    it.start.push(this.sourceToken);
	                }
	                return;
	        }
	        if (this.indent >= map.indent) {
	            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
	            const atNextItem = atMapIndent &&
	                (it.sep || it.explicitKey) &&
	                this.type !== 'seq-item-ind';
	            // For empty nodes, assign newline-separated not indented empty tokens to following node
	            let start = [];
	            if (atNextItem && it.sep && !it.value) {
	                const nl = [];
	                for (let i = 0; i < it.sep.length; ++i) {
	                    const st = it.sep[i];
	                    switch (st.type) {
	                        case 'newline':
	                            nl.push(i);
	                            break;
	                        case 'space':
	                            break;
	                        case 'comment':
	                            if (st.indent > map.indent)
	                                nl.length = 0;
	                            break;
	                        default:
	                            nl.length = 0;
	                    }
	                }
	                if (nl.length >= 2)
	                    start = it.sep.splice(nl[1]);
	            }
	            switch (this.type) {
	                case 'anchor':
	                case 'tag':
	                    if (atNextItem || it.value) {
	                        start.push(this.sourceToken);
	                        map.items.push({ start });
	                        this.onKeyLine = true;
	                    }
	                    else if (it.sep) {
	                        it.sep.push(this.sourceToken);
	                    }
	                    else {
	                        it.start.push(this.sourceToken);
	                    }
	                    return;
	                case 'explicit-key-ind':
	                    if (!it.sep && !it.explicitKey) {
	                        it.start.push(this.sourceToken);
	                        it.explicitKey = true;
	                    }
	                    else if (atNextItem || it.value) {
	                        start.push(this.sourceToken);
	                        map.items.push({ start, explicitKey: true });
	                    }
	                    else {
	                        this.stack.push({
	                            type: 'block-map',
	                            offset: this.offset,
	                            indent: this.indent,
	                            items: [{ start: [this.sourceToken], explicitKey: true }]
	                        });
	                    }
	                    this.onKeyLine = true;
	                    return;
	                case 'map-value-ind':
	                    if (it.explicitKey) {
	                        if (!it.sep) {
	                            if (includesToken(it.start, 'newline')) {
	                                Object.assign(it, { key: null, sep: [this.sourceToken] });
	                            }
	                            else {
	                                const start = getFirstKeyStartProps(it.start);
	                                this.stack.push({
	                                    type: 'block-map',
	                                    offset: this.offset,
	                                    indent: this.indent,
	                                    items: [{ start, key: null, sep: [this.sourceToken] }]
	                                });
	                            }
	                        }
	                        else if (it.value) {
	                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
	                        }
	                        else if (includesToken(it.sep, 'map-value-ind')) {
	                            this.stack.push({
	                                type: 'block-map',
	                                offset: this.offset,
	                                indent: this.indent,
	                                items: [{ start, key: null, sep: [this.sourceToken] }]
	                            });
	                        }
	                        else if (isFlowToken(it.key) &&
	                            !includesToken(it.sep, 'newline')) {
	                            const start = getFirstKeyStartProps(it.start);
	                            const key = it.key;
	                            const sep = it.sep;
	                            sep.push(this.sourceToken);
	                            // @ts-expect-error type guard is wrong here
	                            delete it.key;
	                            // @ts-expect-error type guard is wrong here
	                            delete it.sep;
	                            this.stack.push({
	                                type: 'block-map',
	                                offset: this.offset,
	                                indent: this.indent,
	                                items: [{ start, key, sep }]
	                            });
	                        }
	                        else if (start.length > 0) {
	                            // Not actually at next item
	                            it.sep = it.sep.concat(start, this.sourceToken);
	                        }
	                        else {
	                            it.sep.push(this.sourceToken);
	                        }
	                    }
	                    else {
	                        if (!it.sep) {
	                            Object.assign(it, { key: null, sep: [this.sourceToken] });
	                        }
	                        else if (it.value || atNextItem) {
	                            map.items.push({ start, key: null, sep: [this.sourceToken] });
	                        }
	                        else if (includesToken(it.sep, 'map-value-ind')) {
	                            this.stack.push({
	                                type: 'block-map',
	                                offset: this.offset,
	                                indent: this.indent,
	                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
	                            });
	                        }
	                        else {
	                            it.sep.push(this.sourceToken);
	                        }
	                    }
	                    this.onKeyLine = true;
	                    return;
	                case 'alias':
	                case 'scalar':
	                case 'single-quoted-scalar':
	                case 'double-quoted-scalar': {
	                    const fs = this.flowScalar(this.type);
	                    if (atNextItem || it.value) {
	                        map.items.push({ start, key: fs, sep: [] });
	                        this.onKeyLine = true;
	                    }
	                    else if (it.sep) {
	                        this.stack.push(fs);
	                    }
	                    else {
	                        Object.assign(it, { key: fs, sep: [] });
	                        this.onKeyLine = true;
	                    }
	                    return;
	                }
	                default: {
	                    const bv = this.startBlockValue(map);
	                    if (bv) {
	                        if (bv.type === 'block-seq') {
	                            if (!it.explicitKey &&
	                                it.sep &&
	                                !includesToken(it.sep, 'newline')) {
	                                yield* this.pop({
	                                    type: 'error',
	                                    offset: this.offset,
	                                    message: 'Unexpected block-seq-ind on same line with key',
	                                    source: this.source
	                                });
	                                return;
	                            }
	                        }
	                        else if (atMapIndent) {
	                            map.items.push({ start });
	                        }
	                        this.stack.push(bv);
	                        return;
	                    }
	                }
	            }
	        }
	        yield* this.pop();
	        yield* this.step();
	    }
	    *blockSequence(seq) {
	        const it = seq.items[seq.items.length - 1];
	        switch (this.type) {
	            case 'newline':
	                if (it.value) {
	                    const end = 'end' in it.value ? it.value.end : undefined;
	                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
	                    if (last?.type === 'comment')
	                        end?.push(this.sourceToken);
	                    else
	                        seq.items.push({ start: [this.sourceToken] });
	                }
	                else
	                    it.start.push(this.sourceToken);
	                return;
	            case 'space':
	            case 'comment':
	                if (it.value)
	                    seq.items.push({ start: [this.sourceToken] });
	                else {
	                    if (this.atIndentedComment(it.start, seq.indent)) {
	                        const prev = seq.items[seq.items.length - 2];
	                        const end = prev?.value?.end;
	                        if (Array.isArray(end)) {
	                            arrayPushArray(end, it.start);
	                            end.push(this.sourceToken);
	                            seq.items.pop();
	                            return;
	                        }
	                    }
	                    it.start.push(this.sourceToken);
	                }
	                return;
	            case 'anchor':
	            case 'tag':
	                if (it.value || this.indent <= seq.indent)
	                    break;
	                it.start.push(this.sourceToken);
	                return;
	            case 'seq-item-ind':
	                if (this.indent !== seq.indent)
	                    break;
	                if (it.value || includesToken(it.start, 'seq-item-ind'))
	                    seq.items.push({ start: [this.sourceToken] });
	                else
	                    it.start.push(this.sourceToken);
	                return;
	        }
	        if (this.indent > seq.indent) {
	            const bv = this.startBlockValue(seq);
	            if (bv) {
	                this.stack.push(bv);
	                return;
	            }
	        }
	        yield* this.pop();
	        yield* this.step();
	    }
	    *flowCollection(fc) {
	        const it = fc.items[fc.items.length - 1];
	        if (this.type === 'flow-error-end') {
	            let top;
	            do {
	                yield* this.pop();
	                top = this.peek(1);
	            } while (top?.type === 'flow-collection');
	        }
	        else if (fc.end.length === 0) {
	            switch (this.type) {
	                case 'comma':
	                case 'explicit-key-ind':
	                    if (!it || it.sep)
	                        fc.items.push({ start: [this.sourceToken] });
	                    else
	                        it.start.push(this.sourceToken);
	                    return;
	                case 'map-value-ind':
	                    if (!it || it.value)
	                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
	                    else if (it.sep)
	                        it.sep.push(this.sourceToken);
	                    else
	                        Object.assign(it, { key: null, sep: [this.sourceToken] });
	                    return;
	                case 'space':
	                case 'comment':
	                case 'newline':
	                case 'anchor':
	                case 'tag':
	                    if (!it || it.value)
	                        fc.items.push({ start: [this.sourceToken] });
	                    else if (it.sep)
	                        it.sep.push(this.sourceToken);
	                    else
	                        it.start.push(this.sourceToken);
	                    return;
	                case 'alias':
	                case 'scalar':
	                case 'single-quoted-scalar':
	                case 'double-quoted-scalar': {
	                    const fs = this.flowScalar(this.type);
	                    if (!it || it.value)
	                        fc.items.push({ start: [], key: fs, sep: [] });
	                    else if (it.sep)
	                        this.stack.push(fs);
	                    else
	                        Object.assign(it, { key: fs, sep: [] });
	                    return;
	                }
	                case 'flow-map-end':
	                case 'flow-seq-end':
	                    fc.end.push(this.sourceToken);
	                    return;
	            }
	            const bv = this.startBlockValue(fc);
	            /* istanbul ignore else should not happen */
	            if (bv)
	                this.stack.push(bv);
	            else {
	                yield* this.pop();
	                yield* this.step();
	            }
	        }
	        else {
	            const parent = this.peek(2);
	            if (parent.type === 'block-map' &&
	                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
	                    (this.type === 'newline' &&
	                        !parent.items[parent.items.length - 1].sep))) {
	                yield* this.pop();
	                yield* this.step();
	            }
	            else if (this.type === 'map-value-ind' &&
	                parent.type !== 'flow-collection') {
	                const prev = getPrevProps(parent);
	                const start = getFirstKeyStartProps(prev);
	                fixFlowSeqItems(fc);
	                const sep = fc.end.splice(1, fc.end.length);
	                sep.push(this.sourceToken);
	                const map = {
	                    type: 'block-map',
	                    offset: fc.offset,
	                    indent: fc.indent,
	                    items: [{ start, key: fc, sep }]
	                };
	                this.onKeyLine = true;
	                this.stack[this.stack.length - 1] = map;
	            }
	            else {
	                yield* this.lineEnd(fc);
	            }
	        }
	    }
	    flowScalar(type) {
	        if (this.onNewLine) {
	            let nl = this.source.indexOf('\n') + 1;
	            while (nl !== 0) {
	                this.onNewLine(this.offset + nl);
	                nl = this.source.indexOf('\n', nl) + 1;
	            }
	        }
	        return {
	            type,
	            offset: this.offset,
	            indent: this.indent,
	            source: this.source
	        };
	    }
	    startBlockValue(parent) {
	        switch (this.type) {
	            case 'alias':
	            case 'scalar':
	            case 'single-quoted-scalar':
	            case 'double-quoted-scalar':
	                return this.flowScalar(this.type);
	            case 'block-scalar-header':
	                return {
	                    type: 'block-scalar',
	                    offset: this.offset,
	                    indent: this.indent,
	                    props: [this.sourceToken],
	                    source: ''
	                };
	            case 'flow-map-start':
	            case 'flow-seq-start':
	                return {
	                    type: 'flow-collection',
	                    offset: this.offset,
	                    indent: this.indent,
	                    start: this.sourceToken,
	                    items: [],
	                    end: []
	                };
	            case 'seq-item-ind':
	                return {
	                    type: 'block-seq',
	                    offset: this.offset,
	                    indent: this.indent,
	                    items: [{ start: [this.sourceToken] }]
	                };
	            case 'explicit-key-ind': {
	                this.onKeyLine = true;
	                const prev = getPrevProps(parent);
	                const start = getFirstKeyStartProps(prev);
	                start.push(this.sourceToken);
	                return {
	                    type: 'block-map',
	                    offset: this.offset,
	                    indent: this.indent,
	                    items: [{ start, explicitKey: true }]
	                };
	            }
	            case 'map-value-ind': {
	                this.onKeyLine = true;
	                const prev = getPrevProps(parent);
	                const start = getFirstKeyStartProps(prev);
	                return {
	                    type: 'block-map',
	                    offset: this.offset,
	                    indent: this.indent,
	                    items: [{ start, key: null, sep: [this.sourceToken] }]
	                };
	            }
	        }
	        return null;
	    }
	    atIndentedComment(start, indent) {
	        if (this.type !== 'comment')
	            return false;
	        if (this.indent <= indent)
	            return false;
	        return start.every(st => st.type === 'newline' || st.type === 'space');
	    }
	    *documentEnd(docEnd) {
	        if (this.type !== 'doc-mode') {
	            if (docEnd.end)
	                docEnd.end.push(this.sourceToken);
	            else
	                docEnd.end = [this.sourceToken];
	            if (this.type === 'newline')
	                yield* this.pop();
	        }
	    }
	    *lineEnd(token) {
	        switch (this.type) {
	            case 'comma':
	            case 'doc-start':
	            case 'doc-end':
	            case 'flow-seq-end':
	            case 'flow-map-end':
	            case 'map-value-ind':
	                yield* this.pop();
	                yield* this.step();
	                break;
	            case 'newline':
	                this.onKeyLine = false;
	            // fallthrough
	            case 'space':
	            case 'comment':
	            default:
	                // all other values are errors
	                if (token.end)
	                    token.end.push(this.sourceToken);
	                else
	                    token.end = [this.sourceToken];
	                if (this.type === 'newline')
	                    yield* this.pop();
	        }
	    }
	}

	parser.Parser = Parser;
	return parser;
}

var publicApi = {};

var hasRequiredPublicApi;

function requirePublicApi () {
	if (hasRequiredPublicApi) return publicApi;
	hasRequiredPublicApi = 1;

	var composer = requireComposer();
	var Document = requireDocument();
	var errors = requireErrors();
	var log = requireLog();
	var identity = requireIdentity();
	var lineCounter = requireLineCounter();
	var parser = requireParser();

	function parseOptions(options) {
	    const prettyErrors = options.prettyErrors !== false;
	    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
	    return { lineCounter: lineCounter$1, prettyErrors };
	}
	/**
	 * Parse the input as a stream of YAML documents.
	 *
	 * Documents should be separated from each other by `...` or `---` marker lines.
	 *
	 * @returns If an empty `docs` array is returned, it will be of type
	 *   EmptyStream and contain additional stream information. In
	 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
	 */
	function parseAllDocuments(source, options = {}) {
	    const { lineCounter, prettyErrors } = parseOptions(options);
	    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
	    const composer$1 = new composer.Composer(options);
	    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
	    if (prettyErrors && lineCounter)
	        for (const doc of docs) {
	            doc.errors.forEach(errors.prettifyError(source, lineCounter));
	            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
	        }
	    if (docs.length > 0)
	        return docs;
	    return Object.assign([], { empty: true }, composer$1.streamInfo());
	}
	/** Parse an input string into a single YAML.Document */
	function parseDocument(source, options = {}) {
	    const { lineCounter, prettyErrors } = parseOptions(options);
	    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
	    const composer$1 = new composer.Composer(options);
	    // `doc` is always set by compose.end(true) at the very latest
	    let doc = null;
	    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
	        if (!doc)
	            doc = _doc;
	        else if (doc.options.logLevel !== 'silent') {
	            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
	            break;
	        }
	    }
	    if (prettyErrors && lineCounter) {
	        doc.errors.forEach(errors.prettifyError(source, lineCounter));
	        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
	    }
	    return doc;
	}
	function parse(src, reviver, options) {
	    let _reviver = undefined;
	    if (typeof reviver === 'function') {
	        _reviver = reviver;
	    }
	    else if (options === undefined && reviver && typeof reviver === 'object') {
	        options = reviver;
	    }
	    const doc = parseDocument(src, options);
	    if (!doc)
	        return null;
	    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
	    if (doc.errors.length > 0) {
	        if (doc.options.logLevel !== 'silent')
	            throw doc.errors[0];
	        else
	            doc.errors = [];
	    }
	    return doc.toJS(Object.assign({ reviver: _reviver }, options));
	}
	function stringify(value, replacer, options) {
	    let _replacer = null;
	    if (typeof replacer === 'function' || Array.isArray(replacer)) {
	        _replacer = replacer;
	    }
	    else if (options === undefined && replacer) {
	        options = replacer;
	    }
	    if (typeof options === 'string')
	        options = options.length;
	    if (typeof options === 'number') {
	        const indent = Math.round(options);
	        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
	    }
	    if (value === undefined) {
	        const { keepUndefined } = options ?? replacer ?? {};
	        if (!keepUndefined)
	            return undefined;
	    }
	    if (identity.isDocument(value) && !_replacer)
	        return value.toString(options);
	    return new Document.Document(value, _replacer, options).toString(options);
	}

	publicApi.parse = parse;
	publicApi.parseAllDocuments = parseAllDocuments;
	publicApi.parseDocument = parseDocument;
	publicApi.stringify = stringify;
	return publicApi;
}

var hasRequiredDist;

function requireDist () {
	if (hasRequiredDist) return dist;
	hasRequiredDist = 1;

	var composer = requireComposer();
	var Document = requireDocument();
	var Schema = requireSchema();
	var errors = requireErrors();
	var Alias = requireAlias();
	var identity = requireIdentity();
	var Pair = requirePair();
	var Scalar = requireScalar();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var cst = requireCst();
	var lexer = requireLexer();
	var lineCounter = requireLineCounter();
	var parser = requireParser();
	var publicApi = requirePublicApi();
	var visit = requireVisit();



	dist.Composer = composer.Composer;
	dist.Document = Document.Document;
	dist.Schema = Schema.Schema;
	dist.YAMLError = errors.YAMLError;
	dist.YAMLParseError = errors.YAMLParseError;
	dist.YAMLWarning = errors.YAMLWarning;
	dist.Alias = Alias.Alias;
	dist.isAlias = identity.isAlias;
	dist.isCollection = identity.isCollection;
	dist.isDocument = identity.isDocument;
	dist.isMap = identity.isMap;
	dist.isNode = identity.isNode;
	dist.isPair = identity.isPair;
	dist.isScalar = identity.isScalar;
	dist.isSeq = identity.isSeq;
	dist.Pair = Pair.Pair;
	dist.Scalar = Scalar.Scalar;
	dist.YAMLMap = YAMLMap.YAMLMap;
	dist.YAMLSeq = YAMLSeq.YAMLSeq;
	dist.CST = cst;
	dist.Lexer = lexer.Lexer;
	dist.LineCounter = lineCounter.LineCounter;
	dist.Parser = parser.Parser;
	dist.parse = publicApi.parse;
	dist.parseAllDocuments = publicApi.parseAllDocuments;
	dist.parseDocument = publicApi.parseDocument;
	dist.stringify = publicApi.stringify;
	dist.visit = visit.visit;
	dist.visitAsync = visit.visitAsync;
	return dist;
}

var distExports = requireDist();

/** Line numbers for YAML nodes, so that errors can say where. */
function parseLocated(text) {
    const counter = new distExports.LineCounter();
    const doc = distExports.parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
    return {
        doc,
        line: (node) => (distExports.isNode(node) && node.range ? counter.linePos(node.range[0]).line : undefined),
    };
}
/** The first error of a parsed document: its message and 1-based line. */
function firstError(located) {
    const e = located.doc.errors[0];
    if (!e)
        return undefined;
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { message, line: e.linePos?.[0]?.line };
}

/**
 * `.ioana.yml` (DESIGN §2.3): which findings fail, what to ignore, collapse or
 * normalize, and severities. Invalid configuration is an error naming the key and
 * the line; nothing runs with a configuration that was not understood.
 */
const DEFAULT_FAIL_ON = [
    'new-input',
    'new-output',
    'vanished-output',
    'new-program',
    'new-endpoint',
    'source-modified',
    'credential-read',
    'untraced-io',
    'tampering',
    'baseline-edited',
    'config-weakened',
];
/** The configuration file at the workspace root that is read when none is named. */
const DEFAULT_CONFIG_FILE = '.ioana.yml';
const DEFAULT_CONFIG = { failOn: DEFAULT_FAIL_ON, ignore: [], collapse: [], normalize: [], severity: [] };
const KEYS = ['fail-on', 'ignore', 'collapse', 'normalize', 'severity'];
/** `.ioana.yml` could not be used; `line` is 1-based. */
class ConfigError extends IoanaError {
    file;
    line;
    constructor(file, line, what) {
        super(`${file}${line ? `:${line}` : ''}: ${what}`, { hint: 'Fix the configuration; see the README section ".ioana.yml".' });
        this.file = file;
        this.line = line;
    }
}
/** Reject patterns that can take exponential time (`(a+)+`, `(a|a)*`): they would stall the check. */
function backtracksBadly(pattern) {
    return /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/.test(pattern) || /\(([^()|]+)\|\1\)[+*]/.test(pattern);
}
function parseConfig(text, file) {
    const located = parseLocated(text);
    const err = firstError(located);
    if (err)
        throw new ConfigError(file, err.line, `not valid YAML: ${err.message}`);
    const root = located.doc.contents;
    if (root === null || (distExports.isScalar(root) && (root.value === null || root.value === '')))
        return DEFAULT_CONFIG;
    if (!distExports.isMap(root))
        throw new ConfigError(file, located.line(root), 'the file must be a mapping (keys such as fail-on, ignore, collapse).');
    const read = new Reader$1(located, file);
    let config = DEFAULT_CONFIG;
    for (const pair of root.items) {
        const key = distExports.isScalar(pair.key) ? String(pair.key.value) : '';
        switch (key) {
            case 'fail-on':
                config = { ...config, failOn: read.failOn(pair) };
                break;
            case 'ignore':
                config = { ...config, ignore: read.ignore(pair) };
                break;
            case 'collapse':
                config = { ...config, collapse: read.strings(pair, key) };
                break;
            case 'normalize':
                config = { ...config, normalize: read.normalize(pair) };
                break;
            case 'severity':
                config = { ...config, severity: read.severity(pair) };
                break;
            default:
                throw new ConfigError(file, located.line(pair.key), `unknown key "${key}" (known: ${KEYS.join(', ')}).`);
        }
    }
    return config;
}
/** Reads each key's value, with errors that name the file and the line. */
let Reader$1 = class Reader {
    located;
    file;
    constructor(located, file) {
        this.located = located;
        this.file = file;
    }
    fail(node, what) {
        throw new ConfigError(this.file, this.located.line(node), what);
    }
    /** The node of the i-th item of a list value (for an error's line). */
    item(pair, i) {
        return distExports.isSeq(pair.value) ? pair.value.items[i] : pair.value;
    }
    strings(pair, key) {
        if (!distExports.isSeq(pair.value))
            this.fail(pair.value ?? pair.key, `"${key}" must be a list of strings.`);
        return pair.value.items.map((item) => {
            if (!distExports.isScalar(item) || typeof item.value !== 'string')
                this.fail(item, `"${key}" must be a list of strings.`);
            return item.value;
        });
    }
    failOn(pair) {
        if (distExports.isScalar(pair.value) && pair.value.value === 'none')
            return [];
        const kinds = this.strings(pair, 'fail-on');
        kinds.forEach((k, i) => {
            if (!isFindingKind(k))
                this.fail(this.item(pair, i), `"fail-on" has an unknown finding kind "${k}" (known: ${FINDING_KINDS.join(', ')}, or none).`);
        });
        return kinds;
    }
    ignore(pair) {
        const globs = this.strings(pair, 'ignore');
        globs.forEach((g, i) => {
            if (matchesEverything(g))
                this.fail(this.item(pair, i), `"ignore" glob ${JSON.stringify(g)} matches every path: it would hide the whole build.`);
        });
        return globs;
    }
    normalize(pair) {
        if (!distExports.isSeq(pair.value))
            this.fail(pair.value ?? pair.key, '"normalize" must be a list of { pattern, replace }.');
        return pair.value.items.map((item) => {
            if (!distExports.isMap(item))
                this.fail(item, '"normalize" entries must be { pattern, replace }.');
            const pattern = item.get('pattern');
            const replace = item.get('replace');
            if (typeof pattern !== 'string' || typeof replace !== 'string')
                this.fail(item, '"normalize" entries need a string "pattern" and a string "replace".');
            for (const p of item.items) {
                const k = distExports.isScalar(p.key) ? String(p.key.value) : '';
                if (k !== 'pattern' && k !== 'replace')
                    this.fail(p.key, `"normalize" entries take only pattern and replace, not "${k}".`);
            }
            try {
                new RegExp(pattern, 'g');
            }
            catch (e) {
                this.fail(item, `"normalize" pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${e.message}.`);
            }
            if (backtracksBadly(pattern)) {
                this.fail(item, `"normalize" pattern ${JSON.stringify(pattern)} has nested repetition that can take exponential time; rewrite it without (x+)+ or (a|a)*.`);
            }
            return { pattern, replace };
        });
    }
    severity(pair) {
        if (!distExports.isMap(pair.value))
            this.fail(pair.value ?? pair.key, '"severity" must map a finding kind or a glob to error, warning or notice.');
        return pair.value.items.map((p) => {
            const match = distExports.isScalar(p.key) ? String(p.key.value) : '';
            const value = distExports.isScalar(p.value) ? String(p.value.value) : '';
            if (!isSeverity(value))
                this.fail(p.value ?? p.key, `"severity" of "${match}" must be error, warning or notice, not "${value}".`);
            return { match, severity: value };
        });
    }
};

/**
 * A reader for the exact layout `renderBaseline` writes: one line at a time, strings
 * through JSON.parse. A general YAML parser spends most of a check's time on a large
 * baseline; this one only recognizes our own layout and gives up (undefined) on
 * anything else, so that a hand-edited file still goes through the full parser, with
 * its line-numbered errors.
 */
const STRING = /^"(?:[^"\\]|\\.)*"$/;
const COUNTED = /^\{ path: ("(?:[^"\\]|\\.)*"), seen: (\d+) \}$/;
function json(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function fastParseBaseline(text) {
    return new LayoutReader(text.split('\n')).read();
}
/** A cursor over the lines of a baseline in ioana's layout; every reader returns undefined on anything else. */
class LayoutReader {
    src;
    lines = new Map();
    i = 0;
    runs = 0;
    constructor(src) {
        this.src = src;
    }
    read() {
        while (this.i < this.src.length && this.src[this.i].startsWith('#'))
            this.i++;
        const version = this.header('version');
        const runs = this.header('runs');
        if (version !== BASELINE_VERSION || runs === undefined || runs < 1)
            return undefined;
        this.runs = runs;
        const inputs = this.countedList('inputs', '', runs, 'inputs');
        const outputs = inputs && this.outputs();
        const programs = outputs && this.programs();
        const endpoints = programs && this.countedList('endpoints', '', runs, 'endpoints');
        const modified = endpoints && (this.src[this.i]?.startsWith('modified:') ? this.countedList('modified', '', runs, 'modified') : []);
        if (!inputs || !outputs || !programs || !endpoints || !modified)
            return undefined;
        // Only an empty last line may follow.
        const { i, src } = this;
        if (!(i === src.length || (i === src.length - 1 && src[i] === '')))
            return undefined;
        return { baseline: { version: BASELINE_VERSION, runs, inputs, outputs, programs, endpoints, modified }, lines: this.lines };
    }
    /** `key: N` → N. */
    header(key) {
        const m = new RegExp(`^${key}: (\\d+)$`).exec(this.src[this.i] ?? '');
        if (!m)
            return undefined;
        this.i++;
        return Number(m[1]);
    }
    /** An optional `    seen: k` line (k from 1 to `runs`): k, `runs` when absent, undefined when invalid. */
    optionalSeen() {
        const m = /^ {4}seen: (\d+)$/.exec(this.src[this.i] ?? '');
        if (!m)
            return this.runs;
        this.i++;
        const seen = Number(m[1]);
        return seen >= 1 && seen <= this.runs ? seen : undefined;
    }
    /** `  - "x"` or `  - { path: "x", seen: 2 }` at `indent`, for a list that `of` runs saw. */
    countedList(name, indent, of, section) {
        const { src } = this;
        if (src[this.i] === `${indent}${name}: []`) {
            this.i++;
            return [];
        }
        if (src[this.i] !== `${indent}${name}:`)
            return undefined;
        this.i++;
        const out = [];
        const prefix = `${indent}  - `;
        while (this.i < src.length && src[this.i].startsWith(prefix)) {
            const item = src[this.i].slice(prefix.length);
            let c;
            if (STRING.test(item)) {
                const value = json(item);
                if (typeof value !== 'string')
                    return undefined;
                c = { value, seen: of };
            }
            else {
                const m = COUNTED.exec(item);
                const value = m ? json(m[1]) : undefined;
                if (!m || typeof value !== 'string' || Number(m[2]) < 1 || Number(m[2]) > of)
                    return undefined;
                c = { value, seen: Number(m[2]) };
            }
            if (section)
                this.lines.set(entryKey(section, c.value), this.i + 1);
            out.push(c);
            this.i++;
        }
        return out;
    }
    outputs() {
        const { src } = this;
        const outputs = [];
        if (src[this.i] === 'outputs: []') {
            this.i++;
            return outputs;
        }
        if (src[this.i] !== 'outputs:')
            return undefined;
        this.i++;
        while ((src[this.i] ?? '').startsWith('  - path: ')) {
            const line = this.i + 1;
            const path = json(src[this.i].slice('  - path: '.length));
            if (typeof path !== 'string')
                return undefined;
            this.i++;
            const seen = this.optionalSeen();
            const from = seen === undefined ? undefined : this.countedList('from', '    ', seen);
            if (seen === undefined || !from)
                return undefined;
            this.lines.set(entryKey('outputs', path), line);
            outputs.push({ path, seen, from });
        }
        return outputs;
    }
    programs() {
        const { src } = this;
        const programs = [];
        if (src[this.i] === 'programs: []') {
            this.i++;
            return programs;
        }
        if (src[this.i] !== 'programs:')
            return undefined;
        this.i++;
        while ((src[this.i] ?? '').startsWith('  - exe: ')) {
            const line = this.i + 1;
            const exe = json(src[this.i].slice('  - exe: '.length));
            const argvLine = src[this.i + 1] ?? '';
            const argv = argvLine.startsWith('    argv: ') ? json(argvLine.slice('    argv: '.length)) : undefined;
            const count = /^ {4}count: (\d+)$/.exec(src[this.i + 2] ?? '');
            if (typeof exe !== 'string' || !Array.isArray(argv) || !argv.every((a) => typeof a === 'string') || !count || Number(count[1]) < 1) {
                return undefined;
            }
            this.i += 3;
            const seen = this.optionalSeen();
            if (seen === undefined)
                return undefined;
            this.lines.set(entryKey('programs', programKey({ exe, argv })), line);
            programs.push({ exe, argv: argv, count: Number(count[1]), seen });
        }
        return programs;
    }
}

/**
 * YAML text → Baseline, checked against the schema. Every problem is a BaselineError
 * with the file and line, and says what to do; the file itself is never touched here.
 */
class BaselineError extends IoanaError {
    file;
    line;
    constructor(file, line, what, hint = 'Fix the file, or restore it from version control (`git checkout -- FILE`); ioana never overwrites a baseline it cannot read.') {
        super(`${file}${line ? `:${line}` : ''}: ${what}`, { hint });
        this.file = file;
        this.line = line;
    }
}
const TOP_KEYS = ['version', 'runs', 'inputs', 'outputs', 'programs', 'endpoints', 'modified'];
function parseBaseline(text, file) {
    // The layout ioana writes is read line by line; anything else by the YAML parser.
    const fast = fastParseBaseline(text);
    if (fast)
        return fast;
    const located = parseLocated(text);
    const err = firstError(located);
    if (err)
        throw new BaselineError(file, err.line, `not valid YAML: ${err.message}`);
    const root = located.doc.contents;
    if (!distExports.isMap(root))
        throw new BaselineError(file, located.line(root) ?? 1, 'a baseline is a mapping with version, runs, inputs, outputs, programs and endpoints.');
    return new Reader(located, file).read(root);
}
class Reader {
    located;
    file;
    lines = new Map();
    constructor(located, file) {
        this.located = located;
        this.file = file;
    }
    fail(node, what) {
        throw new BaselineError(this.file, this.located.line(node), what);
    }
    pairs(map, where, allowed) {
        const out = new Map();
        for (const pair of map.items) {
            const key = distExports.isScalar(pair.key) ? String(pair.key.value) : '';
            if (!allowed.includes(key))
                this.fail(pair.key, `unknown key "${key}" in ${where} (known: ${allowed.join(', ')}).`);
            out.set(key, pair);
        }
        return out;
    }
    int(pair, name, min, node) {
        if (!pair)
            this.fail(node, `"${name}" is missing.`);
        const v = distExports.isScalar(pair.value) ? pair.value.value : undefined;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
            this.fail(pair.value ?? pair.key, `"${name}" must be a whole number of at least ${min}.`);
        return v;
    }
    str(node, what) {
        if (!distExports.isScalar(node) || typeof node.value !== 'string')
            this.fail(node, `${what} must be a string.`);
        return node.value;
    }
    counted(pair, section, runs, name) {
        if (!pair)
            return [];
        if (!distExports.isSeq(pair.value))
            this.fail(pair.value ?? pair.key, `"${name}" must be a list.`);
        return pair.value.items.map((item) => {
            let c;
            if (distExports.isMap(item)) {
                const p = this.pairs(item, `an entry of "${name}"`, ['path', 'seen']);
                const seen = this.int(p.get('seen'), 'seen', 1, item);
                if (seen > runs)
                    this.fail(p.get('seen')?.value, `"seen: ${seen}" is more than the ${runs} runs this covers.`);
                c = { value: this.str(p.get('path')?.value, `an entry of "${name}"`), seen };
            }
            else {
                c = { value: this.str(item, `an entry of "${name}"`), seen: runs };
            }
            if (section)
                this.lines.set(entryKey(section, c.value), this.located.line(item) ?? 0);
            return c;
        });
    }
    read(root) {
        const top = this.pairs(root, 'the baseline', TOP_KEYS);
        const versionPair = top.get('version');
        const version = versionPair && distExports.isScalar(versionPair.value) ? versionPair.value.value : undefined;
        if (version !== BASELINE_VERSION) {
            throw new BaselineError(this.file, this.located.line(versionPair?.value ?? root), versionPair
                ? `unknown baseline version ${JSON.stringify(version)}; this ioana reads version ${BASELINE_VERSION}.`
                : `"version" is missing; this ioana reads version ${BASELINE_VERSION}.`, 'Use the ioana release that wrote this baseline, or record a new one with `ioana update --fresh`.');
        }
        const runs = this.int(top.get('runs'), 'runs', 1, root);
        const inputs = this.counted(top.get('inputs'), 'inputs', runs, 'inputs');
        const endpoints = this.counted(top.get('endpoints'), 'endpoints', runs, 'endpoints');
        const modified = this.counted(top.get('modified'), 'modified', runs, 'modified');
        const outputs = [];
        const outPair = top.get('outputs');
        if (outPair) {
            if (!distExports.isSeq(outPair.value))
                this.fail(outPair.value ?? outPair.key, '"outputs" must be a list.');
            for (const item of outPair.value.items) {
                if (!distExports.isMap(item))
                    this.fail(item, 'an entry of "outputs" must be { path, from }.');
                const p = this.pairs(item, 'an entry of "outputs"', ['path', 'seen', 'from']);
                const path = this.str(p.get('path')?.value, '"path" of an output');
                const seen = p.has('seen') ? this.int(p.get('seen'), 'seen', 1, item) : runs;
                outputs.push({ path, seen, from: this.counted(p.get('from'), null, seen, 'from') });
                this.lines.set(entryKey('outputs', path), this.located.line(item) ?? 0);
            }
        }
        const programs = [];
        const progPair = top.get('programs');
        if (progPair) {
            if (!distExports.isSeq(progPair.value))
                this.fail(progPair.value ?? progPair.key, '"programs" must be a list.');
            for (const item of progPair.value.items) {
                if (!distExports.isMap(item))
                    this.fail(item, 'an entry of "programs" must be { exe, argv, count }.');
                const p = this.pairs(item, 'an entry of "programs"', ['exe', 'argv', 'count', 'seen']);
                const exe = this.str(p.get('exe')?.value, '"exe" of a program');
                const argvNode = p.get('argv')?.value;
                if (!distExports.isSeq(argvNode))
                    this.fail(argvNode ?? item, '"argv" of a program must be a list of strings.');
                const argv = argvNode.items.map((a) => this.str(a, 'an argument in "argv"'));
                const count = this.int(p.get('count'), 'count', 1, item);
                const seen = p.has('seen') ? this.int(p.get('seen'), 'seen', 1, item) : runs;
                programs.push({ exe, argv, count, seen });
                this.lines.set(entryKey('programs', programKey({ exe, argv })), this.located.line(item) ?? 0);
            }
        }
        return {
            baseline: { version: BASELINE_VERSION, runs, inputs, outputs, programs, endpoints, modified },
            lines: this.lines,
        };
    }
}

const EMPTY = { version: BASELINE_VERSION, runs: 0, inputs: [], outputs: [], programs: [], endpoints: [], modified: [] };
function mergeCounted(old, oldRuns, now) {
    const seen = new Map(old.map((c) => [c.value, Math.min(c.seen, oldRuns)]));
    for (const v of now)
        seen.set(v, (seen.get(v) ?? 0) + 1);
    return [...seen.entries()].map(([value, n]) => ({ value, seen: n })).sort((a, b) => byCodeUnit(a.value, b.value));
}
/** One more run learned: `runs + 1`, each entry's `seen` + 1 when this run has it. */
function mergeRun(base, g) {
    const b = base ?? EMPTY;
    const outputs = new Map(b.outputs.map((o) => [o.path, o]));
    for (const o of g.outputs) {
        const old = outputs.get(o.path);
        outputs.set(o.path, {
            path: o.path,
            seen: (old ? Math.min(old.seen, b.runs) : 0) + 1,
            from: mergeCounted(old?.from ?? [], old ? Math.min(old.seen, b.runs) : 0, o.from),
        });
    }
    const programs = new Map(b.programs.map((p) => [programKey(p), p]));
    for (const p of g.programs) {
        const key = programKey(p);
        const old = programs.get(key);
        programs.set(key, {
            exe: p.exe,
            argv: p.argv,
            count: Math.max(old?.count ?? 0, p.count),
            seen: (old ? Math.min(old.seen, b.runs) : 0) + 1,
        });
    }
    return {
        version: BASELINE_VERSION,
        runs: b.runs + 1,
        inputs: mergeCounted(b.inputs, b.runs, g.inputs),
        outputs: [...outputs.values()].sort((x, y) => byCodeUnit(x.path, y.path)),
        programs: [...programs.values()].sort((x, y) => byCodeUnit(programKey(x), programKey(y))),
        endpoints: mergeCounted(b.endpoints, b.runs, g.endpoints),
        modified: mergeCounted(b.modified, b.runs, g.modified),
    };
}
/** A baseline of these runs alone. */
function baselineOf(runs) {
    let b;
    for (const g of runs)
        b = mergeRun(b, g);
    return b ?? EMPTY;
}
/** The baseline as a canonical graph (every entry, whatever its `seen`). */
function graphOf(b) {
    return {
        inputs: b.inputs.map((c) => c.value),
        outputs: b.outputs.map((o) => ({ path: o.path, from: o.from.map((c) => c.value) })),
        programs: b.programs.map((p) => ({ exe: p.exe, argv: p.argv, count: p.count })),
        endpoints: b.endpoints.map((c) => c.value),
        modified: b.modified.map((c) => c.value),
    };
}

/** Over this share of unparsed lines, a log is not trusted as a build's trace. */
const MAX_UNPARSED_SHARE = 0.01;
const SECTIONS = ['inputs', 'outputs', 'programs', 'endpoints', 'modified'];
/** Every entry of a baseline with how many runs saw it, per section. */
function entries(b) {
    const out = new Map();
    out.set('inputs', new Map(b.inputs.map((c) => [c.value, c.seen])));
    out.set('outputs', new Map(b.outputs.map((o) => [o.path, o.seen])));
    out.set('programs', new Map(b.programs.map((p) => [programKey(p), p.seen])));
    out.set('endpoints', new Map(b.endpoints.map((c) => [c.value, c.seen])));
    out.set('modified', new Map(b.modified.map((c) => [c.value, c.seen])));
    return out;
}
/**
 * Why a trace is not a build's trace, or undefined when it is: it is empty, more than
 * 1 % of its lines are not strace output, or not one program ran in it. Nothing is
 * recorded from such a trace, and no finding is made of it.
 */
function untrustedTrace(facts) {
    if (facts.lines === 0)
        return 'the trace is empty: nothing ran in it.';
    if (facts.unparsed > facts.lines * MAX_UNPARSED_SHARE) {
        const share = ((100 * facts.unparsed) / facts.lines).toFixed(facts.unparsed * 1000 < facts.lines * 10 ? 1 : 0);
        return `${facts.unparsed} of ${facts.lines} lines of the trace (${share} %) are not strace output: this does not look like a log ioana or strace wrote.`;
    }
    if (facts.execs === 0)
        return 'no program ran in this trace (not one successful execve): it is not the trace of a build.';
    return undefined;
}
/**
 * Why this run must not be recorded, or undefined when it may. `before` is the baseline
 * it would be merged into, or the one it replaces (`--fresh`); `after` the result.
 */
function refusal(run, facts, before, after) {
    const untrusted = untrustedTrace(facts);
    if (untrusted)
        return untrusted;
    if (run.tampered?.length)
        return `the build touched ioana's own files (${run.tampered.join(', ')}): its trace cannot be trusted.`;
    if (run.outputs.length === 0 && before && before.outputs.length > 0) {
        return `this run wrote no outputs, but the baseline lists ${before.outputs.length}: an incremental build with nothing to do? Record from a clean tree (for example after \`make clean\`).`;
    }
    // A merge (not --fresh): would most of what every earlier run had become optional?
    if (before && before.runs > 0 && after.runs > before.runs) {
        const old = entries(before);
        const now = entries(after);
        let required = 0;
        let weakened = 0;
        for (const s of SECTIONS) {
            for (const [key, seen] of old.get(s)) {
                if (seen < before.runs)
                    continue;
                required++;
                if ((now.get(s).get(key) ?? 0) < after.runs)
                    weakened++;
            }
        }
        if (weakened * 2 > required) {
            return `this run lacks ${weakened} of the ${required} entries every earlier run had: recording it would make more than half of the baseline optional. Record from a clean tree, or start over with --fresh if the build really changed this much.`;
        }
    }
    return undefined;
}
const SINGULAR = {
    inputs: 'input',
    outputs: 'output',
    programs: 'program',
    endpoints: 'endpoint',
    modified: 'modified source',
    entries: 'entry',
};
const PLURAL = { modified: 'modified sources' };
/** `(1, 'inputs')` → `1 input`; `(3, 'entries')` → `3 entries`. */
const plural$1 = (n, word) => `${n} ${n === 1 ? SINGULAR[word] : (PLURAL[word] ?? word)}`;
/**
 * `+1 input, −2 outputs, 4 entries now seen in 3 of 4 runs`: what an update changed.
 * A new baseline: `5 inputs, 2 outputs, 3 programs, 0 endpoints`.
 */
function describeUpdate(before, after) {
    const now = entries(after);
    if (!before || before.runs === 0) {
        return ['inputs', 'outputs', 'programs', 'endpoints'].map((s) => plural$1(now.get(s).size, s)).join(', ');
    }
    const old = entries(before);
    const parts = [];
    let optional = 0;
    for (const s of SECTIONS) {
        const was = old.get(s);
        const is = now.get(s);
        let added = 0;
        for (const [key, seen] of is) {
            if (!was.has(key))
                added++;
            else if (after.runs > before.runs && seen < after.runs && was.get(key) >= before.runs)
                optional++;
        }
        let removed = 0;
        for (const key of was.keys())
            if (!is.has(key))
                removed++;
        if (added)
            parts.push(`+${plural$1(added, s)}`);
        if (removed)
            parts.push(`−${plural$1(removed, s)}`);
    }
    if (optional)
        parts.push(`${plural$1(optional, 'entries')} now seen in ${after.runs - 1} of ${after.runs} runs`);
    return parts.length ? parts.join(', ') : 'no entry changed';
}

/** `{exitCode: 0}` → true; any other status or a signal → false. */
function succeeded(outcome) {
    return outcome.exitCode === 0 && outcome.signal === null;
}
/** `{exitCode: 2}` → `exit status 2`; `{signal: 'SIGSEGV'}` → `killed by SIGSEGV`. */
function describeOutcome(outcome) {
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.exitCode}`;
    return outcome.interrupted ? `${how} (interrupted by ${outcome.interrupted})` : how;
}

/**
 * The built-in canonicalization rules (DESIGN §1.5), each named so that `ioana
 * explain` can say which one turned a raw path into its canonical form.
 */
/** Raw paths the build created → the names it made. */
function madeNames(paths) {
    const set = new Set();
    const names = new Set();
    for (const p of paths) {
        set.add(p);
        names.add(p.slice(p.lastIndexOf('/') + 1));
    }
    return { paths: set, names };
}
/**
 * How many of a raw path's last components the build made: `/w/build/conf12345.dir/x`
 * with `/w/build/conf12345.dir` made → 2; a path that existed before the build → 0.
 */
function madeComponents(made, raw) {
    if (!made || made.paths.size === 0 || !raw.startsWith('/'))
        return 0;
    const parts = raw.split('/');
    for (let i = 2; i <= parts.length; i++) {
        if (made.paths.has(parts.slice(0, i).join('/')))
            return parts.length - i + 1;
    }
    return 0;
}
/** The roots, most specific first: the workspace may live under $HOME or /tmp. */
function roots(ctx) {
    const list = [[ctx.workspace, TOKEN.workspace]];
    if (ctx.toolcache)
        list.push([ctx.toolcache, TOKEN.toolcache]);
    for (const t of ctx.tmp)
        list.push([t, TOKEN.tmp]);
    if (ctx.home && ctx.home !== '/')
        list.push([ctx.home, TOKEN.home]);
    return list.filter(([p]) => p && p !== '/').sort((a, b) => b[0].length - a[0].length);
}
/** Roots are worked out once per context: the rule runs on every path and argument. */
const compiledRoots = new WeakMap();
function rootsOf(ctx) {
    let list = compiledRoots.get(ctx);
    if (!list) {
        list = roots(ctx).map(([root, token]) => ({ root, token, re: rootPattern(root) }));
        compiledRoots.set(ctx, list);
    }
    return list;
}
/** A mkstemp suffix looks random: it mixes cases, or digits with letters. */
function looksRandom(s) {
    const lower = /[a-z]/.test(s);
    const upper = /[A-Z]/.test(s);
    const digit = /[0-9]/.test(s);
    return (lower && upper) || ((lower || upper) && digit);
}
/** `ccAbC123.s`, `cgSDfMaJ`, `rustcdfBL9Y`: a short lower-case prefix, mkstemp's six random characters, an extension. */
const MKSTEMP = /^([a-z]{0,8}[._-]?)([A-Za-z0-9]{6})((?:\.[A-Za-z0-9]+)*)$/;
/** Prefixes of temporary names that tools are known to make with mkstemp (gcc, config.guess, rustc's linker, libtool…). */
const TEMP_PREFIXES = /^(?:cc|tmp|st|ar|cg|rustc|lt|conftest)$/;
/** mktemp(1)'s default `tmp.XXXXXXXXXX`, Python's tempfile (`tmpab_3x9qz`, pip's `pip-req-build-…`), yarn berry's `xfs-1a2b3c4d`. */
const OTHER_TEMP = /^(tmp\.)[A-Za-z0-9]{10}$|^(tmp|pip-[a-z]+(?:-[a-z]+)*-)[a-z0-9_]{8}$|^(xfs-)[0-9a-f]{8}$/;
/**
 * One path component under a temporary root: `ccAbC123.s` → `cc*.s`, `cgSDfMaJ` → `cg*`.
 * A known prefix folds even an all-lower-case suffix (`ccngqztr.s`); any other needs a
 * suffix that mixes cases, so that `build123` stays a name.
 */
function foldTempName(component) {
    const other = OTHER_TEMP.exec(component);
    if (other)
        return `${other[1] ?? other[2] ?? other[3]}*`;
    const m = MKSTEMP.exec(component);
    if (!m)
        return component;
    const [, prefix, six, ext] = m;
    const stem = prefix.replace(/[._-]$/, '');
    // gcc's `cc` and `tmp` names may be all lower case (`ccngqztr.s`); other known prefixes need
    // a random-looking suffix, and an unknown one a suffix that mixes cases.
    const random = /^(?:cc|tmp)$/.test(stem)
        ? true
        : stem === '' || TEMP_PREFIXES.test(stem)
            ? looksRandom(six)
            : /[a-z]/.test(six) && /[A-Z]/.test(six);
    return random ? `${prefix}*${ext}` : component;
}
/** A number that could be a pid: 3 to 7 digits, no leading zero. */
const PID_RUN = /(?<![0-9])[1-9][0-9]{2,6}(?![0-9])/g;
/**
 * Numbers equal to a traced pid → `{pid}`, in a name the build made: not a dotted version
 * (`libattr.so.1.1.2501`) and not part of a hexadecimal token (`a3f9846b`).
 */
function foldPids(text, pids) {
    return text.replace(PID_RUN, (n, at) => {
        if (!pids.has(Number(n)))
            return n;
        if (text[at - 1] === '.' && /[0-9]/.test(text[at - 2] ?? ''))
            return n;
        const left = /[0-9A-Za-z]*$/.exec(text.slice(Math.max(0, at - 64), at))[0];
        const right = /^[0-9A-Za-z]*/.exec(text.slice(at + n.length, at + n.length + 64))[0];
        const token = left + n + right;
        if (/^[0-9a-f]+$/.test(token) && /[a-f]/.test(token))
            return n;
        return TOKEN.pid;
    });
}
/** The words of an argument that can be names: split at blanks, slashes, `=`, `:`, quotes and shell operators. */
const WORD = /[^\s/=:,;'"()<>|&]+/g;
/** Only what the build made: a path's made components, an argument's words that are names the build made. */
function inMade(text, ctx, scope, fold) {
    if (scope.kind === 'arg') {
        const names = ctx.made?.names;
        return names && names.size > 0 ? text.replace(WORD, (w) => (names.has(w) ? fold(w) : w)) : text;
    }
    if (scope.made <= 0)
        return text;
    let at = text.length;
    for (let k = 0; k < scope.made && at > 0; k++)
        at = text.lastIndexOf('/', at - 1);
    return text.slice(0, at + 1) + fold(text.slice(at + 1));
}
/** `/home/runner/work/app/app/src/a.c` → `{workspace}/src/a.c`: first, so that every later rule (the user's too) sees the roots as tokens. */
const ROOTS_RULE = {
    name: 'roots',
    apply: (text, ctx) => {
        let out = text;
        for (const r of rootsOf(ctx))
            if (out.includes(r.root))
                out = out.replace(r.re, r.token);
        return out;
    },
};
/** Rules that run before the build systems' own (DESIGN §1.5). */
const EARLY_RULES = [
    {
        name: 'proc-pid',
        apply: (text) => text.replace(/\/proc\/\d+(?=\/|$)/g, '/proc/{pid}'),
    },
    {
        name: 'uuid',
        apply: (text) => text.replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, '{uuid}'),
    },
];
/** Rules that run after the build systems' own: generic random names, numbers, ports. */
const GENERIC_RULES = [
    {
        name: 'temp-name',
        // `{tmp}/ccAbC123.s` → `{tmp}/cc*.s`, `{tmp}/cgSDfMaJ/dummy.c` → `{tmp}/cg*/dummy.c`: mkstemp's random characters, in temp
        // roots, in names the build made (a file that was there before keeps its name, however random it looks).
        apply: (text, ctx, scope) => {
            if (!text.includes(TOKEN.tmp))
                return text;
            if (scope.kind === 'path')
                return text.startsWith(`${TOKEN.tmp}/`) ? inMade(text, ctx, scope, (tail) => tail.split('/').map(foldTempName).join('/')) : text;
            const names = ctx.made?.names;
            if (!names || names.size === 0)
                return text;
            return text.replace(/\{tmp\}\/[^\s"',=:;]+/g, (path) => path
                .split('/')
                .map((c) => (names.has(c) ? foldTempName(c) : c))
                .join('/'));
        },
    },
    {
        name: 'hex-run',
        apply: (text) => text.replace(/(?<![0-9a-fA-F])[0-9a-f]{16,}(?![0-9a-fA-F])/g, '{hex}'),
    },
    {
        name: 'base32-run',
        apply: (text) => text.replace(/(?<![a-z0-9])[a-z0-9]{32}(?=-)/g, '{hash}'),
    },
    {
        name: 'date',
        // `2026-11-23`, `2026-11-23T14:47:25`, npm's `2026-11-23T14_47_25_806Z`.
        apply: (text) => text.replace(/(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T_ ][0-2]\d[:._-]?[0-5]\d(?:[:._-]?[0-5]\d(?:[._]\d{1,9})?)?Z?)?(?!\d)/g, '{date}'),
    },
    {
        name: 'epoch',
        apply: (text) => text.replace(/(?<!\d)1[5-9]\d{8}(?:\d{3})?(?!\d)/g, '{epoch}'),
    },
    {
        name: 'pid',
        // `conftest31337`, `conf31337.dir`: a number that is one of the traced pids, in a name the build made.
        apply: (text, ctx, scope) => (ctx.pids && ctx.pids.size > 0 ? inMade(text, ctx, scope, (part) => foldPids(part, ctx.pids)) : text),
    },
    {
        name: 'ephemeral-port',
        apply: (text) => text.replace(/^((?:tcp|udp|accept:tcp|accept:udp):\/\/.*:)(\d+)$/, (all, head, port) => Number(port) >= 32768 ? `${head}{port}` : all),
    },
    {
        name: 'jobserver',
        // make's jobserver: `--jobserver-auth=3,4` or `fifo:/tmp/GMfifo123`.
        apply: (text) => text.replace(/(--jobserver-(?:auth|fds)=)(?:\d+,\d+|fifo:\S+)/g, '$1{jobserver}').replace(/GMfifo\d+/g, 'GMfifo{pid}'),
    },
    {
        name: 'jobs-in-script',
        // `bash -c 'make -j2 && make check'`: parallelism inside a script is no change either (`-j{n}`).
        apply: (text, _ctx, scope) => scope.kind === 'arg' && /\s/.test(text)
            ? text.replace(/(?<=^|[\s;&|(])(?:-j[ \t]*\d+|--jobs(?:=|[ \t]+)\d+)(?=$|[\s;&|)])/g, '-j{n}')
            : text,
    },
];
/** Parallelism does not change what a build reads and writes: `-j2`, `--jobs=8`, `-j 4` → `-j{n}`. */
function canonicalJobs(argv) {
    const out = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (i > 0 && (/^-j\d*$/.test(a) || /^--jobs(=\d+)?$/.test(a))) {
            if ((a === '-j' || a === '--jobs') && /^\d+$/.test(argv[i + 1] ?? ''))
                i++;
            out.push('-j{n}');
            continue;
        }
        out.push(a);
    }
    return out;
}

/**
 * What the common build systems and package managers name differently in every run, or
 * after where the checkout is, as rules (DESIGN §1.5). Each was learned from a real trace
 * (test/fixtures/real/ holds the lines, with their origin) and has a test with them:
 *
 * - CMake: try_compile's scratch projects and targets, `--progress-num` ordinals.
 * - autoconf: config.status's `./confXXXXXX` directory.
 * - npm, yarn, pnpm: content-addressed caches; packages as one entry each.
 * - cargo: the registry (sources, `.crate` files, the index) as one entry per package
 *   and version, and a crate's build products in `target/` as one entry per crate.
 * - pip: the wheel and HTTP caches; Go: the build cache and the module cache.
 *
 * They run after the roots (paths start with `{workspace}`, `{home}`, `{tmp}`) and the
 * user's `normalize` rules, and before the generic ones (`hex-run`, `pid`…), which would
 * otherwise cut their patterns apart.
 */
/** A crate's name and version in a directory name: `aho-corasick-0.7.19` → `aho-corasick`, `0.7.19`. */
const CRATE = String.raw `([A-Za-z0-9_]+(?:-[A-Za-z_][A-Za-z0-9_]*)*)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?(?:\+[0-9A-Za-z.]+)?)`;
/** A registry's directory: `index.crates.io-6f17d22bba15001f`, `github.com-1ecc6299db9ec823`. */
const REGISTRY = String.raw `[^/\s'"]+-[0-9a-f]{16}`;
/** The rest of a path in an argument or a path. */
const REST = String.raw `(?:/[^\s'"]*)?`;
/** `{cargo}/regex@1.7.1`: one entry per package and version. */
const cargoPackage = (name, version) => `${TOKEN.cargo}/${name}@${version}`;
const CARGO_SOURCES = new RegExp(String.raw `[^\s'"=]*/registry/src/${REGISTRY}/${CRATE}${REST}`, 'g');
const CARGO_CRATE_FILE = new RegExp(String.raw `[^\s'"=]*/registry/cache/${REGISTRY}/${CRATE}\.crate`, 'g');
const CARGO_INDEX = new RegExp(String.raw `[^\s'"=]*/registry/index/${REGISTRY}${REST}`, 'g');
/** Debian's packaged crates, a directory source cargo reads whole: each package's metadata is the registry's, its sources are the package's. */
const DEBIAN_METADATA = new RegExp(String.raw `/usr/share/cargo/registry/${CRATE}/(?:Cargo\.toml|\.cargo-checksum\.json)(?=$|[\s'"])`, 'g');
const DEBIAN_CRATE = new RegExp(String.raw `/usr/share/cargo/registry/${CRATE}${REST}`, 'g');
/**
 * A crate's build products under `target/<profile>/`: `deps/libregex_syntax-<hex>.rlib`,
 * `.fingerprint/regex-syntax-<hex>/…`, `build/<crate>-<hex>/…`, `incremental/<crate>-<id>/…`
 * (its session directories have random names) → `target/<profile>/regex_syntax.crate`.
 */
const CARGO_TARGET = new RegExp(String.raw `(/target/(?:[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_-]+/)?[A-Za-z0-9_-]+)/` +
    String.raw `(?:deps/(?:lib)?([A-Za-z0-9_]+)-[0-9a-f]{16}(?:\.[A-Za-z0-9]+)?|(?:\.fingerprint|build)/([A-Za-z0-9_-]+)-[0-9a-f]{16}${REST}|incremental/([A-Za-z0-9_-]+)-[a-z0-9]{10,16}${REST})` +
    String.raw `(?=$|[\s'"])`, 'g');
const KNOWLEDGE_RULES = [
    {
        name: 'cmake-try-compile',
        // try_compile's scratch project and target, random per check: `CMakeScratch/TryCompile-jBGAyV/…/cmTC_e26f9.dir` → `TryCompile-*/…/cmTC_*.dir`.
        apply: (text) => text.includes('TryCompile-') || text.includes('cmTC_')
            ? text.replace(/TryCompile-[A-Za-z0-9]{6}(?![A-Za-z0-9])/g, 'TryCompile-*').replace(/cmTC_[0-9a-f]{5}(?![0-9a-f])/g, 'cmTC_*')
            : text,
    },
    {
        name: 'cmake-progress',
        // cmake_echo_color's `--progress-num=12,13`: ordinals that renumber every later target when one comes or goes.
        apply: (text) => (text.includes('--progress-num=') ? text.replace(/(--progress-num=)\d+(?:,\d+)*/g, `$1${TOKEN.n}`) : text),
    },
    {
        name: 'autoconf-tmpdir',
        // config.status's `mktemp -d ./confXXXXXX`: `./confTA88O6/subs.awk` → `./conf*/subs.awk` (`conf$$` names are the pid rule's;
        // gnulib's fixed `conftestd2` is a name).
        apply: (text) => text.includes('conf')
            ? text.replace(/(?<![A-Za-z0-9_])conf([A-Za-z0-9]{6})(?![A-Za-z0-9_])/g, (all, six) => looksRandom(six) && !six.startsWith('test') ? 'conf*' : all)
            : text,
    },
    {
        name: 'npm-cache',
        // npm's content-addressed cache, whose index keys cover the checkout's path: `_cacache/index-v5/58/f0/<sha256>` → `_cacache/index-v5/{hex}`.
        apply: (text) => text.includes('/_cacache/')
            ? text
                .replace(/(\/_cacache\/index-v5\/)[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]+/g, `$1${TOKEN.hex}`)
                .replace(/(\/_cacache\/content-v2\/sha(?:1|256|512)\/)[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]+/g, `$1${TOKEN.hex}`)
            : text,
    },
    {
        name: 'npm-packages',
        // One entry per installed package: `{workspace}/node_modules/typescript/lib/lib.es5.d.ts` → `{workspace}/node_modules/typescript`;
        // yarn's cache `…/yarn/v6/npm-lodash-4.17.21-<hash>-integrity/…` and `.yarn/cache/lodash-npm-4.17.21-<hash>.zip` → `{npm}/lodash@4.17.21`;
        // pnpm's `node_modules/.pnpm/lodash@4.17.21/…` → `{npm}/lodash@4.17.21`, its content-addressed store → `{npm}/pnpm-store`.
        // In arguments a file of an installed package keeps its name (`node …/typescript/bin/tsc` is not `…/tsserver`).
        apply: (text, _ctx, scope) => text.includes('node_modules') || text.includes('yarn') || text.includes('pnpm')
            ? text
                .replace(/[^\s'"=]*\/node_modules\/\.pnpm\/((?:@[^/\s'"@]+\+)?[^/\s'"@]+)@([0-9][^/\s'"_]*)[^/\s'"]*(?:\/[^\s'"]*)?/g, (_a, n, v) => `${TOKEN.npm}/${n.replace('+', '/')}@${v}`)
                .replace(/[^\s'"=]*\/yarn\/v\d+\/npm-((?:@[^/\s'"-]+-)?[^/\s'"]+?)-(\d+\.\d+\.\d+[^/\s'"]*?)-[0-9a-f]{40}-integrity(?:\/[^\s'"]*)?/g, (_a, n, v) => `${TOKEN.npm}/${n.startsWith('@') ? n.replace('-', '/') : n}@${v}`)
                .replace(/[^\s'"=]*\/\.yarn\/(?:berry\/)?cache\/((?:@[^/\s'"-]+-)?[^/\s'"]+?)-npm-(\d+\.\d+\.\d+[^/\s'"]*?)-[0-9a-f]{10}(?:-[0-9a-f]+)?\.zip(?:-[0-9a-f]{16}\.tmp|\/[^\s'"]*)?/g, (_a, n, v) => `${TOKEN.npm}/${n.startsWith('@') ? n.replace('-', '/') : n}@${v}`)
                .replace(/[^\s'"=]*\/pnpm\/store\/v\d+(?:\/[^\s'"]*)?/g, `${TOKEN.npm}/pnpm-store`)
                .replace(scope.kind === 'path' ? /^([^\s'"=]*?\/node_modules\/)((?:@[^/\s'"]+\/)?[^/\s'".][^/\s'"]*)\/.*$/ : /$^/, '$1$2')
            : text,
    },
    {
        name: 'cargo-packages',
        // The registry as one entry per package and version: `~/.cargo/registry/src/index.crates.io-<hex>/regex-1.7.1/src/lib.rs`,
        // `…/cache/…/regex-1.7.1.crate`, Debian's `/usr/share/cargo/registry/regex-1.7.1/…` → `{cargo}/regex@1.7.1`; the index → `{cargo}/index`;
        // the metadata cargo reads of every package in a directory source → `{cargo}/registry`.
        apply: (text) => text.includes('registry')
            ? text
                .replace(CARGO_SOURCES, (_a, n, v) => cargoPackage(n, v))
                .replace(CARGO_CRATE_FILE, (_a, n, v) => cargoPackage(n, v))
                .replace(CARGO_INDEX, `${TOKEN.cargo}/index`)
                .replace(DEBIAN_METADATA, `${TOKEN.cargo}/registry`)
                .replace(DEBIAN_CRATE, (_a, n, v) => cargoPackage(n, v))
            : text,
    },
    {
        name: 'cargo-target',
        // A crate's build products as one entry: `target/debug/deps/libitoa-<hex>.rlib`, `target/debug/.fingerprint/itoa-<hex>/…` → `target/debug/itoa.crate`.
        apply: (text) => text.includes('/target/')
            ? text.replace(CARGO_TARGET, (_a, dir, dep, fingerprint, incremental) => `${dir}/${(dep ?? fingerprint ?? incremental ?? '').replace(/-/g, '_')}.crate`)
            : text,
    },
    {
        name: 'pip-cache',
        // pip's wheel cache `~/.cache/pip/wheels/ab/cd/ef/<hash>/six-1.16.0-py2.py3-none-any.whl` → `{pip}/six@1.16.0`; its HTTP cache → `{pip}/http-cache`.
        apply: (text) => text.includes('/pip/')
            ? text
                .replace(/[^\s'"=]*\/pip\/wheels(?:\/[0-9a-f]{2}){3}\/[0-9a-f]{50,56}\/([A-Za-z0-9_.]+)-(\d[^-/\s'"]*)-[^/\s'"]*\.whl/g, (_a, n, v) => `${TOKEN.pip}/${n.toLowerCase().replace(/_/g, '-')}@${v}`)
                .replace(/[^\s'"=]*\/pip\/wheels(?:\/[0-9a-f]{2}){3}\/[0-9a-f]{50,56}\/origin\.json/g, `${TOKEN.pip}/wheels`)
                .replace(/[^\s'"=]*\/pip\/http(?:-v2)?(?:\/[^\s'"]*)?/g, `${TOKEN.pip}/http-cache`)
            : text,
    },
    {
        name: 'go-caches',
        // Go's build cache (content-addressed) → `{gocache}`; the module cache `~/go/pkg/mod/golang.org/x/text@v0.14.0/…` and its
        // download cache `…/cache/download/golang.org/x/text/@v/v0.14.0.zip` → `{gomod}/golang.org/x/text@v0.14.0`; `go-build123456` work directories.
        apply: (text) => text.includes('go-build') || text.includes('/pkg/mod/')
            ? text
                .replace(/[^\s'"=]*\/go-build\/[0-9a-f]{2}\/[0-9a-f]{64}-[ad]/g, TOKEN.gocache)
                .replace(/[^\s'"=]*\/pkg\/mod\/cache\/download\/([^\s'"@]+?)\/@v\/(v[^/\s'"]+?)\.(?:zip|mod|info|ziphash|lock)(?=$|[\s'"])/g, (_a, m, v) => `${TOKEN.gomod}/${m}@${v}`)
                .replace(/[^\s'"=]*\/pkg\/mod\/(?!cache\/)([^\s'"@]+)@(v[^/\s'"]+)(?:\/[^\s'"]*)?/g, (_a, m, v) => `${TOKEN.gomod}/${m}@${v}`)
                .replace(/(?<=\/)go-build\d+(?=\/|$)/g, 'go-build*')
            : text,
    },
];

const ARG = { kind: 'arg' };
/** The user's `normalize` rules as named rules. */
function userRules(config) {
    return config.normalize.map((n, i) => ({
        name: `normalize[${i}] ${n.pattern}`,
        apply: (text) => text.replace(new RegExp(n.pattern, 'g'), n.replace),
    }));
}
class Canonicalizer {
    ctx;
    config;
    rules;
    ignore;
    memo = new Map();
    args = new Map();
    redactor;
    constructor(ctx, config) {
        this.ctx = ctx;
        this.config = config;
        this.rules = [ROOTS_RULE, ...userRules(config), ...EARLY_RULES, ...KNOWLEDGE_RULES, ...GENERIC_RULES];
        this.ignore = config.ignore.map(globToRegExp);
        this.redactor = ctx.redactor ?? FORMAT_REDACTOR;
    }
    /** A path or address → its canonical form, or undefined when an `ignore` rule drops it. */
    path(raw) {
        return this.explain(raw).value;
    }
    explain(raw) {
        const known = this.memo.get(raw);
        if (known)
            return known;
        const steps = [];
        let text = raw;
        // A credential in a name (a file named after a token) is as secret as one in an
        // argument. Redacted first, so that no rule (`{pid}`) rewrites part of it out of shape.
        const redacted = this.redactor.text(text);
        if (redacted !== text) {
            steps.push({ rule: 'redact', before: text, after: redacted });
            text = redacted;
        }
        const scope = { kind: 'path', made: madeComponents(this.ctx.made, raw) };
        for (const rule of this.rules) {
            const next = rule.apply(text, this.ctx, scope);
            if (next !== text)
                steps.push({ rule: rule.name, before: text, after: next });
            text = next;
        }
        for (const glob of this.config.collapse) {
            const collapsed = collapseWith(glob, text);
            if (collapsed !== undefined && collapsed !== text) {
                steps.push({ rule: `collapse ${glob}`, before: text, after: collapsed });
                text = collapsed;
                break;
            }
        }
        let value = text;
        const hit = this.ignore.findIndex((re) => re.test(text));
        if (hit >= 0) {
            steps.push({ rule: `ignore ${this.config.ignore[hit]}`, before: text, after: '(ignored)' });
            value = undefined;
        }
        const result = { value, steps };
        this.memo.set(raw, result);
        return result;
    }
    /** An argument: the same rules, then credentials redacted. Arguments repeat a lot (`-c`, `-I`): each is done once. */
    arg(raw) {
        const known = this.args.get(raw);
        if (known !== undefined)
            return known;
        // Redacted before the rules (a `{pid}` inside a token would hide its shape) and after (what they made).
        let text = this.redactor.text(raw);
        for (const rule of this.rules)
            text = rule.apply(text, this.ctx, ARG);
        text = this.redactor.text(text);
        this.args.set(raw, text);
        return text;
    }
    program(p) {
        const argv = this.redactor.argv(p.exe, p.argv, (a) => this.arg(a));
        return { exe: this.path(p.exe) ?? p.exe, argv: canonicalJobs(argv) };
    }
}
/** Canonical modified source → the command of the program that changed it. */
function modifiedBy(doc, c) {
    const out = {};
    for (const m of doc.modified) {
        const path = c.path(m.path);
        if (path === undefined || m.by === undefined || out[path] !== undefined)
            continue;
        out[path] = programText(c.program(m.by));
    }
    return out;
}
/** Canonical endpoint → the furthest result of the attempts at it (several raw addresses may fold into one). */
function endpointResults(doc, c) {
    const out = {};
    for (const e of doc.endpoints) {
        const address = c.path(e.address);
        if (address === undefined || e.result === undefined)
            continue;
        if (out[address] === undefined || e.result === 'connected')
            out[address] = e.result;
    }
    return out;
}
/** The raw graph document (absolute paths) → the canonical graph. */
function canonicalize(doc, ctx, config, sources) {
    const c = new Canonicalizer(ctx, config);
    const explanations = new Map();
    const seen = (raw) => {
        const r = c.explain(raw);
        explanations.set(raw, r.steps);
        return r.value;
    };
    const set = (xs) => [...new Set([...xs].filter((x) => x !== undefined))].sort(byCodeUnit);
    const outputs = new Map();
    for (const o of doc.outputs) {
        const path = seen(o.path);
        if (path === undefined)
            continue;
        const from = outputs.get(path) ?? new Set();
        for (const f of o.from) {
            const cf = seen(f);
            if (cf !== undefined)
                from.add(cf);
        }
        outputs.set(path, from);
    }
    // Temporaries are not compared, but `explain` can say what became of them.
    for (const t of doc.temporaries)
        seen(t.path);
    const programs = new Map();
    for (const p of doc.programs) {
        const cp = c.program(p);
        if (seen(p.exe) === undefined)
            continue;
        const key = programKey(cp);
        const prev = programs.get(key);
        programs.set(key, { exe: cp.exe, argv: cp.argv, count: (prev?.count ?? 0) + p.count });
    }
    return {
        graph: {
            inputs: set(doc.inputs.map((i) => seen(i.path))),
            outputs: [...outputs.entries()]
                .map(([path, from]) => ({ path, from: [...from].sort(byCodeUnit) }))
                .sort((a, b) => byCodeUnit(a.path, b.path)),
            programs: [...programs.values()].sort((a, b) => byCodeUnit(programKey(a), programKey(b))),
            endpoints: set(doc.endpoints.map((e) => seen(e.address))),
            endpointResults: endpointResults(doc, c),
            untraced: set(doc.untraced.map((u) => `${u.what} by ${c.path(u.exe) ?? u.exe}`)),
            modified: set(doc.modified.map((m) => seen(m.path))),
            modifiedBy: modifiedBy(doc, c),
            ...(sources ? { sources: 'git' } : {}),
        },
        explanations,
        figures: { ...doc.figures, mostConnected: doc.figures.mostConnected.map((p) => ({ ...c.program(p), degree: p.degree })) },
    };
}

/** The node key of a program image: `img:N`. (A program's identity in canonical graphs is `programKey` in src/vocabulary.) */
const imageKey = (image) => `img:${image}`;
/** The node key of an object: `obj:N`. */
const objectKey = (object) => `obj:${object}`;

/**
 * Graphology Utilities
 * =====================
 *
 * Collection of helpful functions used by the implementation.
 */

/**
 * Object.assign-like polyfill.
 *
 * @param  {object} target       - First object.
 * @param  {object} [...objects] - Objects to merge.
 * @return {object}
 */
function assignPolyfill() {
  const target = arguments[0];

  for (let i = 1, l = arguments.length; i < l; i++) {
    if (!arguments[i]) continue;

    for (const k in arguments[i]) target[k] = arguments[i][k];
  }

  return target;
}

let assign = assignPolyfill;

if (typeof Object.assign === 'function') assign = Object.assign;

/**
 * Function returning the first matching edge for given path.
 * Note: this function does not check the existence of source & target. This
 * must be performed by the caller.
 *
 * @param  {Graph}  graph  - Target graph.
 * @param  {any}    source - Source node.
 * @param  {any}    target - Target node.
 * @param  {string} type   - Type of the edge (mixed, directed or undirected).
 * @return {string|null}
 */
function getMatchingEdge(graph, source, target, type) {
  const sourceData = graph._nodes.get(source);

  let edge = null;

  if (!sourceData) return edge;

  if (type === 'mixed') {
    edge =
      (sourceData.out && sourceData.out[target]) ||
      (sourceData.undirected && sourceData.undirected[target]);
  } else if (type === 'directed') {
    edge = sourceData.out && sourceData.out[target];
  } else {
    edge = sourceData.undirected && sourceData.undirected[target];
  }

  return edge;
}

/**
 * Checks whether the given value is a plain object.
 *
 * @param  {mixed}   value - Target value.
 * @return {boolean}
 */
function isPlainObject(value) {
  // NOTE: as per https://github.com/graphology/graphology/issues/149
  // this function has been loosened not to reject object instances
  // coming from other JavaScript contexts. It has also been chosen
  // not to improve it to avoid obvious false positives and avoid
  // taking a performance hit. People should really use TypeScript
  // if they want to avoid feeding subtly irrelvant attribute objects.
  return typeof value === 'object' && value !== null;
}

/**
 * Checks whether the given object is empty.
 *
 * @param  {object}  o - Target Object.
 * @return {boolean}
 */
function isEmpty(o) {
  let k;

  for (k in o) return false;

  return true;
}

/**
 * Creates a "private" property for the given member name by concealing it
 * using the `enumerable` option.
 *
 * @param {object} target - Target object.
 * @param {string} name   - Member name.
 */
function privateProperty(target, name, value) {
  Object.defineProperty(target, name, {
    enumerable: false,
    configurable: false,
    writable: true,
    value
  });
}

/**
 * Creates a read-only property for the given member name & the given getter.
 *
 * @param {object}   target - Target object.
 * @param {string}   name   - Member name.
 * @param {mixed}    value  - The attached getter or fixed value.
 */
function readOnlyProperty(target, name, value) {
  const descriptor = {
    enumerable: true,
    configurable: true
  };

  if (typeof value === 'function') {
    descriptor.get = value;
  } else {
    descriptor.value = value;
    descriptor.writable = false;
  }

  Object.defineProperty(target, name, descriptor);
}

/**
 * Returns whether the given object constitute valid hints.
 *
 * @param {object} hints - Target object.
 */
function validateHints(hints) {
  if (!isPlainObject(hints)) return false;

  if (hints.attributes && !Array.isArray(hints.attributes)) return false;

  return true;
}

/**
 * Creates a function generating incremental ids for edges.
 *
 * @return {function}
 */
function incrementalIdStartingFromRandomByte() {
  let i = Math.floor(Math.random() * 256) & 0xff;

  return () => {
    return i++;
  };
}

/**
 * Chains multiple iterators into a single iterator.
 *
 * @param {...Iterator} iterables
 * @returns {Iterator}
 */
function chain() {
  const iterables = arguments;
  let current = null;
  let i = -1;

  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      let step = null;

      do {
        if (current === null) {
          i++;
          if (i >= iterables.length) return {done: true};
          current = iterables[i][Symbol.iterator]();
        }
        step = current.next();
        if (step.done) {
          current = null;
          continue;
        }
        break;
        // eslint-disable-next-line no-constant-condition
      } while (true);

      return step;
    }
  };
}

function emptyIterator() {
  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      return {done: true};
    }
  };
}

/**
 * Graphology Custom Errors
 * =========================
 *
 * Defining custom errors for ease of use & easy unit tests across
 * implementations (normalized typology rather than relying on error
 * messages to check whether the correct error was found).
 */
class GraphError extends Error {
  constructor(message) {
    super();
    this.name = 'GraphError';
    this.message = message;
  }
}

class InvalidArgumentsGraphError extends GraphError {
  constructor(message) {
    super(message);
    this.name = 'InvalidArgumentsGraphError';

    // This is V8 specific to enhance stack readability
    if (typeof Error.captureStackTrace === 'function')
      Error.captureStackTrace(
        this,
        InvalidArgumentsGraphError.prototype.constructor
      );
  }
}

class NotFoundGraphError extends GraphError {
  constructor(message) {
    super(message);
    this.name = 'NotFoundGraphError';

    // This is V8 specific to enhance stack readability
    if (typeof Error.captureStackTrace === 'function')
      Error.captureStackTrace(this, NotFoundGraphError.prototype.constructor);
  }
}

class UsageGraphError extends GraphError {
  constructor(message) {
    super(message);
    this.name = 'UsageGraphError';

    // This is V8 specific to enhance stack readability
    if (typeof Error.captureStackTrace === 'function')
      Error.captureStackTrace(this, UsageGraphError.prototype.constructor);
  }
}

/**
 * Graphology Internal Data Classes
 * =================================
 *
 * Internal classes hopefully reduced to structs by engines & storing
 * necessary information for nodes & edges.
 *
 * Note that those classes don't rely on the `class` keyword to avoid some
 * cruft introduced by most of ES2015 transpilers.
 */

/**
 * MixedNodeData class.
 *
 * @constructor
 * @param {string} string     - The node's key.
 * @param {object} attributes - Node's attributes.
 */
function MixedNodeData(key, attributes) {
  // Attributes
  this.key = key;
  this.attributes = attributes;

  this.clear();
}

MixedNodeData.prototype.clear = function () {
  // Degrees
  this.inDegree = 0;
  this.outDegree = 0;
  this.undirectedDegree = 0;
  this.undirectedLoops = 0;
  this.directedLoops = 0;

  // Indices
  this.in = {};
  this.out = {};
  this.undirected = {};
};

/**
 * DirectedNodeData class.
 *
 * @constructor
 * @param {string} string     - The node's key.
 * @param {object} attributes - Node's attributes.
 */
function DirectedNodeData(key, attributes) {
  // Attributes
  this.key = key;
  this.attributes = attributes;

  this.clear();
}

DirectedNodeData.prototype.clear = function () {
  // Degrees
  this.inDegree = 0;
  this.outDegree = 0;
  this.directedLoops = 0;

  // Indices
  this.in = {};
  this.out = {};
};

/**
 * UndirectedNodeData class.
 *
 * @constructor
 * @param {string} string     - The node's key.
 * @param {object} attributes - Node's attributes.
 */
function UndirectedNodeData(key, attributes) {
  // Attributes
  this.key = key;
  this.attributes = attributes;

  this.clear();
}

UndirectedNodeData.prototype.clear = function () {
  // Degrees
  this.undirectedDegree = 0;
  this.undirectedLoops = 0;

  // Indices
  this.undirected = {};
};

/**
 * EdgeData class.
 *
 * @constructor
 * @param {boolean} undirected   - Whether the edge is undirected.
 * @param {string}  string       - The edge's key.
 * @param {string}  source       - Source of the edge.
 * @param {string}  target       - Target of the edge.
 * @param {object}  attributes   - Edge's attributes.
 */
function EdgeData(undirected, key, source, target, attributes) {
  // Attributes
  this.key = key;
  this.attributes = attributes;
  this.undirected = undirected;

  // Extremities
  this.source = source;
  this.target = target;
}

EdgeData.prototype.attach = function () {
  let outKey = 'out';
  let inKey = 'in';

  if (this.undirected) outKey = inKey = 'undirected';

  const source = this.source.key;
  const target = this.target.key;

  // Handling source
  this.source[outKey][target] = this;

  if (this.undirected && source === target) return;

  // Handling target
  this.target[inKey][source] = this;
};

EdgeData.prototype.attachMulti = function () {
  let outKey = 'out';
  let inKey = 'in';

  const source = this.source.key;
  const target = this.target.key;

  if (this.undirected) outKey = inKey = 'undirected';

  // Handling source
  const adj = this.source[outKey];
  const head = adj[target];

  if (typeof head === 'undefined') {
    adj[target] = this;

    // Self-loop optimization
    if (!(this.undirected && source === target)) {
      // Handling target
      this.target[inKey][source] = this;
    }

    return;
  }

  // Prepending to doubly-linked list
  head.previous = this;
  this.next = head;

  // Pointing to new head
  // NOTE: use mutating swap later to avoid lookup?
  adj[target] = this;
  this.target[inKey][source] = this;
};

EdgeData.prototype.detach = function () {
  const source = this.source.key;
  const target = this.target.key;

  let outKey = 'out';
  let inKey = 'in';

  if (this.undirected) outKey = inKey = 'undirected';

  delete this.source[outKey][target];

  // No-op delete in case of undirected self-loop
  delete this.target[inKey][source];
};

EdgeData.prototype.detachMulti = function () {
  const source = this.source.key;
  const target = this.target.key;

  let outKey = 'out';
  let inKey = 'in';

  if (this.undirected) outKey = inKey = 'undirected';

  // Deleting from doubly-linked list
  if (this.previous === undefined) {
    // We are dealing with the head

    // Should we delete the adjacency entry because it is now empty?
    if (this.next === undefined) {
      delete this.source[outKey][target];

      // No-op delete in case of undirected self-loop
      delete this.target[inKey][source];
    } else {
      // Detaching
      this.next.previous = undefined;

      // NOTE: could avoid the lookups by creating a #.become mutating method
      this.source[outKey][target] = this.next;

      // No-op delete in case of undirected self-loop
      this.target[inKey][source] = this.next;
    }
  } else {
    // We are dealing with another list node
    this.previous.next = this.next;

    // If not last
    if (this.next !== undefined) {
      this.next.previous = this.previous;
    }
  }
};

/**
 * Graphology Node Attributes methods
 * ===================================
 */

const NODE = 0;
const SOURCE = 1;
const TARGET = 2;
const OPPOSITE = 3;

function findRelevantNodeData(
  graph,
  method,
  mode,
  nodeOrEdge,
  nameOrEdge,
  add1,
  add2
) {
  let nodeData, edgeData, arg1, arg2;

  nodeOrEdge = '' + nodeOrEdge;

  if (mode === NODE) {
    nodeData = graph._nodes.get(nodeOrEdge);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.${method}: could not find the "${nodeOrEdge}" node in the graph.`
      );

    arg1 = nameOrEdge;
    arg2 = add1;
  } else if (mode === OPPOSITE) {
    nameOrEdge = '' + nameOrEdge;

    edgeData = graph._edges.get(nameOrEdge);

    if (!edgeData)
      throw new NotFoundGraphError(
        `Graph.${method}: could not find the "${nameOrEdge}" edge in the graph.`
      );

    const source = edgeData.source.key;
    const target = edgeData.target.key;

    if (nodeOrEdge === source) {
      nodeData = edgeData.target;
    } else if (nodeOrEdge === target) {
      nodeData = edgeData.source;
    } else {
      throw new NotFoundGraphError(
        `Graph.${method}: the "${nodeOrEdge}" node is not attached to the "${nameOrEdge}" edge (${source}, ${target}).`
      );
    }

    arg1 = add1;
    arg2 = add2;
  } else {
    edgeData = graph._edges.get(nodeOrEdge);

    if (!edgeData)
      throw new NotFoundGraphError(
        `Graph.${method}: could not find the "${nodeOrEdge}" edge in the graph.`
      );

    if (mode === SOURCE) {
      nodeData = edgeData.source;
    } else {
      nodeData = edgeData.target;
    }

    arg1 = nameOrEdge;
    arg2 = add1;
  }

  return [nodeData, arg1, arg2];
}

function attachNodeAttributeGetter(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1) {
    const [data, name] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1
    );

    return data.attributes[name];
  };
}

function attachNodeAttributesGetter(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge) {
    const [data] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge
    );

    return data.attributes;
  };
}

function attachNodeAttributeChecker(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1) {
    const [data, name] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1
    );

    return data.attributes.hasOwnProperty(name);
  };
}

function attachNodeAttributeSetter(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1, add2) {
    const [data, name, value] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1,
      add2
    );

    data.attributes[name] = value;

    // Emitting
    this.emit('nodeAttributesUpdated', {
      key: data.key,
      type: 'set',
      attributes: data.attributes,
      name
    });

    return this;
  };
}

function attachNodeAttributeUpdater(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1, add2) {
    const [data, name, updater] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1,
      add2
    );

    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: updater should be a function.`
      );

    const attributes = data.attributes;
    const value = updater(attributes[name]);

    attributes[name] = value;

    // Emitting
    this.emit('nodeAttributesUpdated', {
      key: data.key,
      type: 'set',
      attributes: data.attributes,
      name
    });

    return this;
  };
}

function attachNodeAttributeRemover(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1) {
    const [data, name] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1
    );

    delete data.attributes[name];

    // Emitting
    this.emit('nodeAttributesUpdated', {
      key: data.key,
      type: 'remove',
      attributes: data.attributes,
      name
    });

    return this;
  };
}

function attachNodeAttributesReplacer(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1) {
    const [data, attributes] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1
    );

    if (!isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: provided attributes are not a plain object.`
      );

    data.attributes = attributes;

    // Emitting
    this.emit('nodeAttributesUpdated', {
      key: data.key,
      type: 'replace',
      attributes: data.attributes
    });

    return this;
  };
}

function attachNodeAttributesMerger(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1) {
    const [data, attributes] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1
    );

    if (!isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: provided attributes are not a plain object.`
      );

    assign(data.attributes, attributes);

    // Emitting
    this.emit('nodeAttributesUpdated', {
      key: data.key,
      type: 'merge',
      attributes: data.attributes,
      data: attributes
    });

    return this;
  };
}

function attachNodeAttributesUpdater(Class, method, mode) {
  Class.prototype[method] = function (nodeOrEdge, nameOrEdge, add1) {
    const [data, updater] = findRelevantNodeData(
      this,
      method,
      mode,
      nodeOrEdge,
      nameOrEdge,
      add1
    );

    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: provided updater is not a function.`
      );

    data.attributes = updater(data.attributes);

    // Emitting
    this.emit('nodeAttributesUpdated', {
      key: data.key,
      type: 'update',
      attributes: data.attributes
    });

    return this;
  };
}

/**
 * List of methods to attach.
 */
const NODE_ATTRIBUTES_METHODS = [
  {
    name: element => `get${element}Attribute`,
    attacher: attachNodeAttributeGetter
  },
  {
    name: element => `get${element}Attributes`,
    attacher: attachNodeAttributesGetter
  },
  {
    name: element => `has${element}Attribute`,
    attacher: attachNodeAttributeChecker
  },
  {
    name: element => `set${element}Attribute`,
    attacher: attachNodeAttributeSetter
  },
  {
    name: element => `update${element}Attribute`,
    attacher: attachNodeAttributeUpdater
  },
  {
    name: element => `remove${element}Attribute`,
    attacher: attachNodeAttributeRemover
  },
  {
    name: element => `replace${element}Attributes`,
    attacher: attachNodeAttributesReplacer
  },
  {
    name: element => `merge${element}Attributes`,
    attacher: attachNodeAttributesMerger
  },
  {
    name: element => `update${element}Attributes`,
    attacher: attachNodeAttributesUpdater
  }
];

/**
 * Attach every attributes-related methods to a Graph class.
 *
 * @param {function} Graph - Target class.
 */
function attachNodeAttributesMethods(Graph) {
  NODE_ATTRIBUTES_METHODS.forEach(function ({name, attacher}) {
    // For nodes
    attacher(Graph, name('Node'), NODE);

    // For sources
    attacher(Graph, name('Source'), SOURCE);

    // For targets
    attacher(Graph, name('Target'), TARGET);

    // For opposites
    attacher(Graph, name('Opposite'), OPPOSITE);
  });
}

/**
 * Graphology Edge Attributes methods
 * ===================================
 */

/**
 * Attach an attribute getter method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributeGetter(Class, method, type) {
  /**
   * Get the desired attribute for the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}    element - Target element.
   * @param  {string} name    - Attribute's name.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source - Source element.
   * @param  {any}     target - Target element.
   * @param  {string}  name   - Attribute's name.
   *
   * @return {mixed}          - The attribute's value.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, name) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 2) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element;
      const target = '' + name;

      name = arguments[2];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    return data.attributes[name];
  };
}

/**
 * Attach an attributes getter method onto the provided class.
 *
 * @param {function} Class       - Target class.
 * @param {string}   method      - Method name.
 * @param {string}   type        - Type of the edge to find.
 */
function attachEdgeAttributesGetter(Class, method, type) {
  /**
   * Retrieves all the target element's attributes.
   *
   * Arity 2:
   * @param  {any}    element - Target element.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source - Source element.
   * @param  {any}     target - Target element.
   *
   * @return {object}          - The element's attributes.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 1) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element,
        target = '' + arguments[1];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    return data.attributes;
  };
}

/**
 * Attach an attribute checker method onto the provided class.
 *
 * @param {function} Class       - Target class.
 * @param {string}   method      - Method name.
 * @param {string}   type        - Type of the edge to find.
 */
function attachEdgeAttributeChecker(Class, method, type) {
  /**
   * Checks whether the desired attribute is set for the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}    element - Target element.
   * @param  {string} name    - Attribute's name.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source - Source element.
   * @param  {any}     target - Target element.
   * @param  {string}  name   - Attribute's name.
   *
   * @return {boolean}
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, name) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 2) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element;
      const target = '' + name;

      name = arguments[2];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    return data.attributes.hasOwnProperty(name);
  };
}

/**
 * Attach an attribute setter method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributeSetter(Class, method, type) {
  /**
   * Set the desired attribute for the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}    element - Target element.
   * @param  {string} name    - Attribute's name.
   * @param  {mixed}  value   - New attribute value.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source - Source element.
   * @param  {any}     target - Target element.
   * @param  {string}  name   - Attribute's name.
   * @param  {mixed}  value   - New attribute value.
   *
   * @return {Graph}          - Returns itself for chaining.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, name, value) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 3) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element;
      const target = '' + name;

      name = arguments[2];
      value = arguments[3];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    data.attributes[name] = value;

    // Emitting
    this.emit('edgeAttributesUpdated', {
      key: data.key,
      type: 'set',
      attributes: data.attributes,
      name
    });

    return this;
  };
}

/**
 * Attach an attribute updater method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributeUpdater(Class, method, type) {
  /**
   * Update the desired attribute for the given element (node or edge) using
   * the provided function.
   *
   * Arity 2:
   * @param  {any}      element - Target element.
   * @param  {string}   name    - Attribute's name.
   * @param  {function} updater - Updater function.
   *
   * Arity 3 (only for edges):
   * @param  {any}      source  - Source element.
   * @param  {any}      target  - Target element.
   * @param  {string}   name    - Attribute's name.
   * @param  {function} updater - Updater function.
   *
   * @return {Graph}            - Returns itself for chaining.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, name, updater) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 3) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element;
      const target = '' + name;

      name = arguments[2];
      updater = arguments[3];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: updater should be a function.`
      );

    data.attributes[name] = updater(data.attributes[name]);

    // Emitting
    this.emit('edgeAttributesUpdated', {
      key: data.key,
      type: 'set',
      attributes: data.attributes,
      name
    });

    return this;
  };
}

/**
 * Attach an attribute remover method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributeRemover(Class, method, type) {
  /**
   * Remove the desired attribute for the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}    element - Target element.
   * @param  {string} name    - Attribute's name.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source - Source element.
   * @param  {any}     target - Target element.
   * @param  {string}  name   - Attribute's name.
   *
   * @return {Graph}          - Returns itself for chaining.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, name) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 2) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element;
      const target = '' + name;

      name = arguments[2];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    delete data.attributes[name];

    // Emitting
    this.emit('edgeAttributesUpdated', {
      key: data.key,
      type: 'remove',
      attributes: data.attributes,
      name
    });

    return this;
  };
}

/**
 * Attach an attribute replacer method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributesReplacer(Class, method, type) {
  /**
   * Replace the attributes for the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}    element    - Target element.
   * @param  {object} attributes - New attributes.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source     - Source element.
   * @param  {any}     target     - Target element.
   * @param  {object}  attributes - New attributes.
   *
   * @return {Graph}              - Returns itself for chaining.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, attributes) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 2) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element,
        target = '' + attributes;

      attributes = arguments[2];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    if (!isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: provided attributes are not a plain object.`
      );

    data.attributes = attributes;

    // Emitting
    this.emit('edgeAttributesUpdated', {
      key: data.key,
      type: 'replace',
      attributes: data.attributes
    });

    return this;
  };
}

/**
 * Attach an attribute merger method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributesMerger(Class, method, type) {
  /**
   * Merge the attributes for the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}    element    - Target element.
   * @param  {object} attributes - Attributes to merge.
   *
   * Arity 3 (only for edges):
   * @param  {any}     source     - Source element.
   * @param  {any}     target     - Target element.
   * @param  {object}  attributes - Attributes to merge.
   *
   * @return {Graph}              - Returns itself for chaining.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, attributes) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 2) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element,
        target = '' + attributes;

      attributes = arguments[2];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    if (!isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: provided attributes are not a plain object.`
      );

    assign(data.attributes, attributes);

    // Emitting
    this.emit('edgeAttributesUpdated', {
      key: data.key,
      type: 'merge',
      attributes: data.attributes,
      data: attributes
    });

    return this;
  };
}

/**
 * Attach an attribute updater method onto the provided class.
 *
 * @param {function} Class         - Target class.
 * @param {string}   method        - Method name.
 * @param {string}   type          - Type of the edge to find.
 */
function attachEdgeAttributesUpdater(Class, method, type) {
  /**
   * Update the attributes of the given element (node or edge).
   *
   * Arity 2:
   * @param  {any}      element - Target element.
   * @param  {function} updater - Updater function.
   *
   * Arity 3 (only for edges):
   * @param  {any}      source  - Source element.
   * @param  {any}      target  - Target element.
   * @param  {function} updater - Updater function.
   *
   * @return {Graph}            - Returns itself for chaining.
   *
   * @throws {Error} - Will throw if too many arguments are provided.
   * @throws {Error} - Will throw if any of the elements is not found.
   */
  Class.prototype[method] = function (element, updater) {
    let data;

    if (this.type !== 'mixed' && type !== 'mixed' && type !== this.type)
      throw new UsageGraphError(
        `Graph.${method}: cannot find this type of edges in your ${this.type} graph.`
      );

    if (arguments.length > 2) {
      if (this.multi)
        throw new UsageGraphError(
          `Graph.${method}: cannot use a {source,target} combo when asking about an edge's attributes in a MultiGraph since we cannot infer the one you want information about.`
        );

      const source = '' + element,
        target = '' + updater;

      updater = arguments[2];

      data = getMatchingEdge(this, source, target, type);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find an edge for the given path ("${source}" - "${target}").`
        );
    } else {
      if (type !== 'mixed')
        throw new UsageGraphError(
          `Graph.${method}: calling this method with only a key (vs. a source and target) does not make sense since an edge with this key could have the other type.`
        );

      element = '' + element;
      data = this._edges.get(element);

      if (!data)
        throw new NotFoundGraphError(
          `Graph.${method}: could not find the "${element}" edge in the graph.`
        );
    }

    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        `Graph.${method}: provided updater is not a function.`
      );

    data.attributes = updater(data.attributes);

    // Emitting
    this.emit('edgeAttributesUpdated', {
      key: data.key,
      type: 'update',
      attributes: data.attributes
    });

    return this;
  };
}

/**
 * List of methods to attach.
 */
const EDGE_ATTRIBUTES_METHODS = [
  {
    name: element => `get${element}Attribute`,
    attacher: attachEdgeAttributeGetter
  },
  {
    name: element => `get${element}Attributes`,
    attacher: attachEdgeAttributesGetter
  },
  {
    name: element => `has${element}Attribute`,
    attacher: attachEdgeAttributeChecker
  },
  {
    name: element => `set${element}Attribute`,
    attacher: attachEdgeAttributeSetter
  },
  {
    name: element => `update${element}Attribute`,
    attacher: attachEdgeAttributeUpdater
  },
  {
    name: element => `remove${element}Attribute`,
    attacher: attachEdgeAttributeRemover
  },
  {
    name: element => `replace${element}Attributes`,
    attacher: attachEdgeAttributesReplacer
  },
  {
    name: element => `merge${element}Attributes`,
    attacher: attachEdgeAttributesMerger
  },
  {
    name: element => `update${element}Attributes`,
    attacher: attachEdgeAttributesUpdater
  }
];

/**
 * Attach every attributes-related methods to a Graph class.
 *
 * @param {function} Graph - Target class.
 */
function attachEdgeAttributesMethods(Graph) {
  EDGE_ATTRIBUTES_METHODS.forEach(function ({name, attacher}) {
    // For edges
    attacher(Graph, name('Edge'), 'mixed');

    // For directed edges
    attacher(Graph, name('DirectedEdge'), 'directed');

    // For undirected edges
    attacher(Graph, name('UndirectedEdge'), 'undirected');
  });
}

/**
 * Graphology Edge Iteration
 * ==========================
 *
 * Attaching some methods to the Graph class to be able to iterate over a
 * graph's edges.
 */

/**
 * Definitions.
 */
const EDGES_ITERATION = [
  {
    name: 'edges',
    type: 'mixed'
  },
  {
    name: 'inEdges',
    type: 'directed',
    direction: 'in'
  },
  {
    name: 'outEdges',
    type: 'directed',
    direction: 'out'
  },
  {
    name: 'inboundEdges',
    type: 'mixed',
    direction: 'in'
  },
  {
    name: 'outboundEdges',
    type: 'mixed',
    direction: 'out'
  },
  {
    name: 'directedEdges',
    type: 'directed'
  },
  {
    name: 'undirectedEdges',
    type: 'undirected'
  }
];

/**
 * Function iterating over edges from the given object to match one of them.
 *
 * @param {object}   object   - Target object.
 * @param {function} callback - Function to call.
 */
function forEachSimple(breakable, object, callback, avoid) {
  let shouldBreak = false;

  for (const k in object) {
    if (k === avoid) continue;

    const edgeData = object[k];

    shouldBreak = callback(
      edgeData.key,
      edgeData.attributes,
      edgeData.source.key,
      edgeData.target.key,
      edgeData.source.attributes,
      edgeData.target.attributes,
      edgeData.undirected
    );

    if (breakable && shouldBreak) return edgeData.key;
  }

  return;
}

function forEachMulti(breakable, object, callback, avoid) {
  let edgeData, source, target;

  let shouldBreak = false;

  for (const k in object) {
    if (k === avoid) continue;

    edgeData = object[k];

    do {
      source = edgeData.source;
      target = edgeData.target;

      shouldBreak = callback(
        edgeData.key,
        edgeData.attributes,
        source.key,
        target.key,
        source.attributes,
        target.attributes,
        edgeData.undirected
      );

      if (breakable && shouldBreak) return edgeData.key;

      edgeData = edgeData.next;
    } while (edgeData !== undefined);
  }

  return;
}

/**
 * Function returning an iterator over edges from the given object.
 *
 * @param  {object}   object - Target object.
 * @return {Iterator}
 */
function createIterator(object, avoid) {
  const keys = Object.keys(object);
  const l = keys.length;

  let edgeData;
  let i = 0;

  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      do {
        if (!edgeData) {
          if (i >= l) return {done: true};

          const k = keys[i++];

          if (k === avoid) {
            edgeData = undefined;
            continue;
          }

          edgeData = object[k];
        } else {
          edgeData = edgeData.next;
        }
      } while (!edgeData);

      return {
        done: false,
        value: {
          edge: edgeData.key,
          attributes: edgeData.attributes,
          source: edgeData.source.key,
          target: edgeData.target.key,
          sourceAttributes: edgeData.source.attributes,
          targetAttributes: edgeData.target.attributes,
          undirected: edgeData.undirected
        }
      };
    }
  };
}

/**
 * Function iterating over the egdes from the object at given key to match
 * one of them.
 *
 * @param {object}   object   - Target object.
 * @param {mixed}    k        - Neighbor key.
 * @param {function} callback - Callback to use.
 */
function forEachForKeySimple(breakable, object, k, callback) {
  const edgeData = object[k];

  if (!edgeData) return;

  const sourceData = edgeData.source;
  const targetData = edgeData.target;

  if (
    callback(
      edgeData.key,
      edgeData.attributes,
      sourceData.key,
      targetData.key,
      sourceData.attributes,
      targetData.attributes,
      edgeData.undirected
    ) &&
    breakable
  )
    return edgeData.key;
}

function forEachForKeyMulti(breakable, object, k, callback) {
  let edgeData = object[k];

  if (!edgeData) return;

  let shouldBreak = false;

  do {
    shouldBreak = callback(
      edgeData.key,
      edgeData.attributes,
      edgeData.source.key,
      edgeData.target.key,
      edgeData.source.attributes,
      edgeData.target.attributes,
      edgeData.undirected
    );

    if (breakable && shouldBreak) return edgeData.key;

    edgeData = edgeData.next;
  } while (edgeData !== undefined);

  return;
}

/**
 * Function returning an iterator over the egdes from the object at given key.
 *
 * @param  {object}   object   - Target object.
 * @param  {mixed}    k        - Neighbor key.
 * @return {Iterator}
 */
function createIteratorForKey(object, k) {
  let edgeData = object[k];

  if (edgeData.next !== undefined) {
    return {
      [Symbol.iterator]() {
        return this;
      },
      next() {
        if (!edgeData) return {done: true};

        const value = {
          edge: edgeData.key,
          attributes: edgeData.attributes,
          source: edgeData.source.key,
          target: edgeData.target.key,
          sourceAttributes: edgeData.source.attributes,
          targetAttributes: edgeData.target.attributes,
          undirected: edgeData.undirected
        };

        edgeData = edgeData.next;

        return {
          done: false,
          value
        };
      }
    };
  }

  let done = false;
  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      if (done === true) return {done: true};
      done = true;
      return {
        done: false,
        value: {
          edge: edgeData.key,
          attributes: edgeData.attributes,
          source: edgeData.source.key,
          target: edgeData.target.key,
          sourceAttributes: edgeData.source.attributes,
          targetAttributes: edgeData.target.attributes,
          undirected: edgeData.undirected
        }
      };
    }
  };
}

/**
 * Function creating an array of edges for the given type.
 *
 * @param  {Graph}   graph - Target Graph instance.
 * @param  {string}  type  - Type of edges to retrieve.
 * @return {array}         - Array of edges.
 */
function createEdgeArray(graph, type) {
  if (graph.size === 0) return [];

  if (type === 'mixed' || type === graph.type) {
    return Array.from(graph._edges.keys());
  }

  const size =
    type === 'undirected' ? graph.undirectedSize : graph.directedSize;

  const list = new Array(size),
    mask = type === 'undirected';

  const iterator = graph._edges.values();

  let i = 0;
  let step, data;

  while (((step = iterator.next()), step.done !== true)) {
    data = step.value;

    if (data.undirected === mask) list[i++] = data.key;
  }

  return list;
}

/**
 * Function iterating over a graph's edges using a callback to match one of
 * them.
 *
 * @param  {Graph}    graph    - Target Graph instance.
 * @param  {string}   type     - Type of edges to retrieve.
 * @param  {function} callback - Function to call.
 */
function forEachEdge(breakable, graph, type, callback) {
  if (graph.size === 0) return;

  const shouldFilter = type !== 'mixed' && type !== graph.type;
  const mask = type === 'undirected';

  let step, data;
  let shouldBreak = false;
  const iterator = graph._edges.values();

  while (((step = iterator.next()), step.done !== true)) {
    data = step.value;

    if (shouldFilter && data.undirected !== mask) continue;

    const {key, attributes, source, target} = data;

    shouldBreak = callback(
      key,
      attributes,
      source.key,
      target.key,
      source.attributes,
      target.attributes,
      data.undirected
    );

    if (breakable && shouldBreak) return key;
  }

  return;
}

/**
 * Function creating an iterator of edges for the given type.
 *
 * @param  {Graph}    graph - Target Graph instance.
 * @param  {string}   type  - Type of edges to retrieve.
 * @return {Iterator}
 */
function createEdgeIterator(graph, type) {
  if (graph.size === 0) return emptyIterator();

  const shouldFilter = type !== 'mixed' && type !== graph.type;
  const mask = type === 'undirected';

  const iterator = graph._edges.values();

  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      let step, data;

      // eslint-disable-next-line no-constant-condition
      while (true) {
        step = iterator.next();

        if (step.done) return step;

        data = step.value;

        if (shouldFilter && data.undirected !== mask) continue;

        break;
      }

      const value = {
        edge: data.key,
        attributes: data.attributes,
        source: data.source.key,
        target: data.target.key,
        sourceAttributes: data.source.attributes,
        targetAttributes: data.target.attributes,
        undirected: data.undirected
      };

      return {value, done: false};
    }
  };
}

/**
 * Function iterating over a node's edges using a callback to match one of them.
 *
 * @param  {boolean}  multi     - Whether the graph is multi or not.
 * @param  {string}   type      - Type of edges to retrieve.
 * @param  {string}   direction - In or out?
 * @param  {any}      nodeData  - Target node's data.
 * @param  {function} callback  - Function to call.
 */
function forEachEdgeForNode(
  breakable,
  multi,
  type,
  direction,
  nodeData,
  callback
) {
  const fn = multi ? forEachMulti : forEachSimple;

  let found;

  if (type !== 'undirected') {
    if (direction !== 'out') {
      found = fn(breakable, nodeData.in, callback);

      if (breakable && found) return found;
    }
    if (direction !== 'in') {
      found = fn(
        breakable,
        nodeData.out,
        callback,
        !direction ? nodeData.key : undefined
      );

      if (breakable && found) return found;
    }
  }

  if (type !== 'directed') {
    found = fn(breakable, nodeData.undirected, callback);

    if (breakable && found) return found;
  }

  return;
}

/**
 * Function creating an array of edges for the given type & the given node.
 *
 * @param  {boolean} multi     - Whether the graph is multi or not.
 * @param  {string}  type      - Type of edges to retrieve.
 * @param  {string}  direction - In or out?
 * @param  {any}     nodeData  - Target node's data.
 * @return {array}             - Array of edges.
 */
function createEdgeArrayForNode(multi, type, direction, nodeData) {
  const edges = []; // TODO: possibility to know size beforehand or factorize with map

  forEachEdgeForNode(false, multi, type, direction, nodeData, function (key) {
    edges.push(key);
  });

  return edges;
}

/**
 * Function iterating over a node's edges using a callback.
 *
 * @param  {string}   type      - Type of edges to retrieve.
 * @param  {string}   direction - In or out?
 * @param  {any}      nodeData  - Target node's data.
 * @return {Iterator}
 */
function createEdgeIteratorForNode(type, direction, nodeData) {
  let iterator = emptyIterator();

  if (type !== 'undirected') {
    if (direction !== 'out' && typeof nodeData.in !== 'undefined')
      iterator = chain(iterator, createIterator(nodeData.in));
    if (direction !== 'in' && typeof nodeData.out !== 'undefined')
      iterator = chain(
        iterator,
        createIterator(nodeData.out, !direction ? nodeData.key : undefined)
      );
  }

  if (type !== 'directed' && typeof nodeData.undirected !== 'undefined') {
    iterator = chain(iterator, createIterator(nodeData.undirected));
  }

  return iterator;
}

/**
 * Function iterating over edges for the given path using a callback to match
 * one of them.
 *
 * @param  {string}   type       - Type of edges to retrieve.
 * @param  {boolean}  multi      - Whether the graph is multi.
 * @param  {string}   direction  - In or out?
 * @param  {NodeData} sourceData - Source node's data.
 * @param  {string}   target     - Target node.
 * @param  {function} callback   - Function to call.
 */
function forEachEdgeForPath(
  breakable,
  type,
  multi,
  direction,
  sourceData,
  target,
  callback
) {
  const fn = multi ? forEachForKeyMulti : forEachForKeySimple;

  let found;

  if (type !== 'undirected') {
    if (typeof sourceData.in !== 'undefined' && direction !== 'out') {
      found = fn(breakable, sourceData.in, target, callback);

      if (breakable && found) return found;
    }

    if (
      typeof sourceData.out !== 'undefined' &&
      direction !== 'in' &&
      (direction || sourceData.key !== target)
    ) {
      found = fn(breakable, sourceData.out, target, callback);

      if (breakable && found) return found;
    }
  }

  if (type !== 'directed') {
    if (typeof sourceData.undirected !== 'undefined') {
      found = fn(breakable, sourceData.undirected, target, callback);

      if (breakable && found) return found;
    }
  }

  return;
}

/**
 * Function creating an array of edges for the given path.
 *
 * @param  {string}   type       - Type of edges to retrieve.
 * @param  {boolean}  multi      - Whether the graph is multi.
 * @param  {string}   direction  - In or out?
 * @param  {NodeData} sourceData - Source node's data.
 * @param  {any}      target     - Target node.
 * @return {array}               - Array of edges.
 */
function createEdgeArrayForPath(type, multi, direction, sourceData, target) {
  const edges = []; // TODO: possibility to know size beforehand or factorize with map

  forEachEdgeForPath(
    false,
    type,
    multi,
    direction,
    sourceData,
    target,
    function (key) {
      edges.push(key);
    }
  );

  return edges;
}

/**
 * Function returning an iterator over edges for the given path.
 *
 * @param  {string}   type       - Type of edges to retrieve.
 * @param  {string}   direction  - In or out?
 * @param  {NodeData} sourceData - Source node's data.
 * @param  {string}   target     - Target node.
 * @param  {function} callback   - Function to call.
 */
function createEdgeIteratorForPath(type, direction, sourceData, target) {
  let iterator = emptyIterator();

  if (type !== 'undirected') {
    if (
      typeof sourceData.in !== 'undefined' &&
      direction !== 'out' &&
      target in sourceData.in
    )
      iterator = chain(iterator, createIteratorForKey(sourceData.in, target));

    if (
      typeof sourceData.out !== 'undefined' &&
      direction !== 'in' &&
      target in sourceData.out &&
      (direction || sourceData.key !== target)
    )
      iterator = chain(iterator, createIteratorForKey(sourceData.out, target));
  }

  if (type !== 'directed') {
    if (
      typeof sourceData.undirected !== 'undefined' &&
      target in sourceData.undirected
    )
      iterator = chain(
        iterator,
        createIteratorForKey(sourceData.undirected, target)
      );
  }

  return iterator;
}

/**
 * Function attaching an edge array creator method to the Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachEdgeArrayCreator(Class, description) {
  const {name, type, direction} = description;

  /**
   * Function returning an array of certain edges.
   *
   * Arity 0: Return all the relevant edges.
   *
   * Arity 1: Return all of a node's relevant edges.
   * @param  {any}   node   - Target node.
   *
   * Arity 2: Return the relevant edges across the given path.
   * @param  {any}   source - Source node.
   * @param  {any}   target - Target node.
   *
   * @return {array|number} - The edges or the number of edges.
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[name] = function (source, target) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type)
      return [];

    if (!arguments.length) return createEdgeArray(this, type);

    if (arguments.length === 1) {
      source = '' + source;

      const nodeData = this._nodes.get(source);

      if (typeof nodeData === 'undefined')
        throw new NotFoundGraphError(
          `Graph.${name}: could not find the "${source}" node in the graph.`
        );

      // Iterating over a node's edges
      return createEdgeArrayForNode(
        this.multi,
        type === 'mixed' ? this.type : type,
        direction,
        nodeData
      );
    }

    if (arguments.length === 2) {
      source = '' + source;
      target = '' + target;

      const sourceData = this._nodes.get(source);

      if (!sourceData)
        throw new NotFoundGraphError(
          `Graph.${name}:  could not find the "${source}" source node in the graph.`
        );

      if (!this._nodes.has(target))
        throw new NotFoundGraphError(
          `Graph.${name}:  could not find the "${target}" target node in the graph.`
        );

      // Iterating over the edges between source & target
      return createEdgeArrayForPath(
        type,
        this.multi,
        direction,
        sourceData,
        target
      );
    }

    throw new InvalidArgumentsGraphError(
      `Graph.${name}: too many arguments (expecting 0, 1 or 2 and got ${arguments.length}).`
    );
  };
}

/**
 * Function attaching a edge callback iterator method to the Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachForEachEdge(Class, description) {
  const {name, type, direction} = description;

  const forEachName = 'forEach' + name[0].toUpperCase() + name.slice(1, -1);

  /**
   * Function iterating over the graph's relevant edges by applying the given
   * callback.
   *
   * Arity 1: Iterate over all the relevant edges.
   * @param  {function} callback - Callback to use.
   *
   * Arity 2: Iterate over all of a node's relevant edges.
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * Arity 3: Iterate over the relevant edges across the given path.
   * @param  {any}      source   - Source node.
   * @param  {any}      target   - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[forEachName] = function (source, target, callback) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type) return;

    if (arguments.length === 1) {
      callback = source;
      return forEachEdge(false, this, type, callback);
    }

    if (arguments.length === 2) {
      source = '' + source;
      callback = target;

      const nodeData = this._nodes.get(source);

      if (typeof nodeData === 'undefined')
        throw new NotFoundGraphError(
          `Graph.${forEachName}: could not find the "${source}" node in the graph.`
        );

      // Iterating over a node's edges
      // TODO: maybe attach the sub method to the instance dynamically?
      return forEachEdgeForNode(
        false,
        this.multi,
        type === 'mixed' ? this.type : type,
        direction,
        nodeData,
        callback
      );
    }

    if (arguments.length === 3) {
      source = '' + source;
      target = '' + target;

      const sourceData = this._nodes.get(source);

      if (!sourceData)
        throw new NotFoundGraphError(
          `Graph.${forEachName}:  could not find the "${source}" source node in the graph.`
        );

      if (!this._nodes.has(target))
        throw new NotFoundGraphError(
          `Graph.${forEachName}:  could not find the "${target}" target node in the graph.`
        );

      // Iterating over the edges between source & target
      return forEachEdgeForPath(
        false,
        type,
        this.multi,
        direction,
        sourceData,
        target,
        callback
      );
    }

    throw new InvalidArgumentsGraphError(
      `Graph.${forEachName}: too many arguments (expecting 1, 2 or 3 and got ${arguments.length}).`
    );
  };

  /**
   * Function mapping the graph's relevant edges by applying the given
   * callback.
   *
   * Arity 1: Map all the relevant edges.
   * @param  {function} callback - Callback to use.
   *
   * Arity 2: Map all of a node's relevant edges.
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * Arity 3: Map the relevant edges across the given path.
   * @param  {any}      source   - Source node.
   * @param  {any}      target   - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const mapName = 'map' + name[0].toUpperCase() + name.slice(1);

  Class.prototype[mapName] = function () {
    const args = Array.prototype.slice.call(arguments);
    const callback = args.pop();

    let result;

    // We know the result length beforehand
    if (args.length === 0) {
      let length = 0;

      if (type !== 'directed') length += this.undirectedSize;
      if (type !== 'undirected') length += this.directedSize;

      result = new Array(length);

      let i = 0;

      args.push((e, ea, s, t, sa, ta, u) => {
        result[i++] = callback(e, ea, s, t, sa, ta, u);
      });
    }

    // We don't know the result length beforehand
    // TODO: we can in some instances of simple graphs, knowing degree
    else {
      result = [];

      args.push((e, ea, s, t, sa, ta, u) => {
        result.push(callback(e, ea, s, t, sa, ta, u));
      });
    }

    this[forEachName].apply(this, args);

    return result;
  };

  /**
   * Function filtering the graph's relevant edges using the provided predicate
   * function.
   *
   * Arity 1: Filter all the relevant edges.
   * @param  {function} predicate - Predicate to use.
   *
   * Arity 2: Filter all of a node's relevant edges.
   * @param  {any}      node      - Target node.
   * @param  {function} predicate - Predicate to use.
   *
   * Arity 3: Filter the relevant edges across the given path.
   * @param  {any}      source    - Source node.
   * @param  {any}      target    - Target node.
   * @param  {function} predicate - Predicate to use.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const filterName = 'filter' + name[0].toUpperCase() + name.slice(1);

  Class.prototype[filterName] = function () {
    const args = Array.prototype.slice.call(arguments);
    const callback = args.pop();

    const result = [];

    args.push((e, ea, s, t, sa, ta, u) => {
      if (callback(e, ea, s, t, sa, ta, u)) result.push(e);
    });

    this[forEachName].apply(this, args);

    return result;
  };

  /**
   * Function reducing the graph's relevant edges using the provided accumulator
   * function.
   *
   * Arity 1: Reduce all the relevant edges.
   * @param  {function} accumulator  - Accumulator to use.
   * @param  {any}      initialValue - Initial value.
   *
   * Arity 2: Reduce all of a node's relevant edges.
   * @param  {any}      node         - Target node.
   * @param  {function} accumulator  - Accumulator to use.
   * @param  {any}      initialValue - Initial value.
   *
   * Arity 3: Reduce the relevant edges across the given path.
   * @param  {any}      source       - Source node.
   * @param  {any}      target       - Target node.
   * @param  {function} accumulator  - Accumulator to use.
   * @param  {any}      initialValue - Initial value.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const reduceName = 'reduce' + name[0].toUpperCase() + name.slice(1);

  Class.prototype[reduceName] = function () {
    let args = Array.prototype.slice.call(arguments);

    if (args.length < 2 || args.length > 4) {
      throw new InvalidArgumentsGraphError(
        `Graph.${reduceName}: invalid number of arguments (expecting 2, 3 or 4 and got ${args.length}).`
      );
    }

    if (
      typeof args[args.length - 1] === 'function' &&
      typeof args[args.length - 2] !== 'function'
    ) {
      throw new InvalidArgumentsGraphError(
        `Graph.${reduceName}: missing initial value. You must provide it because the callback takes more than one argument and we cannot infer the initial value from the first iteration, as you could with a simple array.`
      );
    }

    let callback;
    let initialValue;

    if (args.length === 2) {
      callback = args[0];
      initialValue = args[1];
      args = [];
    } else if (args.length === 3) {
      callback = args[1];
      initialValue = args[2];
      args = [args[0]];
    } else if (args.length === 4) {
      callback = args[2];
      initialValue = args[3];
      args = [args[0], args[1]];
    }

    let accumulator = initialValue;

    args.push((e, ea, s, t, sa, ta, u) => {
      accumulator = callback(accumulator, e, ea, s, t, sa, ta, u);
    });

    this[forEachName].apply(this, args);

    return accumulator;
  };
}

/**
 * Function attaching a breakable edge callback iterator method to the Graph
 * prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachFindEdge(Class, description) {
  const {name, type, direction} = description;

  const findEdgeName = 'find' + name[0].toUpperCase() + name.slice(1, -1);

  /**
   * Function iterating over the graph's relevant edges in order to match
   * one of them using the provided predicate function.
   *
   * Arity 1: Iterate over all the relevant edges.
   * @param  {function} callback - Callback to use.
   *
   * Arity 2: Iterate over all of a node's relevant edges.
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * Arity 3: Iterate over the relevant edges across the given path.
   * @param  {any}      source   - Source node.
   * @param  {any}      target   - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[findEdgeName] = function (source, target, callback) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type)
      return false;

    if (arguments.length === 1) {
      callback = source;
      return forEachEdge(true, this, type, callback);
    }

    if (arguments.length === 2) {
      source = '' + source;
      callback = target;

      const nodeData = this._nodes.get(source);

      if (typeof nodeData === 'undefined')
        throw new NotFoundGraphError(
          `Graph.${findEdgeName}: could not find the "${source}" node in the graph.`
        );

      // Iterating over a node's edges
      // TODO: maybe attach the sub method to the instance dynamically?
      return forEachEdgeForNode(
        true,
        this.multi,
        type === 'mixed' ? this.type : type,
        direction,
        nodeData,
        callback
      );
    }

    if (arguments.length === 3) {
      source = '' + source;
      target = '' + target;

      const sourceData = this._nodes.get(source);

      if (!sourceData)
        throw new NotFoundGraphError(
          `Graph.${findEdgeName}:  could not find the "${source}" source node in the graph.`
        );

      if (!this._nodes.has(target))
        throw new NotFoundGraphError(
          `Graph.${findEdgeName}:  could not find the "${target}" target node in the graph.`
        );

      // Iterating over the edges between source & target
      return forEachEdgeForPath(
        true,
        type,
        this.multi,
        direction,
        sourceData,
        target,
        callback
      );
    }

    throw new InvalidArgumentsGraphError(
      `Graph.${findEdgeName}: too many arguments (expecting 1, 2 or 3 and got ${arguments.length}).`
    );
  };

  /**
   * Function iterating over the graph's relevant edges in order to assert
   * whether any one of them matches the provided predicate function.
   *
   * Arity 1: Iterate over all the relevant edges.
   * @param  {function} callback - Callback to use.
   *
   * Arity 2: Iterate over all of a node's relevant edges.
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * Arity 3: Iterate over the relevant edges across the given path.
   * @param  {any}      source   - Source node.
   * @param  {any}      target   - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const someName = 'some' + name[0].toUpperCase() + name.slice(1, -1);

  Class.prototype[someName] = function () {
    const args = Array.prototype.slice.call(arguments);
    const callback = args.pop();

    args.push((e, ea, s, t, sa, ta, u) => {
      return callback(e, ea, s, t, sa, ta, u);
    });

    const found = this[findEdgeName].apply(this, args);

    if (found) return true;

    return false;
  };

  /**
   * Function iterating over the graph's relevant edges in order to assert
   * whether all of them matche the provided predicate function.
   *
   * Arity 1: Iterate over all the relevant edges.
   * @param  {function} callback - Callback to use.
   *
   * Arity 2: Iterate over all of a node's relevant edges.
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * Arity 3: Iterate over the relevant edges across the given path.
   * @param  {any}      source   - Source node.
   * @param  {any}      target   - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const everyName = 'every' + name[0].toUpperCase() + name.slice(1, -1);

  Class.prototype[everyName] = function () {
    const args = Array.prototype.slice.call(arguments);
    const callback = args.pop();

    args.push((e, ea, s, t, sa, ta, u) => {
      return !callback(e, ea, s, t, sa, ta, u);
    });

    const found = this[findEdgeName].apply(this, args);

    if (found) return false;

    return true;
  };
}

/**
 * Function attaching an edge iterator method to the Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachEdgeIteratorCreator(Class, description) {
  const {name: originalName, type, direction} = description;

  const name = originalName.slice(0, -1) + 'Entries';

  /**
   * Function returning an iterator over the graph's edges.
   *
   * Arity 0: Iterate over all the relevant edges.
   *
   * Arity 1: Iterate over all of a node's relevant edges.
   * @param  {any}   node   - Target node.
   *
   * Arity 2: Iterate over the relevant edges across the given path.
   * @param  {any}   source - Source node.
   * @param  {any}   target - Target node.
   *
   * @return {array|number} - The edges or the number of edges.
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[name] = function (source, target) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type)
      return emptyIterator();

    if (!arguments.length) return createEdgeIterator(this, type);

    if (arguments.length === 1) {
      source = '' + source;

      const sourceData = this._nodes.get(source);

      if (!sourceData)
        throw new NotFoundGraphError(
          `Graph.${name}: could not find the "${source}" node in the graph.`
        );

      // Iterating over a node's edges
      return createEdgeIteratorForNode(type, direction, sourceData);
    }

    if (arguments.length === 2) {
      source = '' + source;
      target = '' + target;

      const sourceData = this._nodes.get(source);

      if (!sourceData)
        throw new NotFoundGraphError(
          `Graph.${name}:  could not find the "${source}" source node in the graph.`
        );

      if (!this._nodes.has(target))
        throw new NotFoundGraphError(
          `Graph.${name}:  could not find the "${target}" target node in the graph.`
        );

      // Iterating over the edges between source & target
      return createEdgeIteratorForPath(type, direction, sourceData, target);
    }

    throw new InvalidArgumentsGraphError(
      `Graph.${name}: too many arguments (expecting 0, 1 or 2 and got ${arguments.length}).`
    );
  };
}

/**
 * Function attaching every edge iteration method to the Graph class.
 *
 * @param {function} Graph - Graph class.
 */
function attachEdgeIterationMethods(Graph) {
  EDGES_ITERATION.forEach(description => {
    attachEdgeArrayCreator(Graph, description);
    attachForEachEdge(Graph, description);
    attachFindEdge(Graph, description);
    attachEdgeIteratorCreator(Graph, description);
  });
}

/**
 * Graphology Neighbor Iteration
 * ==============================
 *
 * Attaching some methods to the Graph class to be able to iterate over
 * neighbors.
 */

/**
 * Definitions.
 */
const NEIGHBORS_ITERATION = [
  {
    name: 'neighbors',
    type: 'mixed'
  },
  {
    name: 'inNeighbors',
    type: 'directed',
    direction: 'in'
  },
  {
    name: 'outNeighbors',
    type: 'directed',
    direction: 'out'
  },
  {
    name: 'inboundNeighbors',
    type: 'mixed',
    direction: 'in'
  },
  {
    name: 'outboundNeighbors',
    type: 'mixed',
    direction: 'out'
  },
  {
    name: 'directedNeighbors',
    type: 'directed'
  },
  {
    name: 'undirectedNeighbors',
    type: 'undirected'
  }
];

/**
 * Helpers.
 */
function CompositeSetWrapper() {
  this.A = null;
  this.B = null;
}

CompositeSetWrapper.prototype.wrap = function (set) {
  if (this.A === null) this.A = set;
  else if (this.B === null) this.B = set;
};

CompositeSetWrapper.prototype.has = function (key) {
  if (this.A !== null && key in this.A) return true;
  if (this.B !== null && key in this.B) return true;
  return false;
};

/**
 * Function iterating over the given node's relevant neighbors to match
 * one of them using a predicated function.
 *
 * @param  {string}   type      - Type of neighbors.
 * @param  {string}   direction - Direction.
 * @param  {any}      nodeData  - Target node's data.
 * @param  {function} callback  - Callback to use.
 */
function forEachInObjectOnce(breakable, visited, nodeData, object, callback) {
  for (const k in object) {
    const edgeData = object[k];

    const sourceData = edgeData.source;
    const targetData = edgeData.target;

    const neighborData = sourceData === nodeData ? targetData : sourceData;

    if (visited && visited.has(neighborData.key)) continue;

    const shouldBreak = callback(neighborData.key, neighborData.attributes);

    if (breakable && shouldBreak) return neighborData.key;
  }

  return;
}

function forEachNeighbor(breakable, type, direction, nodeData, callback) {
  // If we want only undirected or in or out, we can roll some optimizations
  if (type !== 'mixed') {
    if (type === 'undirected')
      return forEachInObjectOnce(
        breakable,
        null,
        nodeData,
        nodeData.undirected,
        callback
      );

    if (typeof direction === 'string')
      return forEachInObjectOnce(
        breakable,
        null,
        nodeData,
        nodeData[direction],
        callback
      );
  }

  // Else we need to keep a set of neighbors not to return duplicates
  // We cheat by querying the other adjacencies
  const visited = new CompositeSetWrapper();

  let found;

  if (type !== 'undirected') {
    if (direction !== 'out') {
      found = forEachInObjectOnce(
        breakable,
        null,
        nodeData,
        nodeData.in,
        callback
      );

      if (breakable && found) return found;

      visited.wrap(nodeData.in);
    }
    if (direction !== 'in') {
      found = forEachInObjectOnce(
        breakable,
        visited,
        nodeData,
        nodeData.out,
        callback
      );

      if (breakable && found) return found;

      visited.wrap(nodeData.out);
    }
  }

  if (type !== 'directed') {
    found = forEachInObjectOnce(
      breakable,
      visited,
      nodeData,
      nodeData.undirected,
      callback
    );

    if (breakable && found) return found;
  }

  return;
}

/**
 * Function creating an array of relevant neighbors for the given node.
 *
 * @param  {string}       type      - Type of neighbors.
 * @param  {string}       direction - Direction.
 * @param  {any}          nodeData  - Target node's data.
 * @return {Array}                  - The list of neighbors.
 */
function createNeighborArrayForNode(type, direction, nodeData) {
  // If we want only undirected or in or out, we can roll some optimizations
  if (type !== 'mixed') {
    if (type === 'undirected') return Object.keys(nodeData.undirected);

    if (typeof direction === 'string') return Object.keys(nodeData[direction]);
  }

  const neighbors = [];

  forEachNeighbor(false, type, direction, nodeData, function (key) {
    neighbors.push(key);
  });

  return neighbors;
}

/**
 * Function returning an iterator over the given node's relevant neighbors.
 *
 * @param  {string}   type      - Type of neighbors.
 * @param  {string}   direction - Direction.
 * @param  {any}      nodeData  - Target node's data.
 * @return {Iterator}
 */
function createDedupedObjectIterator(visited, nodeData, object) {
  const keys = Object.keys(object);
  const l = keys.length;

  let i = 0;

  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      let neighborData = null;

      do {
        if (i >= l) {
          if (visited) visited.wrap(object);
          return {done: true};
        }

        const edgeData = object[keys[i++]];

        const sourceData = edgeData.source;
        const targetData = edgeData.target;

        neighborData = sourceData === nodeData ? targetData : sourceData;

        if (visited && visited.has(neighborData.key)) {
          neighborData = null;
          continue;
        }
      } while (neighborData === null);

      return {
        done: false,
        value: {neighbor: neighborData.key, attributes: neighborData.attributes}
      };
    }
  };
}

function createNeighborIterator(type, direction, nodeData) {
  // If we want only undirected or in or out, we can roll some optimizations
  if (type !== 'mixed') {
    if (type === 'undirected')
      return createDedupedObjectIterator(null, nodeData, nodeData.undirected);

    if (typeof direction === 'string')
      return createDedupedObjectIterator(null, nodeData, nodeData[direction]);
  }

  let iterator = emptyIterator();

  // Else we need to keep a set of neighbors not to return duplicates
  // We cheat by querying the other adjacencies
  const visited = new CompositeSetWrapper();

  if (type !== 'undirected') {
    if (direction !== 'out') {
      iterator = chain(
        iterator,
        createDedupedObjectIterator(visited, nodeData, nodeData.in)
      );
    }
    if (direction !== 'in') {
      iterator = chain(
        iterator,
        createDedupedObjectIterator(visited, nodeData, nodeData.out)
      );
    }
  }

  if (type !== 'directed') {
    iterator = chain(
      iterator,
      createDedupedObjectIterator(visited, nodeData, nodeData.undirected)
    );
  }

  return iterator;
}

/**
 * Function attaching a neighbors array creator method to the Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachNeighborArrayCreator(Class, description) {
  const {name, type, direction} = description;

  /**
   * Function returning an array of certain neighbors.
   *
   * @param  {any}   node   - Target node.
   * @return {array} - The neighbors of neighbors.
   *
   * @throws {Error} - Will throw if node is not found in the graph.
   */
  Class.prototype[name] = function (node) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type)
      return [];

    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (typeof nodeData === 'undefined')
      throw new NotFoundGraphError(
        `Graph.${name}: could not find the "${node}" node in the graph.`
      );

    // Here, we want to iterate over a node's relevant neighbors
    return createNeighborArrayForNode(
      type === 'mixed' ? this.type : type,
      direction,
      nodeData
    );
  };
}

/**
 * Function attaching a neighbors callback iterator method to the Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachForEachNeighbor(Class, description) {
  const {name, type, direction} = description;

  const forEachName = 'forEach' + name[0].toUpperCase() + name.slice(1, -1);

  /**
   * Function iterating over all the relevant neighbors using a callback.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[forEachName] = function (node, callback) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type) return;

    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (typeof nodeData === 'undefined')
      throw new NotFoundGraphError(
        `Graph.${forEachName}: could not find the "${node}" node in the graph.`
      );

    // Here, we want to iterate over a node's relevant neighbors
    forEachNeighbor(
      false,
      type === 'mixed' ? this.type : type,
      direction,
      nodeData,
      callback
    );
  };

  /**
   * Function mapping the relevant neighbors using a callback.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const mapName = 'map' + name[0].toUpperCase() + name.slice(1);

  Class.prototype[mapName] = function (node, callback) {
    // TODO: optimize when size is known beforehand
    const result = [];

    this[forEachName](node, (n, a) => {
      result.push(callback(n, a));
    });

    return result;
  };

  /**
   * Function filtering the relevant neighbors using a callback.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const filterName = 'filter' + name[0].toUpperCase() + name.slice(1);

  Class.prototype[filterName] = function (node, callback) {
    const result = [];

    this[forEachName](node, (n, a) => {
      if (callback(n, a)) result.push(n);
    });

    return result;
  };

  /**
   * Function reducing the relevant neighbors using a callback.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const reduceName = 'reduce' + name[0].toUpperCase() + name.slice(1);

  Class.prototype[reduceName] = function (node, callback, initialValue) {
    if (arguments.length < 3)
      throw new InvalidArgumentsGraphError(
        `Graph.${reduceName}: missing initial value. You must provide it because the callback takes more than one argument and we cannot infer the initial value from the first iteration, as you could with a simple array.`
      );

    let accumulator = initialValue;

    this[forEachName](node, (n, a) => {
      accumulator = callback(accumulator, n, a);
    });

    return accumulator;
  };
}

/**
 * Function attaching a breakable neighbors callback iterator method to the
 * Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachFindNeighbor(Class, description) {
  const {name, type, direction} = description;

  const capitalizedSingular = name[0].toUpperCase() + name.slice(1, -1);

  const findName = 'find' + capitalizedSingular;

  /**
   * Function iterating over all the relevant neighbors using a callback.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   * @return {undefined}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[findName] = function (node, callback) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type) return;

    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (typeof nodeData === 'undefined')
      throw new NotFoundGraphError(
        `Graph.${findName}: could not find the "${node}" node in the graph.`
      );

    // Here, we want to iterate over a node's relevant neighbors
    return forEachNeighbor(
      true,
      type === 'mixed' ? this.type : type,
      direction,
      nodeData,
      callback
    );
  };

  /**
   * Function iterating over all the relevant neighbors to find if any of them
   * matches the given predicate.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const someName = 'some' + capitalizedSingular;

  Class.prototype[someName] = function (node, callback) {
    const found = this[findName](node, callback);

    if (found) return true;

    return false;
  };

  /**
   * Function iterating over all the relevant neighbors to find if all of them
   * matche the given predicate.
   *
   * @param  {any}      node     - Target node.
   * @param  {function} callback - Callback to use.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  const everyName = 'every' + capitalizedSingular;

  Class.prototype[everyName] = function (node, callback) {
    const found = this[findName](node, (n, a) => {
      return !callback(n, a);
    });

    if (found) return false;

    return true;
  };
}

/**
 * Function attaching a neighbors callback iterator method to the Graph prototype.
 *
 * @param {function} Class       - Target class.
 * @param {object}   description - Method description.
 */
function attachNeighborIteratorCreator(Class, description) {
  const {name, type, direction} = description;

  const iteratorName = name.slice(0, -1) + 'Entries';

  /**
   * Function returning an iterator over all the relevant neighbors.
   *
   * @param  {any}      node     - Target node.
   * @return {Iterator}
   *
   * @throws {Error} - Will throw if there are too many arguments.
   */
  Class.prototype[iteratorName] = function (node) {
    // Early termination
    if (type !== 'mixed' && this.type !== 'mixed' && type !== this.type)
      return emptyIterator();

    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (typeof nodeData === 'undefined')
      throw new NotFoundGraphError(
        `Graph.${iteratorName}: could not find the "${node}" node in the graph.`
      );

    // Here, we want to iterate over a node's relevant neighbors
    return createNeighborIterator(
      type === 'mixed' ? this.type : type,
      direction,
      nodeData
    );
  };
}

/**
 * Function attaching every neighbor iteration method to the Graph class.
 *
 * @param {function} Graph - Graph class.
 */
function attachNeighborIterationMethods(Graph) {
  NEIGHBORS_ITERATION.forEach(description => {
    attachNeighborArrayCreator(Graph, description);
    attachForEachNeighbor(Graph, description);
    attachFindNeighbor(Graph, description);
    attachNeighborIteratorCreator(Graph, description);
  });
}

/**
 * Graphology Adjacency Iteration
 * ===============================
 *
 * Attaching some methods to the Graph class to be able to iterate over a
 * graph's adjacency.
 */

/**
 * Function iterating over a simple graph's adjacency using a callback.
 *
 * @param {boolean}  breakable         - Can we break?
 * @param {boolean}  assymetric        - Whether to emit undirected edges only once.
 * @param {boolean}  disconnectedNodes - Whether to emit disconnected nodes.
 * @param {Graph}    graph             - Target Graph instance.
 * @param {callback} function          - Iteration callback.
 */
function forEachAdjacency(
  breakable,
  assymetric,
  disconnectedNodes,
  graph,
  callback
) {
  const iterator = graph._nodes.values();

  const type = graph.type;

  let step, sourceData, neighbor, adj, edgeData, targetData;

  while (((step = iterator.next()), step.done !== true)) {
    let hasEdges = false;

    sourceData = step.value;

    if (type !== 'undirected') {
      adj = sourceData.out;

      for (neighbor in adj) {
        edgeData = adj[neighbor];

        do {
          targetData = edgeData.target;

          hasEdges = true;
          callback(
            sourceData.key,
            targetData.key,
            sourceData.attributes,
            targetData.attributes,
            edgeData.key,
            edgeData.attributes,
            edgeData.undirected
          );

          edgeData = edgeData.next;
        } while (edgeData);
      }
    }

    if (type !== 'directed') {
      adj = sourceData.undirected;

      for (neighbor in adj) {
        if (assymetric && sourceData.key > neighbor) continue;

        edgeData = adj[neighbor];

        do {
          targetData = edgeData.target;

          if (targetData.key !== neighbor) targetData = edgeData.source;

          hasEdges = true;
          callback(
            sourceData.key,
            targetData.key,
            sourceData.attributes,
            targetData.attributes,
            edgeData.key,
            edgeData.attributes,
            edgeData.undirected
          );

          edgeData = edgeData.next;
        } while (edgeData);
      }
    }

    if (disconnectedNodes && !hasEdges) {
      callback(
        sourceData.key,
        null,
        sourceData.attributes,
        null,
        null,
        null,
        null
      );
    }
  }

  return;
}

/**
 * Graphology Serialization Utilities
 * ===================================
 *
 * Collection of functions used by the graph serialization schemes.
 */

/**
 * Formats internal node data into a serialized node.
 *
 * @param  {any}    key  - The node's key.
 * @param  {object} data - Internal node's data.
 * @return {array}       - The serialized node.
 */
function serializeNode(key, data) {
  const serialized = {key};

  if (!isEmpty(data.attributes))
    serialized.attributes = assign({}, data.attributes);

  return serialized;
}

/**
 * Formats internal edge data into a serialized edge.
 *
 * @param  {string} type - The graph's type.
 * @param  {any}    key  - The edge's key.
 * @param  {object} data - Internal edge's data.
 * @return {array}       - The serialized edge.
 */
function serializeEdge(type, key, data) {
  const serialized = {
    key,
    source: data.source.key,
    target: data.target.key
  };

  if (!isEmpty(data.attributes))
    serialized.attributes = assign({}, data.attributes);

  if (type === 'mixed' && data.undirected) serialized.undirected = true;

  return serialized;
}

/**
 * Checks whether the given value is a serialized node.
 *
 * @param  {mixed} value - Target value.
 * @return {string|null}
 */
function validateSerializedNode(value) {
  if (!isPlainObject(value))
    throw new InvalidArgumentsGraphError(
      'Graph.import: invalid serialized node. A serialized node should be a plain object with at least a "key" property.'
    );

  if (!('key' in value))
    throw new InvalidArgumentsGraphError(
      'Graph.import: serialized node is missing its key.'
    );

  if (
    'attributes' in value &&
    (!isPlainObject(value.attributes) || value.attributes === null)
  )
    throw new InvalidArgumentsGraphError(
      'Graph.import: invalid attributes. Attributes should be a plain object, null or omitted.'
    );
}

/**
 * Checks whether the given value is a serialized edge.
 *
 * @param  {mixed} value - Target value.
 * @return {string|null}
 */
function validateSerializedEdge(value) {
  if (!isPlainObject(value))
    throw new InvalidArgumentsGraphError(
      'Graph.import: invalid serialized edge. A serialized edge should be a plain object with at least a "source" & "target" property.'
    );

  if (!('source' in value))
    throw new InvalidArgumentsGraphError(
      'Graph.import: serialized edge is missing its source.'
    );

  if (!('target' in value))
    throw new InvalidArgumentsGraphError(
      'Graph.import: serialized edge is missing its target.'
    );

  if (
    'attributes' in value &&
    (!isPlainObject(value.attributes) || value.attributes === null)
  )
    throw new InvalidArgumentsGraphError(
      'Graph.import: invalid attributes. Attributes should be a plain object, null or omitted.'
    );

  if ('undirected' in value && typeof value.undirected !== 'boolean')
    throw new InvalidArgumentsGraphError(
      'Graph.import: invalid undirectedness information. Undirected should be boolean or omitted.'
    );
}

/* eslint no-nested-ternary: 0 */

/**
 * Constants.
 */
const INSTANCE_ID = incrementalIdStartingFromRandomByte();

/**
 * Enums.
 */
const TYPES = new Set(['directed', 'undirected', 'mixed']);

const EMITTER_PROPS = new Set([
  'domain',
  '_events',
  '_eventsCount',
  '_maxListeners'
]);

const EDGE_ADD_METHODS = [
  {
    name: verb => `${verb}Edge`,
    generateKey: true
  },
  {
    name: verb => `${verb}DirectedEdge`,
    generateKey: true,
    type: 'directed'
  },
  {
    name: verb => `${verb}UndirectedEdge`,
    generateKey: true,
    type: 'undirected'
  },
  {
    name: verb => `${verb}EdgeWithKey`
  },
  {
    name: verb => `${verb}DirectedEdgeWithKey`,
    type: 'directed'
  },
  {
    name: verb => `${verb}UndirectedEdgeWithKey`,
    type: 'undirected'
  }
];

/**
 * Default options.
 */
const DEFAULTS = {
  allowSelfLoops: true,
  multi: false,
  type: 'mixed'
};

/**
 * Abstract functions used by the Graph class for various methods.
 */

/**
 * Internal method used to add a node to the given graph
 *
 * @param  {Graph}   graph           - Target graph.
 * @param  {any}     node            - The node's key.
 * @param  {object}  [attributes]    - Optional attributes.
 * @return {NodeData}                - Created node data.
 */
function addNode(graph, node, attributes) {
  if (attributes && !isPlainObject(attributes))
    throw new InvalidArgumentsGraphError(
      `Graph.addNode: invalid attributes. Expecting an object but got "${attributes}"`
    );

  // String coercion
  node = '' + node;
  attributes = attributes || {};

  if (graph._nodes.has(node))
    throw new UsageGraphError(
      `Graph.addNode: the "${node}" node already exist in the graph.`
    );

  const data = new graph.NodeDataClass(node, attributes);

  // Adding the node to internal register
  graph._nodes.set(node, data);

  // Emitting
  graph.emit('nodeAdded', {
    key: node,
    attributes
  });

  return data;
}

/**
 * Same as the above but without sanity checks because we call this in contexts
 * where necessary checks were already done.
 */
function unsafeAddNode(graph, node, attributes) {
  const data = new graph.NodeDataClass(node, attributes);

  graph._nodes.set(node, data);

  graph.emit('nodeAdded', {
    key: node,
    attributes
  });

  return data;
}

/**
 * Internal method used to add an arbitrary edge to the given graph.
 *
 * @param  {Graph}   graph           - Target graph.
 * @param  {string}  name            - Name of the child method for errors.
 * @param  {boolean} mustGenerateKey - Should the graph generate an id?
 * @param  {boolean} undirected      - Whether the edge is undirected.
 * @param  {any}     edge            - The edge's key.
 * @param  {any}     source          - The source node.
 * @param  {any}     target          - The target node.
 * @param  {object}  [attributes]    - Optional attributes.
 * @return {any}                     - The edge.
 *
 * @throws {Error} - Will throw if the graph is of the wrong type.
 * @throws {Error} - Will throw if the given attributes are not an object.
 * @throws {Error} - Will throw if source or target doesn't exist.
 * @throws {Error} - Will throw if the edge already exist.
 */
function addEdge(
  graph,
  name,
  mustGenerateKey,
  undirected,
  edge,
  source,
  target,
  attributes
) {
  // Checking validity of operation
  if (!undirected && graph.type === 'undirected')
    throw new UsageGraphError(
      `Graph.${name}: you cannot add a directed edge to an undirected graph. Use the #.addEdge or #.addUndirectedEdge instead.`
    );

  if (undirected && graph.type === 'directed')
    throw new UsageGraphError(
      `Graph.${name}: you cannot add an undirected edge to a directed graph. Use the #.addEdge or #.addDirectedEdge instead.`
    );

  if (attributes && !isPlainObject(attributes))
    throw new InvalidArgumentsGraphError(
      `Graph.${name}: invalid attributes. Expecting an object but got "${attributes}"`
    );

  // Coercion of source & target:
  source = '' + source;
  target = '' + target;
  attributes = attributes || {};

  if (!graph.allowSelfLoops && source === target)
    throw new UsageGraphError(
      `Graph.${name}: source & target are the same ("${source}"), thus creating a loop explicitly forbidden by this graph 'allowSelfLoops' option set to false.`
    );

  const sourceData = graph._nodes.get(source),
    targetData = graph._nodes.get(target);

  if (!sourceData)
    throw new NotFoundGraphError(
      `Graph.${name}: source node "${source}" not found.`
    );

  if (!targetData)
    throw new NotFoundGraphError(
      `Graph.${name}: target node "${target}" not found.`
    );

  // Must the graph generate an id for this edge?
  const eventData = {
    key: null,
    undirected,
    source,
    target,
    attributes
  };

  if (mustGenerateKey) {
    // NOTE: in this case we can guarantee that the key does not already
    // exist and is already correctly casted as a string
    edge = graph._edgeKeyGenerator();
  } else {
    // Coercion of edge key
    edge = '' + edge;

    // Here, we have a key collision
    if (graph._edges.has(edge))
      throw new UsageGraphError(
        `Graph.${name}: the "${edge}" edge already exists in the graph.`
      );
  }

  // Here, we might have a source / target collision
  if (
    !graph.multi &&
    (undirected
      ? typeof sourceData.undirected[target] !== 'undefined'
      : typeof sourceData.out[target] !== 'undefined')
  ) {
    throw new UsageGraphError(
      `Graph.${name}: an edge linking "${source}" to "${target}" already exists. If you really want to add multiple edges linking those nodes, you should create a multi graph by using the 'multi' option.`
    );
  }

  // Storing some data
  const edgeData = new EdgeData(
    undirected,
    edge,
    sourceData,
    targetData,
    attributes
  );

  // Adding the edge to the internal register
  graph._edges.set(edge, edgeData);

  // Incrementing node degree counters
  const isSelfLoop = source === target;

  if (undirected) {
    sourceData.undirectedDegree++;
    targetData.undirectedDegree++;

    if (isSelfLoop) {
      sourceData.undirectedLoops++;
      graph._undirectedSelfLoopCount++;
    }
  } else {
    sourceData.outDegree++;
    targetData.inDegree++;

    if (isSelfLoop) {
      sourceData.directedLoops++;
      graph._directedSelfLoopCount++;
    }
  }

  // Updating relevant index
  if (graph.multi) edgeData.attachMulti();
  else edgeData.attach();

  if (undirected) graph._undirectedSize++;
  else graph._directedSize++;

  // Emitting
  eventData.key = edge;

  graph.emit('edgeAdded', eventData);

  return edge;
}

/**
 * Internal method used to add an arbitrary edge to the given graph.
 *
 * @param  {Graph}   graph           - Target graph.
 * @param  {string}  name            - Name of the child method for errors.
 * @param  {boolean} mustGenerateKey - Should the graph generate an id?
 * @param  {boolean} undirected      - Whether the edge is undirected.
 * @param  {any}     edge            - The edge's key.
 * @param  {any}     source          - The source node.
 * @param  {any}     target          - The target node.
 * @param  {object}  [attributes]    - Optional attributes.
 * @param  {boolean} [asUpdater]       - Are we updating or merging?
 * @return {any}                     - The edge.
 *
 * @throws {Error} - Will throw if the graph is of the wrong type.
 * @throws {Error} - Will throw if the given attributes are not an object.
 * @throws {Error} - Will throw if source or target doesn't exist.
 * @throws {Error} - Will throw if the edge already exist.
 */
function mergeEdge(
  graph,
  name,
  mustGenerateKey,
  undirected,
  edge,
  source,
  target,
  attributes,
  asUpdater
) {
  // Checking validity of operation
  if (!undirected && graph.type === 'undirected')
    throw new UsageGraphError(
      `Graph.${name}: you cannot merge/update a directed edge to an undirected graph. Use the #.mergeEdge/#.updateEdge or #.addUndirectedEdge instead.`
    );

  if (undirected && graph.type === 'directed')
    throw new UsageGraphError(
      `Graph.${name}: you cannot merge/update an undirected edge to a directed graph. Use the #.mergeEdge/#.updateEdge or #.addDirectedEdge instead.`
    );

  if (attributes) {
    if (asUpdater) {
      if (typeof attributes !== 'function')
        throw new InvalidArgumentsGraphError(
          `Graph.${name}: invalid updater function. Expecting a function but got "${attributes}"`
        );
    } else {
      if (!isPlainObject(attributes))
        throw new InvalidArgumentsGraphError(
          `Graph.${name}: invalid attributes. Expecting an object but got "${attributes}"`
        );
    }
  }

  // Coercion of source & target:
  source = '' + source;
  target = '' + target;

  let updater;

  if (asUpdater) {
    updater = attributes;
    attributes = undefined;
  }

  if (!graph.allowSelfLoops && source === target)
    throw new UsageGraphError(
      `Graph.${name}: source & target are the same ("${source}"), thus creating a loop explicitly forbidden by this graph 'allowSelfLoops' option set to false.`
    );

  let sourceData = graph._nodes.get(source);
  let targetData = graph._nodes.get(target);
  let edgeData;

  // Do we need to handle duplicate?
  let alreadyExistingEdgeData;

  if (!mustGenerateKey) {
    edgeData = graph._edges.get(edge);

    if (edgeData) {
      // Here, we need to ensure, if the user gave a key, that source & target
      // are consistent
      if (edgeData.source.key !== source || edgeData.target.key !== target) {
        // If source or target inconsistent
        if (
          !undirected ||
          edgeData.source.key !== target ||
          edgeData.target.key !== source
        ) {
          // If directed, or source/target aren't flipped
          throw new UsageGraphError(
            `Graph.${name}: inconsistency detected when attempting to merge the "${edge}" edge with "${source}" source & "${target}" target vs. ("${edgeData.source.key}", "${edgeData.target.key}").`
          );
        }
      }

      alreadyExistingEdgeData = edgeData;
    }
  }

  // Here, we might have a source / target collision
  if (!alreadyExistingEdgeData && !graph.multi && sourceData) {
    alreadyExistingEdgeData = undirected
      ? sourceData.undirected[target]
      : sourceData.out[target];
  }

  // Handling duplicates
  if (alreadyExistingEdgeData) {
    const info = [alreadyExistingEdgeData.key, false, false, false];

    // We can skip the attribute merging part if the user did not provide them
    if (asUpdater ? !updater : !attributes) return info;

    // Updating the attributes
    if (asUpdater) {
      const oldAttributes = alreadyExistingEdgeData.attributes;
      alreadyExistingEdgeData.attributes = updater(oldAttributes);

      graph.emit('edgeAttributesUpdated', {
        type: 'replace',
        key: alreadyExistingEdgeData.key,
        attributes: alreadyExistingEdgeData.attributes
      });
    }

    // Merging the attributes
    else {
      assign(alreadyExistingEdgeData.attributes, attributes);

      graph.emit('edgeAttributesUpdated', {
        type: 'merge',
        key: alreadyExistingEdgeData.key,
        attributes: alreadyExistingEdgeData.attributes,
        data: attributes
      });
    }

    return info;
  }

  attributes = attributes || {};

  if (asUpdater && updater) attributes = updater(attributes);

  // Must the graph generate an id for this edge?
  const eventData = {
    key: null,
    undirected,
    source,
    target,
    attributes
  };

  if (mustGenerateKey) {
    // NOTE: in this case we can guarantee that the key does not already
    // exist and is already correctly casted as a string
    edge = graph._edgeKeyGenerator();
  } else {
    // Coercion of edge key
    edge = '' + edge;

    // Here, we have a key collision
    if (graph._edges.has(edge))
      throw new UsageGraphError(
        `Graph.${name}: the "${edge}" edge already exists in the graph.`
      );
  }

  let sourceWasAdded = false;
  let targetWasAdded = false;

  if (!sourceData) {
    sourceData = unsafeAddNode(graph, source, {});
    sourceWasAdded = true;

    if (source === target) {
      targetData = sourceData;
      targetWasAdded = true;
    }
  }
  if (!targetData) {
    targetData = unsafeAddNode(graph, target, {});
    targetWasAdded = true;
  }

  // Storing some data
  edgeData = new EdgeData(undirected, edge, sourceData, targetData, attributes);

  // Adding the edge to the internal register
  graph._edges.set(edge, edgeData);

  // Incrementing node degree counters
  const isSelfLoop = source === target;

  if (undirected) {
    sourceData.undirectedDegree++;
    targetData.undirectedDegree++;

    if (isSelfLoop) {
      sourceData.undirectedLoops++;
      graph._undirectedSelfLoopCount++;
    }
  } else {
    sourceData.outDegree++;
    targetData.inDegree++;

    if (isSelfLoop) {
      sourceData.directedLoops++;
      graph._directedSelfLoopCount++;
    }
  }

  // Updating relevant index
  if (graph.multi) edgeData.attachMulti();
  else edgeData.attach();

  if (undirected) graph._undirectedSize++;
  else graph._directedSize++;

  // Emitting
  eventData.key = edge;

  graph.emit('edgeAdded', eventData);

  return [edge, true, sourceWasAdded, targetWasAdded];
}

/**
 * Internal method used to drop an edge.
 *
 * @param  {Graph}    graph    - Target graph.
 * @param  {EdgeData} edgeData - Data of the edge to drop.
 */
function dropEdgeFromData(graph, edgeData) {
  // Dropping the edge from the register
  graph._edges.delete(edgeData.key);

  // Updating related degrees
  const {source: sourceData, target: targetData, attributes} = edgeData;

  const undirected = edgeData.undirected;

  const isSelfLoop = sourceData === targetData;

  if (undirected) {
    sourceData.undirectedDegree--;
    targetData.undirectedDegree--;

    if (isSelfLoop) {
      sourceData.undirectedLoops--;
      graph._undirectedSelfLoopCount--;
    }
  } else {
    sourceData.outDegree--;
    targetData.inDegree--;

    if (isSelfLoop) {
      sourceData.directedLoops--;
      graph._directedSelfLoopCount--;
    }
  }

  // Clearing index
  if (graph.multi) edgeData.detachMulti();
  else edgeData.detach();

  if (undirected) graph._undirectedSize--;
  else graph._directedSize--;

  // Emitting
  graph.emit('edgeDropped', {
    key: edgeData.key,
    attributes,
    source: sourceData.key,
    target: targetData.key,
    undirected
  });
}

/**
 * Graph class
 *
 * @constructor
 * @param  {object}  [options] - Options:
 * @param  {boolean}   [allowSelfLoops] - Allow self loops?
 * @param  {string}    [type]           - Type of the graph.
 * @param  {boolean}   [map]            - Allow references as keys?
 * @param  {boolean}   [multi]          - Allow parallel edges?
 *
 * @throws {Error} - Will throw if the arguments are not valid.
 */
class Graph extends EventEmitter {
  constructor(options) {
    super();

    //-- Solving options
    options = assign({}, DEFAULTS, options);

    // Enforcing options validity
    if (typeof options.multi !== 'boolean')
      throw new InvalidArgumentsGraphError(
        `Graph.constructor: invalid 'multi' option. Expecting a boolean but got "${options.multi}".`
      );

    if (!TYPES.has(options.type))
      throw new InvalidArgumentsGraphError(
        `Graph.constructor: invalid 'type' option. Should be one of "mixed", "directed" or "undirected" but got "${options.type}".`
      );

    if (typeof options.allowSelfLoops !== 'boolean')
      throw new InvalidArgumentsGraphError(
        `Graph.constructor: invalid 'allowSelfLoops' option. Expecting a boolean but got "${options.allowSelfLoops}".`
      );

    //-- Private properties

    // Utilities
    const NodeDataClass =
      options.type === 'mixed'
        ? MixedNodeData
        : options.type === 'directed'
        ? DirectedNodeData
        : UndirectedNodeData;

    privateProperty(this, 'NodeDataClass', NodeDataClass);

    // Internal edge key generator

    // NOTE: this internal generator produce keys that are strings
    // composed of a weird prefix, an incremental instance id starting from
    // a random byte and finally an internal instance incremental id.
    // All this to avoid intra-frame and cross-frame adversarial inputs
    // that can force a single #.addEdge call to degenerate into a O(n)
    // available key search loop.

    // It also ensures that automatically generated edge keys are unlikely
    // to produce collisions with arbitrary keys given by users.
    const instancePrefix = 'geid_' + INSTANCE_ID() + '_';
    let edgeId = 0;

    const edgeKeyGenerator = () => {
      let availableEdgeKey;

      do {
        availableEdgeKey = instancePrefix + edgeId++;
      } while (this._edges.has(availableEdgeKey));

      return availableEdgeKey;
    };

    // Indexes
    privateProperty(this, '_attributes', {});
    privateProperty(this, '_nodes', new Map());
    privateProperty(this, '_edges', new Map());
    privateProperty(this, '_directedSize', 0);
    privateProperty(this, '_undirectedSize', 0);
    privateProperty(this, '_directedSelfLoopCount', 0);
    privateProperty(this, '_undirectedSelfLoopCount', 0);
    privateProperty(this, '_edgeKeyGenerator', edgeKeyGenerator);

    // Options
    privateProperty(this, '_options', options);

    // Emitter properties
    EMITTER_PROPS.forEach(prop => privateProperty(this, prop, this[prop]));

    //-- Properties readers
    readOnlyProperty(this, 'order', () => this._nodes.size);
    readOnlyProperty(this, 'size', () => this._edges.size);
    readOnlyProperty(this, 'directedSize', () => this._directedSize);
    readOnlyProperty(this, 'undirectedSize', () => this._undirectedSize);
    readOnlyProperty(
      this,
      'selfLoopCount',
      () => this._directedSelfLoopCount + this._undirectedSelfLoopCount
    );
    readOnlyProperty(
      this,
      'directedSelfLoopCount',
      () => this._directedSelfLoopCount
    );
    readOnlyProperty(
      this,
      'undirectedSelfLoopCount',
      () => this._undirectedSelfLoopCount
    );
    readOnlyProperty(this, 'multi', this._options.multi);
    readOnlyProperty(this, 'type', this._options.type);
    readOnlyProperty(this, 'allowSelfLoops', this._options.allowSelfLoops);
    readOnlyProperty(this, 'implementation', () => 'graphology');
  }

  _resetInstanceCounters() {
    this._directedSize = 0;
    this._undirectedSize = 0;
    this._directedSelfLoopCount = 0;
    this._undirectedSelfLoopCount = 0;
  }

  /**---------------------------------------------------------------------------
   * Read
   **---------------------------------------------------------------------------
   */

  /**
   * Method returning whether the given node is found in the graph.
   *
   * @param  {any}     node - The node.
   * @return {boolean}
   */
  hasNode(node) {
    return this._nodes.has('' + node);
  }

  /**
   * Method returning whether the given directed edge is found in the graph.
   *
   * Arity 1:
   * @param  {any}     edge - The edge's key.
   *
   * Arity 2:
   * @param  {any}     source - The edge's source.
   * @param  {any}     target - The edge's target.
   *
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the arguments are invalid.
   */
  hasDirectedEdge(source, target) {
    // Early termination
    if (this.type === 'undirected') return false;

    if (arguments.length === 1) {
      const edge = '' + source;

      const edgeData = this._edges.get(edge);

      return !!edgeData && !edgeData.undirected;
    } else if (arguments.length === 2) {
      source = '' + source;
      target = '' + target;

      // If the node source or the target is not in the graph we break
      const nodeData = this._nodes.get(source);

      if (!nodeData) return false;

      // Is there a directed edge pointing toward target?
      return nodeData.out.hasOwnProperty(target);
    }

    throw new InvalidArgumentsGraphError(
      `Graph.hasDirectedEdge: invalid arity (${arguments.length}, instead of 1 or 2). You can either ask for an edge id or for the existence of an edge between a source & a target.`
    );
  }

  /**
   * Method returning whether the given undirected edge is found in the graph.
   *
   * Arity 1:
   * @param  {any}     edge - The edge's key.
   *
   * Arity 2:
   * @param  {any}     source - The edge's source.
   * @param  {any}     target - The edge's target.
   *
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the arguments are invalid.
   */
  hasUndirectedEdge(source, target) {
    // Early termination
    if (this.type === 'directed') return false;

    if (arguments.length === 1) {
      const edge = '' + source;

      const edgeData = this._edges.get(edge);

      return !!edgeData && edgeData.undirected;
    } else if (arguments.length === 2) {
      source = '' + source;
      target = '' + target;

      // If the node source or the target is not in the graph we break
      const nodeData = this._nodes.get(source);

      if (!nodeData) return false;

      // Is there a directed edge pointing toward target?
      return nodeData.undirected.hasOwnProperty(target);
    }

    throw new InvalidArgumentsGraphError(
      `Graph.hasDirectedEdge: invalid arity (${arguments.length}, instead of 1 or 2). You can either ask for an edge id or for the existence of an edge between a source & a target.`
    );
  }

  /**
   * Method returning whether the given edge is found in the graph.
   *
   * Arity 1:
   * @param  {any}     edge - The edge's key.
   *
   * Arity 2:
   * @param  {any}     source - The edge's source.
   * @param  {any}     target - The edge's target.
   *
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the arguments are invalid.
   */
  hasEdge(source, target) {
    if (arguments.length === 1) {
      const edge = '' + source;

      return this._edges.has(edge);
    } else if (arguments.length === 2) {
      source = '' + source;
      target = '' + target;

      // If the node source or the target is not in the graph we break
      const nodeData = this._nodes.get(source);

      if (!nodeData) return false;

      // Is there a directed edge pointing toward target?
      return (
        (typeof nodeData.out !== 'undefined' &&
          nodeData.out.hasOwnProperty(target)) ||
        (typeof nodeData.undirected !== 'undefined' &&
          nodeData.undirected.hasOwnProperty(target))
      );
    }

    throw new InvalidArgumentsGraphError(
      `Graph.hasEdge: invalid arity (${arguments.length}, instead of 1 or 2). You can either ask for an edge id or for the existence of an edge between a source & a target.`
    );
  }

  /**
   * Method returning the edge matching source & target in a directed fashion.
   *
   * @param  {any} source - The edge's source.
   * @param  {any} target - The edge's target.
   *
   * @return {any|undefined}
   *
   * @throws {Error} - Will throw if the graph is multi.
   * @throws {Error} - Will throw if source or target doesn't exist.
   */
  directedEdge(source, target) {
    if (this.type === 'undirected') return;

    source = '' + source;
    target = '' + target;

    if (this.multi)
      throw new UsageGraphError(
        'Graph.directedEdge: this method is irrelevant with multigraphs since there might be multiple edges between source & target. See #.directedEdges instead.'
      );

    const sourceData = this._nodes.get(source);

    if (!sourceData)
      throw new NotFoundGraphError(
        `Graph.directedEdge: could not find the "${source}" source node in the graph.`
      );

    if (!this._nodes.has(target))
      throw new NotFoundGraphError(
        `Graph.directedEdge: could not find the "${target}" target node in the graph.`
      );

    const edgeData = (sourceData.out && sourceData.out[target]) || undefined;

    if (edgeData) return edgeData.key;
  }

  /**
   * Method returning the edge matching source & target in a undirected fashion.
   *
   * @param  {any} source - The edge's source.
   * @param  {any} target - The edge's target.
   *
   * @return {any|undefined}
   *
   * @throws {Error} - Will throw if the graph is multi.
   * @throws {Error} - Will throw if source or target doesn't exist.
   */
  undirectedEdge(source, target) {
    if (this.type === 'directed') return;

    source = '' + source;
    target = '' + target;

    if (this.multi)
      throw new UsageGraphError(
        'Graph.undirectedEdge: this method is irrelevant with multigraphs since there might be multiple edges between source & target. See #.undirectedEdges instead.'
      );

    const sourceData = this._nodes.get(source);

    if (!sourceData)
      throw new NotFoundGraphError(
        `Graph.undirectedEdge: could not find the "${source}" source node in the graph.`
      );

    if (!this._nodes.has(target))
      throw new NotFoundGraphError(
        `Graph.undirectedEdge: could not find the "${target}" target node in the graph.`
      );

    const edgeData =
      (sourceData.undirected && sourceData.undirected[target]) || undefined;

    if (edgeData) return edgeData.key;
  }

  /**
   * Method returning the edge matching source & target in a mixed fashion.
   *
   * @param  {any} source - The edge's source.
   * @param  {any} target - The edge's target.
   *
   * @return {any|undefined}
   *
   * @throws {Error} - Will throw if the graph is multi.
   * @throws {Error} - Will throw if source or target doesn't exist.
   */
  edge(source, target) {
    if (this.multi)
      throw new UsageGraphError(
        'Graph.edge: this method is irrelevant with multigraphs since there might be multiple edges between source & target. See #.edges instead.'
      );

    source = '' + source;
    target = '' + target;

    const sourceData = this._nodes.get(source);

    if (!sourceData)
      throw new NotFoundGraphError(
        `Graph.edge: could not find the "${source}" source node in the graph.`
      );

    if (!this._nodes.has(target))
      throw new NotFoundGraphError(
        `Graph.edge: could not find the "${target}" target node in the graph.`
      );

    const edgeData =
      (sourceData.out && sourceData.out[target]) ||
      (sourceData.undirected && sourceData.undirected[target]) ||
      undefined;

    if (edgeData) return edgeData.key;
  }

  /**
   * Method returning whether two nodes are directed neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areDirectedNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areDirectedNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return false;

    return neighbor in nodeData.in || neighbor in nodeData.out;
  }

  /**
   * Method returning whether two nodes are out neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areOutNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areOutNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return false;

    return neighbor in nodeData.out;
  }

  /**
   * Method returning whether two nodes are in neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areInNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areInNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return false;

    return neighbor in nodeData.in;
  }

  /**
   * Method returning whether two nodes are undirected neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areUndirectedNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areUndirectedNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'directed') return false;

    return neighbor in nodeData.undirected;
  }

  /**
   * Method returning whether two nodes are neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type !== 'undirected') {
      if (neighbor in nodeData.in || neighbor in nodeData.out) return true;
    }

    if (this.type !== 'directed') {
      if (neighbor in nodeData.undirected) return true;
    }

    return false;
  }

  /**
   * Method returning whether two nodes are inbound neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areInboundNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areInboundNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type !== 'undirected') {
      if (neighbor in nodeData.in) return true;
    }

    if (this.type !== 'directed') {
      if (neighbor in nodeData.undirected) return true;
    }

    return false;
  }

  /**
   * Method returning whether two nodes are outbound neighbors.
   *
   * @param  {any}     node     - The node's key.
   * @param  {any}     neighbor - The neighbor's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  areOutboundNeighbors(node, neighbor) {
    node = '' + node;
    neighbor = '' + neighbor;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.areOutboundNeighbors: could not find the "${node}" node in the graph.`
      );

    if (this.type !== 'undirected') {
      if (neighbor in nodeData.out) return true;
    }

    if (this.type !== 'directed') {
      if (neighbor in nodeData.undirected) return true;
    }

    return false;
  }

  /**
   * Method returning the given node's in degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  inDegree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.inDegree: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return 0;

    return nodeData.inDegree;
  }

  /**
   * Method returning the given node's out degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  outDegree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.outDegree: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return 0;

    return nodeData.outDegree;
  }

  /**
   * Method returning the given node's directed degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  directedDegree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.directedDegree: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return 0;

    return nodeData.inDegree + nodeData.outDegree;
  }

  /**
   * Method returning the given node's undirected degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  undirectedDegree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.undirectedDegree: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'directed') return 0;

    return nodeData.undirectedDegree;
  }

  /**
   * Method returning the given node's inbound degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's inbound degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  inboundDegree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.inboundDegree: could not find the "${node}" node in the graph.`
      );

    let degree = 0;

    if (this.type !== 'directed') {
      degree += nodeData.undirectedDegree;
    }

    if (this.type !== 'undirected') {
      degree += nodeData.inDegree;
    }

    return degree;
  }

  /**
   * Method returning the given node's outbound degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's outbound degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  outboundDegree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.outboundDegree: could not find the "${node}" node in the graph.`
      );

    let degree = 0;

    if (this.type !== 'directed') {
      degree += nodeData.undirectedDegree;
    }

    if (this.type !== 'undirected') {
      degree += nodeData.outDegree;
    }

    return degree;
  }

  /**
   * Method returning the given node's directed degree.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  degree(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.degree: could not find the "${node}" node in the graph.`
      );

    let degree = 0;

    if (this.type !== 'directed') {
      degree += nodeData.undirectedDegree;
    }

    if (this.type !== 'undirected') {
      degree += nodeData.inDegree + nodeData.outDegree;
    }

    return degree;
  }

  /**
   * Method returning the given node's in degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  inDegreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.inDegreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return 0;

    return nodeData.inDegree - nodeData.directedLoops;
  }

  /**
   * Method returning the given node's out degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  outDegreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.outDegreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return 0;

    return nodeData.outDegree - nodeData.directedLoops;
  }

  /**
   * Method returning the given node's directed degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  directedDegreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.directedDegreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'undirected') return 0;

    return nodeData.inDegree + nodeData.outDegree - nodeData.directedLoops * 2;
  }

  /**
   * Method returning the given node's undirected degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's in degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  undirectedDegreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.undirectedDegreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    if (this.type === 'directed') return 0;

    return nodeData.undirectedDegree - nodeData.undirectedLoops * 2;
  }

  /**
   * Method returning the given node's inbound degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's inbound degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  inboundDegreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.inboundDegreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    let degree = 0;
    let loops = 0;

    if (this.type !== 'directed') {
      degree += nodeData.undirectedDegree;
      loops += nodeData.undirectedLoops * 2;
    }

    if (this.type !== 'undirected') {
      degree += nodeData.inDegree;
      loops += nodeData.directedLoops;
    }

    return degree - loops;
  }

  /**
   * Method returning the given node's outbound degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's outbound degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  outboundDegreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.outboundDegreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    let degree = 0;
    let loops = 0;

    if (this.type !== 'directed') {
      degree += nodeData.undirectedDegree;
      loops += nodeData.undirectedLoops * 2;
    }

    if (this.type !== 'undirected') {
      degree += nodeData.outDegree;
      loops += nodeData.directedLoops;
    }

    return degree - loops;
  }

  /**
   * Method returning the given node's directed degree without considering self loops.
   *
   * @param  {any}     node - The node's key.
   * @return {number}       - The node's degree.
   *
   * @throws {Error} - Will throw if the node isn't in the graph.
   */
  degreeWithoutSelfLoops(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.degreeWithoutSelfLoops: could not find the "${node}" node in the graph.`
      );

    let degree = 0;
    let loops = 0;

    if (this.type !== 'directed') {
      degree += nodeData.undirectedDegree;
      loops += nodeData.undirectedLoops * 2;
    }

    if (this.type !== 'undirected') {
      degree += nodeData.inDegree + nodeData.outDegree;
      loops += nodeData.directedLoops * 2;
    }

    return degree - loops;
  }

  /**
   * Method returning the given edge's source.
   *
   * @param  {any} edge - The edge's key.
   * @return {any}      - The edge's source.
   *
   * @throws {Error} - Will throw if the edge isn't in the graph.
   */
  source(edge) {
    edge = '' + edge;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.source: could not find the "${edge}" edge in the graph.`
      );

    return data.source.key;
  }

  /**
   * Method returning the given edge's target.
   *
   * @param  {any} edge - The edge's key.
   * @return {any}      - The edge's target.
   *
   * @throws {Error} - Will throw if the edge isn't in the graph.
   */
  target(edge) {
    edge = '' + edge;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.target: could not find the "${edge}" edge in the graph.`
      );

    return data.target.key;
  }

  /**
   * Method returning the given edge's extremities.
   *
   * @param  {any}   edge - The edge's key.
   * @return {array}      - The edge's extremities.
   *
   * @throws {Error} - Will throw if the edge isn't in the graph.
   */
  extremities(edge) {
    edge = '' + edge;

    const edgeData = this._edges.get(edge);

    if (!edgeData)
      throw new NotFoundGraphError(
        `Graph.extremities: could not find the "${edge}" edge in the graph.`
      );

    return [edgeData.source.key, edgeData.target.key];
  }

  /**
   * Given a node & an edge, returns the other extremity of the edge.
   *
   * @param  {any}   node - The node's key.
   * @param  {any}   edge - The edge's key.
   * @return {any}        - The related node.
   *
   * @throws {Error} - Will throw if the edge isn't in the graph or if the
   *                   edge & node are not related.
   */
  opposite(node, edge) {
    node = '' + node;
    edge = '' + edge;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.opposite: could not find the "${edge}" edge in the graph.`
      );

    const source = data.source.key;
    const target = data.target.key;

    if (node === source) return target;
    if (node === target) return source;

    throw new NotFoundGraphError(
      `Graph.opposite: the "${node}" node is not attached to the "${edge}" edge (${source}, ${target}).`
    );
  }

  /**
   * Returns whether the given edge has the given node as extremity.
   *
   * @param  {any}     edge - The edge's key.
   * @param  {any}     node - The node's key.
   * @return {boolean}      - The related node.
   *
   * @throws {Error} - Will throw if either the node or the edge isn't in the graph.
   */
  hasExtremity(edge, node) {
    edge = '' + edge;
    node = '' + node;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.hasExtremity: could not find the "${edge}" edge in the graph.`
      );

    return data.source.key === node || data.target.key === node;
  }

  /**
   * Method returning whether the given edge is undirected.
   *
   * @param  {any}     edge - The edge's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the edge isn't in the graph.
   */
  isUndirected(edge) {
    edge = '' + edge;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.isUndirected: could not find the "${edge}" edge in the graph.`
      );

    return data.undirected;
  }

  /**
   * Method returning whether the given edge is directed.
   *
   * @param  {any}     edge - The edge's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the edge isn't in the graph.
   */
  isDirected(edge) {
    edge = '' + edge;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.isDirected: could not find the "${edge}" edge in the graph.`
      );

    return !data.undirected;
  }

  /**
   * Method returning whether the given edge is a self loop.
   *
   * @param  {any}     edge - The edge's key.
   * @return {boolean}
   *
   * @throws {Error} - Will throw if the edge isn't in the graph.
   */
  isSelfLoop(edge) {
    edge = '' + edge;

    const data = this._edges.get(edge);

    if (!data)
      throw new NotFoundGraphError(
        `Graph.isSelfLoop: could not find the "${edge}" edge in the graph.`
      );

    return data.source === data.target;
  }

  /**---------------------------------------------------------------------------
   * Mutation
   **---------------------------------------------------------------------------
   */

  /**
   * Method used to add a node to the graph.
   *
   * @param  {any}    node         - The node.
   * @param  {object} [attributes] - Optional attributes.
   * @return {any}                 - The node.
   *
   * @throws {Error} - Will throw if the given node already exist.
   * @throws {Error} - Will throw if the given attributes are not an object.
   */
  addNode(node, attributes) {
    const nodeData = addNode(this, node, attributes);

    return nodeData.key;
  }

  /**
   * Method used to merge a node into the graph.
   *
   * @param  {any}    node         - The node.
   * @param  {object} [attributes] - Optional attributes.
   * @return {any}                 - The node.
   */
  mergeNode(node, attributes) {
    if (attributes && !isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        `Graph.mergeNode: invalid attributes. Expecting an object but got "${attributes}"`
      );

    // String coercion
    node = '' + node;
    attributes = attributes || {};

    // If the node already exists, we merge the attributes
    let data = this._nodes.get(node);

    if (data) {
      if (attributes) {
        assign(data.attributes, attributes);

        this.emit('nodeAttributesUpdated', {
          type: 'merge',
          key: node,
          attributes: data.attributes,
          data: attributes
        });
      }
      return [node, false];
    }

    data = new this.NodeDataClass(node, attributes);

    // Adding the node to internal register
    this._nodes.set(node, data);

    // Emitting
    this.emit('nodeAdded', {
      key: node,
      attributes
    });

    return [node, true];
  }

  /**
   * Method used to add a node if it does not exist in the graph or else to
   * update its attributes using a function.
   *
   * @param  {any}      node      - The node.
   * @param  {function} [updater] - Optional updater function.
   * @return {any}                - The node.
   */
  updateNode(node, updater) {
    if (updater && typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        `Graph.updateNode: invalid updater function. Expecting a function but got "${updater}"`
      );

    // String coercion
    node = '' + node;

    // If the node already exists, we update the attributes
    let data = this._nodes.get(node);

    if (data) {
      if (updater) {
        const oldAttributes = data.attributes;
        data.attributes = updater(oldAttributes);

        this.emit('nodeAttributesUpdated', {
          type: 'replace',
          key: node,
          attributes: data.attributes
        });
      }
      return [node, false];
    }

    const attributes = updater ? updater({}) : {};

    data = new this.NodeDataClass(node, attributes);

    // Adding the node to internal register
    this._nodes.set(node, data);

    // Emitting
    this.emit('nodeAdded', {
      key: node,
      attributes
    });

    return [node, true];
  }

  /**
   * Method used to drop a single node & all its attached edges from the graph.
   *
   * @param  {any}    node - The node.
   * @return {Graph}
   *
   * @throws {Error} - Will throw if the node doesn't exist.
   */
  dropNode(node) {
    node = '' + node;

    const nodeData = this._nodes.get(node);

    if (!nodeData)
      throw new NotFoundGraphError(
        `Graph.dropNode: could not find the "${node}" node in the graph.`
      );

    let edgeData;

    // Removing attached edges
    // NOTE: we could be faster here, but this is such a pain to maintain
    if (this.type !== 'undirected') {
      for (const neighbor in nodeData.out) {
        edgeData = nodeData.out[neighbor];

        do {
          dropEdgeFromData(this, edgeData);
          edgeData = edgeData.next;
        } while (edgeData);
      }

      for (const neighbor in nodeData.in) {
        edgeData = nodeData.in[neighbor];

        do {
          dropEdgeFromData(this, edgeData);
          edgeData = edgeData.next;
        } while (edgeData);
      }
    }

    if (this.type !== 'directed') {
      for (const neighbor in nodeData.undirected) {
        edgeData = nodeData.undirected[neighbor];

        do {
          dropEdgeFromData(this, edgeData);
          edgeData = edgeData.next;
        } while (edgeData);
      }
    }

    // Dropping the node from the register
    this._nodes.delete(node);

    // Emitting
    this.emit('nodeDropped', {
      key: node,
      attributes: nodeData.attributes
    });
  }

  /**
   * Method used to drop a single edge from the graph.
   *
   * Arity 1:
   * @param  {any}    edge - The edge.
   *
   * Arity 2:
   * @param  {any}    source - Source node.
   * @param  {any}    target - Target node.
   *
   * @return {Graph}
   *
   * @throws {Error} - Will throw if the edge doesn't exist.
   */
  dropEdge(edge) {
    let edgeData;

    if (arguments.length > 1) {
      const source = '' + arguments[0];
      const target = '' + arguments[1];

      edgeData = getMatchingEdge(this, source, target, this.type);

      if (!edgeData)
        throw new NotFoundGraphError(
          `Graph.dropEdge: could not find the "${source}" -> "${target}" edge in the graph.`
        );
    } else {
      edge = '' + edge;

      edgeData = this._edges.get(edge);

      if (!edgeData)
        throw new NotFoundGraphError(
          `Graph.dropEdge: could not find the "${edge}" edge in the graph.`
        );
    }

    dropEdgeFromData(this, edgeData);

    return this;
  }

  /**
   * Method used to drop a single directed edge from the graph.
   *
   * @param  {any}    source - Source node.
   * @param  {any}    target - Target node.
   *
   * @return {Graph}
   *
   * @throws {Error} - Will throw if the edge doesn't exist.
   */
  dropDirectedEdge(source, target) {
    if (arguments.length < 2)
      throw new UsageGraphError(
        'Graph.dropDirectedEdge: it does not make sense to try and drop a directed edge by key. What if the edge with this key is undirected? Use #.dropEdge for this purpose instead.'
      );

    if (this.multi)
      throw new UsageGraphError(
        'Graph.dropDirectedEdge: cannot use a {source,target} combo when dropping an edge in a MultiGraph since we cannot infer the one you want to delete as there could be multiple ones.'
      );

    source = '' + source;
    target = '' + target;

    const edgeData = getMatchingEdge(this, source, target, 'directed');

    if (!edgeData)
      throw new NotFoundGraphError(
        `Graph.dropDirectedEdge: could not find a "${source}" -> "${target}" edge in the graph.`
      );

    dropEdgeFromData(this, edgeData);

    return this;
  }

  /**
   * Method used to drop a single undirected edge from the graph.
   *
   * @param  {any}    source - Source node.
   * @param  {any}    target - Target node.
   *
   * @return {Graph}
   *
   * @throws {Error} - Will throw if the edge doesn't exist.
   */
  dropUndirectedEdge(source, target) {
    if (arguments.length < 2)
      throw new UsageGraphError(
        'Graph.dropUndirectedEdge: it does not make sense to drop a directed edge by key. What if the edge with this key is undirected? Use #.dropEdge for this purpose instead.'
      );

    if (this.multi)
      throw new UsageGraphError(
        'Graph.dropUndirectedEdge: cannot use a {source,target} combo when dropping an edge in a MultiGraph since we cannot infer the one you want to delete as there could be multiple ones.'
      );

    const edgeData = getMatchingEdge(this, source, target, 'undirected');

    if (!edgeData)
      throw new NotFoundGraphError(
        `Graph.dropUndirectedEdge: could not find a "${source}" -> "${target}" edge in the graph.`
      );

    dropEdgeFromData(this, edgeData);

    return this;
  }

  /**
   * Method used to remove every edge & every node from the graph.
   *
   * @return {Graph}
   */
  clear() {
    // Clearing edges
    this._edges.clear();

    // Clearing nodes
    this._nodes.clear();

    // Reset counters
    this._resetInstanceCounters();

    // Emitting
    this.emit('cleared');
  }

  /**
   * Method used to remove every edge from the graph.
   *
   * @return {Graph}
   */
  clearEdges() {
    // Clearing structure index
    const iterator = this._nodes.values();

    let step;

    while (((step = iterator.next()), step.done !== true)) {
      step.value.clear();
    }

    // Clearing edges
    this._edges.clear();

    // Reset counters
    this._resetInstanceCounters();

    // Emitting
    this.emit('edgesCleared');
  }

  /**---------------------------------------------------------------------------
   * Attributes-related methods
   **---------------------------------------------------------------------------
   */

  /**
   * Method returning the desired graph's attribute.
   *
   * @param  {string} name - Name of the attribute.
   * @return {any}
   */
  getAttribute(name) {
    return this._attributes[name];
  }

  /**
   * Method returning the graph's attributes.
   *
   * @return {object}
   */
  getAttributes() {
    return this._attributes;
  }

  /**
   * Method returning whether the graph has the desired attribute.
   *
   * @param  {string}  name - Name of the attribute.
   * @return {boolean}
   */
  hasAttribute(name) {
    return this._attributes.hasOwnProperty(name);
  }

  /**
   * Method setting a value for the desired graph's attribute.
   *
   * @param  {string}  name  - Name of the attribute.
   * @param  {any}     value - Value for the attribute.
   * @return {Graph}
   */
  setAttribute(name, value) {
    this._attributes[name] = value;

    // Emitting
    this.emit('attributesUpdated', {
      type: 'set',
      attributes: this._attributes,
      name
    });

    return this;
  }

  /**
   * Method using a function to update the desired graph's attribute's value.
   *
   * @param  {string}   name    - Name of the attribute.
   * @param  {function} updater - Function use to update the attribute's value.
   * @return {Graph}
   */
  updateAttribute(name, updater) {
    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.updateAttribute: updater should be a function.'
      );

    const value = this._attributes[name];

    this._attributes[name] = updater(value);

    // Emitting
    this.emit('attributesUpdated', {
      type: 'set',
      attributes: this._attributes,
      name
    });

    return this;
  }

  /**
   * Method removing the desired graph's attribute.
   *
   * @param  {string} name  - Name of the attribute.
   * @return {Graph}
   */
  removeAttribute(name) {
    delete this._attributes[name];

    // Emitting
    this.emit('attributesUpdated', {
      type: 'remove',
      attributes: this._attributes,
      name
    });

    return this;
  }

  /**
   * Method replacing the graph's attributes.
   *
   * @param  {object} attributes - New attributes.
   * @return {Graph}
   *
   * @throws {Error} - Will throw if given attributes are not a plain object.
   */
  replaceAttributes(attributes) {
    if (!isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        'Graph.replaceAttributes: provided attributes are not a plain object.'
      );

    this._attributes = attributes;

    // Emitting
    this.emit('attributesUpdated', {
      type: 'replace',
      attributes: this._attributes
    });

    return this;
  }

  /**
   * Method merging the graph's attributes.
   *
   * @param  {object} attributes - Attributes to merge.
   * @return {Graph}
   *
   * @throws {Error} - Will throw if given attributes are not a plain object.
   */
  mergeAttributes(attributes) {
    if (!isPlainObject(attributes))
      throw new InvalidArgumentsGraphError(
        'Graph.mergeAttributes: provided attributes are not a plain object.'
      );

    assign(this._attributes, attributes);

    // Emitting
    this.emit('attributesUpdated', {
      type: 'merge',
      attributes: this._attributes,
      data: attributes
    });

    return this;
  }

  /**
   * Method updating the graph's attributes.
   *
   * @param  {function} updater - Function used to update the attributes.
   * @return {Graph}
   *
   * @throws {Error} - Will throw if given updater is not a function.
   */
  updateAttributes(updater) {
    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.updateAttributes: provided updater is not a function.'
      );

    this._attributes = updater(this._attributes);

    // Emitting
    this.emit('attributesUpdated', {
      type: 'update',
      attributes: this._attributes
    });

    return this;
  }

  /**
   * Method used to update each node's attributes using the given function.
   *
   * @param {function}  updater - Updater function to use.
   * @param {object}    [hints] - Optional hints.
   */
  updateEachNodeAttributes(updater, hints) {
    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.updateEachNodeAttributes: expecting an updater function.'
      );

    if (hints && !validateHints(hints))
      throw new InvalidArgumentsGraphError(
        'Graph.updateEachNodeAttributes: invalid hints. Expecting an object having the following shape: {attributes?: [string]}'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;
      nodeData.attributes = updater(nodeData.key, nodeData.attributes);
    }

    this.emit('eachNodeAttributesUpdated', {
      hints: hints ? hints : null
    });
  }

  /**
   * Method used to update each edge's attributes using the given function.
   *
   * @param {function}  updater - Updater function to use.
   * @param {object}    [hints] - Optional hints.
   */
  updateEachEdgeAttributes(updater, hints) {
    if (typeof updater !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.updateEachEdgeAttributes: expecting an updater function.'
      );

    if (hints && !validateHints(hints))
      throw new InvalidArgumentsGraphError(
        'Graph.updateEachEdgeAttributes: invalid hints. Expecting an object having the following shape: {attributes?: [string]}'
      );

    const iterator = this._edges.values();

    let step, edgeData, sourceData, targetData;

    while (((step = iterator.next()), step.done !== true)) {
      edgeData = step.value;
      sourceData = edgeData.source;
      targetData = edgeData.target;

      edgeData.attributes = updater(
        edgeData.key,
        edgeData.attributes,
        sourceData.key,
        targetData.key,
        sourceData.attributes,
        targetData.attributes,
        edgeData.undirected
      );
    }

    this.emit('eachEdgeAttributesUpdated', {
      hints: hints ? hints : null
    });
  }

  /**---------------------------------------------------------------------------
   * Iteration-related methods
   **---------------------------------------------------------------------------
   */

  /**
   * Method iterating over the graph's adjacency using the given callback.
   *
   * @param  {function}  callback - Callback to use.
   */
  forEachAdjacencyEntry(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.forEachAdjacencyEntry: expecting a callback.'
      );

    forEachAdjacency(false, false, false, this, callback);
  }
  forEachAdjacencyEntryWithOrphans(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.forEachAdjacencyEntryWithOrphans: expecting a callback.'
      );

    forEachAdjacency(false, false, true, this, callback);
  }

  /**
   * Method iterating over the graph's assymetric adjacency using the given callback.
   *
   * @param  {function}  callback - Callback to use.
   */
  forEachAssymetricAdjacencyEntry(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.forEachAssymetricAdjacencyEntry: expecting a callback.'
      );

    forEachAdjacency(false, true, false, this, callback);
  }
  forEachAssymetricAdjacencyEntryWithOrphans(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.forEachAssymetricAdjacencyEntryWithOrphans: expecting a callback.'
      );

    forEachAdjacency(false, true, true, this, callback);
  }

  /**
   * Method returning the list of the graph's nodes.
   *
   * @return {array} - The nodes.
   */
  nodes() {
    return Array.from(this._nodes.keys());
  }

  /**
   * Method iterating over the graph's nodes using the given callback.
   *
   * @param  {function}  callback - Callback (key, attributes, index).
   */
  forEachNode(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.forEachNode: expecting a callback.'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;
      callback(nodeData.key, nodeData.attributes);
    }
  }

  /**
   * Method iterating attempting to find a node matching the given predicate
   * function.
   *
   * @param  {function}  callback - Callback (key, attributes).
   */
  findNode(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.findNode: expecting a callback.'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;

      if (callback(nodeData.key, nodeData.attributes)) return nodeData.key;
    }

    return;
  }

  /**
   * Method mapping nodes.
   *
   * @param  {function}  callback - Callback (key, attributes).
   */
  mapNodes(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.mapNode: expecting a callback.'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    const result = new Array(this.order);
    let i = 0;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;
      result[i++] = callback(nodeData.key, nodeData.attributes);
    }

    return result;
  }

  /**
   * Method returning whether some node verify the given predicate.
   *
   * @param  {function}  callback - Callback (key, attributes).
   */
  someNode(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.someNode: expecting a callback.'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;

      if (callback(nodeData.key, nodeData.attributes)) return true;
    }

    return false;
  }

  /**
   * Method returning whether all node verify the given predicate.
   *
   * @param  {function}  callback - Callback (key, attributes).
   */
  everyNode(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.everyNode: expecting a callback.'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;

      if (!callback(nodeData.key, nodeData.attributes)) return false;
    }

    return true;
  }

  /**
   * Method filtering nodes.
   *
   * @param  {function}  callback - Callback (key, attributes).
   */
  filterNodes(callback) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.filterNodes: expecting a callback.'
      );

    const iterator = this._nodes.values();

    let step, nodeData;

    const result = [];

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;

      if (callback(nodeData.key, nodeData.attributes))
        result.push(nodeData.key);
    }

    return result;
  }

  /**
   * Method reducing nodes.
   *
   * @param  {function}  callback - Callback (accumulator, key, attributes).
   */
  reduceNodes(callback, initialValue) {
    if (typeof callback !== 'function')
      throw new InvalidArgumentsGraphError(
        'Graph.reduceNodes: expecting a callback.'
      );

    if (arguments.length < 2)
      throw new InvalidArgumentsGraphError(
        'Graph.reduceNodes: missing initial value. You must provide it because the callback takes more than one argument and we cannot infer the initial value from the first iteration, as you could with a simple array.'
      );

    let accumulator = initialValue;

    const iterator = this._nodes.values();

    let step, nodeData;

    while (((step = iterator.next()), step.done !== true)) {
      nodeData = step.value;
      accumulator = callback(accumulator, nodeData.key, nodeData.attributes);
    }

    return accumulator;
  }

  /**
   * Method returning an iterator over the graph's node entries.
   *
   * @return {Iterator}
   */
  nodeEntries() {
    const iterator = this._nodes.values();

    return {
      [Symbol.iterator]() {
        return this;
      },
      next() {
        const step = iterator.next();
        if (step.done) return step;
        const data = step.value;
        return {
          value: {node: data.key, attributes: data.attributes},
          done: false
        };
      }
    };
  }

  /**---------------------------------------------------------------------------
   * Serialization
   **---------------------------------------------------------------------------
   */

  /**
   * Method used to export the whole graph.
   *
   * @return {object} - The serialized graph.
   */
  export() {
    const nodes = new Array(this._nodes.size);

    let i = 0;

    this._nodes.forEach((data, key) => {
      nodes[i++] = serializeNode(key, data);
    });

    const edges = new Array(this._edges.size);

    i = 0;

    this._edges.forEach((data, key) => {
      edges[i++] = serializeEdge(this.type, key, data);
    });

    return {
      options: {
        type: this.type,
        multi: this.multi,
        allowSelfLoops: this.allowSelfLoops
      },
      attributes: this.getAttributes(),
      nodes,
      edges
    };
  }

  /**
   * Method used to import a serialized graph.
   *
   * @param  {object|Graph} data  - The serialized graph.
   * @param  {boolean}      merge - Whether to merge data.
   * @return {Graph}              - Returns itself for chaining.
   */
  import(data, merge = false) {
    // Importing a Graph instance directly
    if (data instanceof Graph) {
      // Nodes
      data.forEachNode((n, a) => {
        if (merge) this.mergeNode(n, a);
        else this.addNode(n, a);
      });

      // Edges
      data.forEachEdge((e, a, s, t, _sa, _ta, u) => {
        if (merge) {
          if (u) this.mergeUndirectedEdgeWithKey(e, s, t, a);
          else this.mergeDirectedEdgeWithKey(e, s, t, a);
        } else {
          if (u) this.addUndirectedEdgeWithKey(e, s, t, a);
          else this.addDirectedEdgeWithKey(e, s, t, a);
        }
      });

      return this;
    }

    // Importing a serialized graph
    if (!isPlainObject(data))
      throw new InvalidArgumentsGraphError(
        'Graph.import: invalid argument. Expecting a serialized graph or, alternatively, a Graph instance.'
      );

    if (data.attributes) {
      if (!isPlainObject(data.attributes))
        throw new InvalidArgumentsGraphError(
          'Graph.import: invalid attributes. Expecting a plain object.'
        );

      if (merge) this.mergeAttributes(data.attributes);
      else this.replaceAttributes(data.attributes);
    }

    let i, l, list, node, edge;

    if (data.nodes) {
      list = data.nodes;

      if (!Array.isArray(list))
        throw new InvalidArgumentsGraphError(
          'Graph.import: invalid nodes. Expecting an array.'
        );

      for (i = 0, l = list.length; i < l; i++) {
        node = list[i];

        // Validating
        validateSerializedNode(node);

        // Adding the node
        const {key, attributes} = node;

        if (merge) this.mergeNode(key, attributes);
        else this.addNode(key, attributes);
      }
    }

    if (data.edges) {
      let undirectedByDefault = false;

      if (this.type === 'undirected') {
        undirectedByDefault = true;
      }

      list = data.edges;

      if (!Array.isArray(list))
        throw new InvalidArgumentsGraphError(
          'Graph.import: invalid edges. Expecting an array.'
        );

      for (i = 0, l = list.length; i < l; i++) {
        edge = list[i];

        // Validating
        validateSerializedEdge(edge);

        // Adding the edge
        const {
          source,
          target,
          attributes,
          undirected = undirectedByDefault
        } = edge;

        let method;

        if ('key' in edge) {
          method = merge
            ? undirected
              ? this.mergeUndirectedEdgeWithKey
              : this.mergeDirectedEdgeWithKey
            : undirected
            ? this.addUndirectedEdgeWithKey
            : this.addDirectedEdgeWithKey;

          method.call(this, edge.key, source, target, attributes);
        } else {
          method = merge
            ? undirected
              ? this.mergeUndirectedEdge
              : this.mergeDirectedEdge
            : undirected
            ? this.addUndirectedEdge
            : this.addDirectedEdge;

          method.call(this, source, target, attributes);
        }
      }
    }

    return this;
  }

  /**---------------------------------------------------------------------------
   * Utils
   **---------------------------------------------------------------------------
   */

  /**
   * Method returning a null copy of the graph, i.e. a graph without nodes
   * & edges but with the exact same options.
   *
   * @param  {object} options - Options to merge with the current ones.
   * @return {Graph}          - The null copy.
   */
  nullCopy(options) {
    const graph = new Graph(assign({}, this._options, options));
    graph.replaceAttributes(assign({}, this.getAttributes()));
    return graph;
  }

  /**
   * Method returning an empty copy of the graph, i.e. a graph without edges but
   * with the exact same options.
   *
   * @param  {object} options - Options to merge with the current ones.
   * @return {Graph}          - The empty copy.
   */
  emptyCopy(options) {
    const graph = this.nullCopy(options);

    this._nodes.forEach((nodeData, key) => {
      const attributes = assign({}, nodeData.attributes);

      // NOTE: no need to emit events since user cannot access the instance yet
      nodeData = new graph.NodeDataClass(key, attributes);
      graph._nodes.set(key, nodeData);
    });

    return graph;
  }

  /**
   * Method returning an exact copy of the graph.
   *
   * @param  {object} options - Upgrade options.
   * @return {Graph}          - The copy.
   */
  copy(options) {
    options = options || {};

    if (
      typeof options.type === 'string' &&
      options.type !== this.type &&
      options.type !== 'mixed'
    )
      throw new UsageGraphError(
        `Graph.copy: cannot create an incompatible copy from "${this.type}" type to "${options.type}" because this would mean losing information about the current graph.`
      );

    if (
      typeof options.multi === 'boolean' &&
      options.multi !== this.multi &&
      options.multi !== true
    )
      throw new UsageGraphError(
        'Graph.copy: cannot create an incompatible copy by downgrading a multi graph to a simple one because this would mean losing information about the current graph.'
      );

    if (
      typeof options.allowSelfLoops === 'boolean' &&
      options.allowSelfLoops !== this.allowSelfLoops &&
      options.allowSelfLoops !== true
    )
      throw new UsageGraphError(
        'Graph.copy: cannot create an incompatible copy from a graph allowing self loops to one that does not because this would mean losing information about the current graph.'
      );

    const graph = this.emptyCopy(options);

    const iterator = this._edges.values();

    let step, edgeData;

    while (((step = iterator.next()), step.done !== true)) {
      edgeData = step.value;

      // NOTE: no need to emit events since user cannot access the instance yet
      addEdge(
        graph,
        'copy',
        false,
        edgeData.undirected,
        edgeData.key,
        edgeData.source.key,
        edgeData.target.key,
        assign({}, edgeData.attributes)
      );
    }

    return graph;
  }

  /**---------------------------------------------------------------------------
   * Known methods
   **---------------------------------------------------------------------------
   */

  /**
   * Method used by JavaScript to perform JSON serialization.
   *
   * @return {object} - The serialized graph.
   */
  toJSON() {
    return this.export();
  }

  /**
   * Method returning [object Graph].
   */
  toString() {
    return '[object Graph]';
  }

  /**
   * Method used internally by node's console to display a custom object.
   *
   * @return {object} - Formatted object representation of the graph.
   */
  inspect() {
    const nodes = {};
    this._nodes.forEach((data, key) => {
      nodes[key] = data.attributes;
    });

    const edges = {},
      multiIndex = {};

    this._edges.forEach((data, key) => {
      const direction = data.undirected ? '--' : '->';

      let label = '';

      let source = data.source.key;
      let target = data.target.key;
      let tmp;

      if (data.undirected && source > target) {
        tmp = source;
        source = target;
        target = tmp;
      }

      const desc = `(${source})${direction}(${target})`;

      if (!key.startsWith('geid_')) {
        label += `[${key}]: `;
      } else if (this.multi) {
        if (typeof multiIndex[desc] === 'undefined') {
          multiIndex[desc] = 0;
        } else {
          multiIndex[desc]++;
        }

        label += `${multiIndex[desc]}. `;
      }

      label += desc;

      edges[label] = data.attributes;
    });

    const dummy = {};

    for (const k in this) {
      if (
        this.hasOwnProperty(k) &&
        !EMITTER_PROPS.has(k) &&
        typeof this[k] !== 'function' &&
        typeof k !== 'symbol'
      )
        dummy[k] = this[k];
    }

    dummy.attributes = this._attributes;
    dummy.nodes = nodes;
    dummy.edges = edges;

    privateProperty(dummy, 'constructor', this.constructor);

    return dummy;
  }
}

/**
 * Attaching methods to the prototype.
 *
 * Here, we are attaching a wide variety of methods to the Graph class'
 * prototype when those are very numerous and when their creation is
 * abstracted.
 */

/**
 * Attaching custom inspect method for node >= 10.
 */
if (typeof Symbol !== 'undefined')
  Graph.prototype[Symbol.for('nodejs.util.inspect.custom')] =
    Graph.prototype.inspect;

/**
 * Related to edge addition.
 */
EDGE_ADD_METHODS.forEach(method => {
  ['add', 'merge', 'update'].forEach(verb => {
    const name = method.name(verb);
    const fn = verb === 'add' ? addEdge : mergeEdge;

    if (method.generateKey) {
      Graph.prototype[name] = function (source, target, attributes) {
        return fn(
          this,
          name,
          true,
          (method.type || this.type) === 'undirected',
          null,
          source,
          target,
          attributes,
          verb === 'update'
        );
      };
    } else {
      Graph.prototype[name] = function (edge, source, target, attributes) {
        return fn(
          this,
          name,
          false,
          (method.type || this.type) === 'undirected',
          edge,
          source,
          target,
          attributes,
          verb === 'update'
        );
      };
    }
  });
});

/**
 * Attributes-related.
 */
attachNodeAttributesMethods(Graph);
attachEdgeAttributesMethods(Graph);

/**
 * Edge iteration-related.
 */
attachEdgeIterationMethods(Graph);

/**
 * Neighbor iteration-related.
 */
attachNeighborIterationMethods(Graph);

/**
 * Graphology Helper Classes
 * ==========================
 *
 * Building some higher-order classes instantiating the graph with
 * predefinite options.
 */

/**
 * Alternative constructors.
 */
class DirectedGraph extends Graph {
  constructor(options) {
    const finalOptions = assign({type: 'directed'}, options);

    if ('multi' in finalOptions && finalOptions.multi !== false)
      throw new InvalidArgumentsGraphError(
        'DirectedGraph.from: inconsistent indication that the graph should be multi in given options!'
      );

    if (finalOptions.type !== 'directed')
      throw new InvalidArgumentsGraphError(
        'DirectedGraph.from: inconsistent "' +
          finalOptions.type +
          '" type in given options!'
      );

    super(finalOptions);
  }
}
class UndirectedGraph extends Graph {
  constructor(options) {
    const finalOptions = assign({type: 'undirected'}, options);

    if ('multi' in finalOptions && finalOptions.multi !== false)
      throw new InvalidArgumentsGraphError(
        'UndirectedGraph.from: inconsistent indication that the graph should be multi in given options!'
      );

    if (finalOptions.type !== 'undirected')
      throw new InvalidArgumentsGraphError(
        'UndirectedGraph.from: inconsistent "' +
          finalOptions.type +
          '" type in given options!'
      );

    super(finalOptions);
  }
}
class MultiGraph extends Graph {
  constructor(options) {
    const finalOptions = assign({multi: true}, options);

    if ('multi' in finalOptions && finalOptions.multi !== true)
      throw new InvalidArgumentsGraphError(
        'MultiGraph.from: inconsistent indication that the graph should be simple in given options!'
      );

    super(finalOptions);
  }
}
class MultiDirectedGraph extends Graph {
  constructor(options) {
    const finalOptions = assign({type: 'directed', multi: true}, options);

    if ('multi' in finalOptions && finalOptions.multi !== true)
      throw new InvalidArgumentsGraphError(
        'MultiDirectedGraph.from: inconsistent indication that the graph should be simple in given options!'
      );

    if (finalOptions.type !== 'directed')
      throw new InvalidArgumentsGraphError(
        'MultiDirectedGraph.from: inconsistent "' +
          finalOptions.type +
          '" type in given options!'
      );

    super(finalOptions);
  }
}
class MultiUndirectedGraph extends Graph {
  constructor(options) {
    const finalOptions = assign({type: 'undirected', multi: true}, options);

    if ('multi' in finalOptions && finalOptions.multi !== true)
      throw new InvalidArgumentsGraphError(
        'MultiUndirectedGraph.from: inconsistent indication that the graph should be simple in given options!'
      );

    if (finalOptions.type !== 'undirected')
      throw new InvalidArgumentsGraphError(
        'MultiUndirectedGraph.from: inconsistent "' +
          finalOptions.type +
          '" type in given options!'
      );

    super(finalOptions);
  }
}

/**
 * Attaching static #.from method to each of the constructors.
 */
function attachStaticFromMethod(Class) {
  /**
   * Builds a graph from serialized data or another graph's data.
   *
   * @param  {Graph|SerializedGraph} data      - Hydratation data.
   * @param  {object}                [options] - Options.
   * @return {Class}
   */
  Class.from = function (data, options) {
    // Merging given options with serialized ones
    const finalOptions = assign({}, data.options, options);

    const instance = new Class(finalOptions);
    instance.import(data);

    return instance;
  };
}

attachStaticFromMethod(Graph);
attachStaticFromMethod(DirectedGraph);
attachStaticFromMethod(UndirectedGraph);
attachStaticFromMethod(MultiGraph);
attachStaticFromMethod(MultiDirectedGraph);
attachStaticFromMethod(MultiUndirectedGraph);

Graph.Graph = Graph;
Graph.DirectedGraph = DirectedGraph;
Graph.UndirectedGraph = UndirectedGraph;
Graph.MultiGraph = MultiGraph;
Graph.MultiDirectedGraph = MultiDirectedGraph;
Graph.MultiUndirectedGraph = MultiUndirectedGraph;

Graph.InvalidArgumentsGraphError = InvalidArgumentsGraphError;
Graph.NotFoundGraphError = NotFoundGraphError;
Graph.UsageGraphError = UsageGraphError;

/** Dataflow records → a graphology graph. */
const NODE_KINDS = new Set(['file', 'directory', 'pipe', 'socketpair', 'endpoint', 'device']);
/**
 * Every image becomes a program node, every object that was accessed an object node;
 * accesses, spawns and file operations become edges. The horizon and sockets that
 * never connected are left out: nothing flows through them that the build owns.
 */
function buildGraph(flow) {
    const g = new MultiDirectedGraph();
    for (const im of flow.images) {
        g.addNode(imageKey(im.id), {
            kind: 'program',
            image: im.id,
            origin: im.origin,
            exe: im.exe,
            argv: im.argv,
            cwd: im.cwd,
            pid: im.pid,
            start: im.start,
            end: im.end,
            exitCode: im.exitCode,
            signal: im.signal,
            ...(im.untraced ? { untraced: im.untraced } : {}),
        });
    }
    for (const im of flow.images) {
        if (im.parent !== undefined) {
            g.addDirectedEdge(imageKey(im.parent), imageKey(im.id), { kind: 'spawn', since: im.start, until: im.start, via: im.via });
        }
    }
    const ensure = (id) => {
        const key = objectKey(id);
        if (g.hasNode(key))
            return key;
        const o = flow.objects[id];
        if (!o || !NODE_KINDS.has(o.kind))
            return undefined;
        g.addNode(key, {
            kind: o.kind,
            object: o.id,
            path: o.path,
            names: [...o.names],
            existedBefore: o.existedBefore,
            detached: o.detached,
            ...(o.result === undefined ? {} : { result: o.result }),
        });
        return key;
    };
    for (const a of flow.accesses) {
        const obj = ensure(a.object);
        if (!obj)
            continue;
        const img = imageKey(a.image);
        if (a.mode === 'write' || a.mode === 'connect')
            g.addDirectedEdge(img, obj, { kind: a.mode, since: a.since, until: a.until });
        else
            g.addDirectedEdge(obj, img, { kind: a.mode, since: a.since, until: a.until });
    }
    for (const op of flow.operations) {
        if (op.object === undefined || (op.kind !== 'rename' && op.kind !== 'unlink'))
            continue;
        const obj = ensure(op.object);
        if (obj)
            g.addDirectedEdge(imageKey(op.image), obj, { kind: op.kind === 'rename' ? 'rename' : 'delete', since: op.seq, until: op.seq });
    }
    return g;
}

/**
 * The sets at the horizon (DESIGN §1.4): inputs, outputs, temporaries, programs and
 * endpoints, read off the graph.
 */
const DEFAULT_TMP_ROOTS = ['/tmp', '/var/tmp', '/dev/shm'];
/** Process introspection: different in every run, and not something the build consumes. */
const SELF_PROC = /^\/proc\/(self|thread-self|\d+)(\/|$)/;
/** Kernel pseudo-files are never outputs. */
const PSEUDO = /^\/(proc|sys|dev)(\/|$)/;
function isTemporaryPath(path, opts) {
    if (opts.workspace && isUnder(path, opts.workspace))
        return false;
    return (opts.tmpRoots ?? DEFAULT_TMP_ROOTS).some((root) => isUnder(path, root));
}
function written(g, key) {
    return g.someInEdge(key, (_e, a) => a.kind === 'write');
}
function read(g, key) {
    return g.someOutEdge(key, (_e, a) => a.kind === 'read' || a.kind === 'exec');
}
const byPath = (g) => (a, b) => {
    const pa = g.getNodeAttributes(a).path;
    const pb = g.getNodeAttributes(b).path;
    return pa < pb ? -1 : pa > pb ? 1 : a < b ? -1 : 1;
};
/**
 * Whether an image changed anything but pipes and devices: wrote, renamed or deleted a
 * file, or tried an endpoint. `passedOn`: what it holds for writing only because it
 * hands it on (a standard output redirected to a file, held by the program it execs).
 */
function acts(g, key, passedOn = new Set()) {
    return g.someOutEdge(key, (_e, a, _s, target) => {
        if (a.kind === 'connect')
            return true;
        if (a.kind !== 'write' && a.kind !== 'rename' && a.kind !== 'delete')
            return false;
        const t = g.getNodeAttributes(target);
        if (a.kind === 'write' && passedOn.has(target))
            return false;
        return t.kind === 'file' || t.kind === 'directory' || t.kind === 'endpoint';
    });
}
/** The objects an image holds for writing. */
function writes(g, key) {
    const out = new Set();
    g.forEachOutEdge(key, (_e, a, _s, t) => void (a.kind === 'write' && out.add(t)));
    return out;
}
/**
 * Wrappers: images whose process went on as another program (they exec'd it) and that,
 * with every helper they started, changed nothing — `sh -c 'cc …'` as make runs it, a
 * pyenv or rbenv shim that asks a dozen helpers which interpreter to run and then execs
 * it. They and their helpers are shown as the program they run. Their reads stay inputs
 * of the build; a wrapper that writes a file or connects is a program like any other.
 */
function wrappers(g) {
    const quiet = new Map();
    /** The image and everything it started (spawned or exec'd into) changed nothing. */
    const quietTree = (root) => {
        const known = quiet.get(root);
        if (known !== undefined)
            return known;
        const stack = [root];
        const seen = new Set();
        let ok = true;
        while (ok && stack.length > 0) {
            const key = stack.pop();
            if (seen.has(key))
                continue;
            seen.add(key);
            if (quiet.get(key) === false || acts(g, key))
                ok = false;
            else
                g.forEachOutEdge(key, (_e, a, _s, t) => void (a.kind === 'spawn' && stack.push(t)));
        }
        quiet.set(root, ok);
        return ok;
    };
    const hidden = new Set();
    g.forEachNode((key, a) => {
        if (a.kind !== 'program')
            return;
        let next;
        const helpers = [];
        g.forEachOutEdge(key, (_e, e, _s, t) => {
            if (e.kind !== 'spawn')
                return;
            if (e.via === 'exec')
                next = t;
            else
                helpers.push(t);
        });
        if (next === undefined || acts(g, key, writes(g, next)) || !helpers.every(quietTree))
            return;
        hidden.add(key);
        // The helpers, and everything they ran.
        const stack = [...helpers];
        while (stack.length > 0) {
            const h = stack.pop();
            if (hidden.has(h))
                continue;
            hidden.add(h);
            g.forEachOutEdge(h, (_e, e, _s, t) => void (e.kind === 'spawn' && stack.push(t)));
        }
    });
    return hidden;
}
function horizonSets(g, opts = {}) {
    const hidden = opts.hideWrappers ? wrappers(g) : undefined;
    const inputs = [];
    const outputs = [];
    const temporaries = [];
    const endpoints = [];
    const modified = [];
    const programs = new Map();
    g.forEachNode((key, attrs) => {
        switch (attrs.kind) {
            case 'program': {
                if (attrs.origin !== 'exec' || hidden?.has(key))
                    return;
                const id = programKey(attrs);
                const p = programs.get(id) ?? { exe: attrs.exe, argv: attrs.argv, nodes: [] };
                p.nodes.push(key);
                programs.set(id, p);
                return;
            }
            case 'endpoint':
                endpoints.push(key);
                return;
            case 'file': {
                const w = written(g, key);
                // A version replaced by a later one is an earlier state of an output, not a temporary.
                if (w && (attrs.detached === 'deleted' || (!attrs.detached && isTemporaryPath(attrs.path, opts))))
                    temporaries.push(key);
                else if (w && !attrs.detached && !PSEUDO.test(attrs.path))
                    outputs.push(key);
                if (w && attrs.existedBefore && !PSEUDO.test(attrs.names[0]))
                    modified.push(key);
                if (attrs.existedBefore &&
                    read(g, key) &&
                    !SELF_PROC.test(attrs.names[0]) &&
                    !(w && attrs.detached && isTemporaryPath(attrs.path, opts))) {
                    inputs.push(key);
                }
                return;
            }
            case 'directory':
            case 'pipe':
            case 'socketpair':
            case 'device':
                return;
            default: {
                const never = attrs;
                throw new Error(`graph/horizonSets: unknown node ${JSON.stringify(never)}`);
            }
        }
    });
    const order = byPath(g);
    return {
        inputs: inputs.sort(order),
        outputs: outputs.sort(order),
        temporaries: temporaries.sort(order),
        endpoints: endpoints.sort(order),
        modified: modified.sort(order),
        programs: [...programs.values()]
            .map((p) => ({ exe: p.exe, argv: p.argv, count: p.nodes.length, nodes: p.nodes }))
            .sort((a, b) => (a.exe < b.exe ? -1 : a.exe > b.exe ? 1 : JSON.stringify(a.argv) < JSON.stringify(b.argv) ? -1 : 1)),
    };
}
/** The path a node has in reports: a program's executable, an object's current (or last) path. */
function nodePath(g, key) {
    const a = g.getNodeAttributes(key);
    return a.kind === 'program' ? a.exe : a.path;
}
/** The first program that wrote, renamed or deleted a version. */
function changer(g, key) {
    let by;
    g.someInEdge(key, (_e, a, source) => {
        if (a.kind !== 'write' && a.kind !== 'rename' && a.kind !== 'delete')
            return false;
        const p = g.getNodeAttributes(source);
        if (p.kind !== 'program')
            return false;
        by = { exe: p.exe, argv: p.argv };
        return true;
    });
    return by;
}
/**
 * The sources the build changed. With `sources` (the tracked files of a git work tree):
 * every version that bears a tracked name and that the build wrote, renamed over or
 * deleted. Without: the files that existed before the build and that it wrote in place
 * (`sets.modified`).
 */
function modifiedFiles(g, sets, sources) {
    if (!sources)
        return sets.modified.map((key) => ({ path: nodePath(g, key), by: changer(g, key) }));
    const out = new Map();
    g.forEachNode((key, a) => {
        if (a.kind !== 'file')
            return;
        const name = a.names.find((n) => sources.has(n));
        if (name === undefined || out.has(name))
            return;
        const by = changer(g, key);
        if (by)
            out.set(name, { path: name, by });
    });
    return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Provenance (DESIGN §1.4): for each output, the inputs whose data can reach it
 * through read → program → write and pipe edges.
 *
 * Time matters. A program's write can only carry what it had read before the write
 * ended, so the walk goes backwards with a time bound: `sources(P, T)` is what program
 * P could have read before T. Reads count from when the object was acquired (the
 * earliest they could happen), writes until it was released (the latest): the bound
 * errs on the side of a dependency, never of missing one.
 *
 * Spawning is control, not data: a child does not inherit what its parent read,
 * unless `control` is set (print filters, wrapper scripts).
 */
/** Node kinds whose own (pre-build) content is an input. */
const SOURCE_KINDS = new Set(['file', 'endpoint']);
class Provenance {
    g;
    opts;
    memo = new Map();
    active = new Set();
    constructor(g, opts = {}) {
        this.g = g;
        this.opts = opts;
    }
    /** The input node keys that can reach `object` through the writes into it. */
    ofObject(object, before = Infinity) {
        const out = new Set();
        this.g.forEachInEdge(object, (_e, a, writer) => {
            if (a.kind !== 'write' || a.since > before)
                return;
            for (const s of this.ofProgram(writer, Math.min(a.until, before)))
                out.add(s);
        });
        return out;
    }
    /** The input node keys program `p` could have read before time `t`. */
    ofProgram(p, t) {
        const key = `${p}@${t}`;
        const known = this.memo.get(key);
        if (known)
            return known;
        if (this.active.has(key))
            return new Set();
        this.active.add(key);
        const out = new Set();
        this.g.forEachInEdge(p, (_e, a, source) => {
            // Inclusive: something acquired in the same call as the bound may still count.
            if (a.since > t)
                return;
            if (a.kind === 'read' || a.kind === 'exec') {
                const attrs = this.g.getNodeAttributes(source);
                if (SOURCE_KINDS.has(attrs.kind) &&
                    'existedBefore' in attrs &&
                    (attrs.existedBefore || attrs.kind === 'endpoint') &&
                    !SELF_PROC.test(attrs.names[0])) {
                    out.add(source);
                }
                for (const s of this.ofObject(source, Math.min(a.until, t)))
                    out.add(s);
            }
            else if (a.kind === 'spawn' && this.opts.control) {
                for (const s of this.ofProgram(source, a.since))
                    out.add(s);
            }
        });
        this.active.delete(key);
        this.memo.set(key, out);
        return out;
    }
}

var graphologyMetrics = {};

var centrality = {};

var degree = {};

/**
 * Graphology isGraph
 * ===================
 *
 * Very simple function aiming at ensuring the given variable is a
 * graphology instance.
 */

var isGraph;
var hasRequiredIsGraph;

function requireIsGraph () {
	if (hasRequiredIsGraph) return isGraph;
	hasRequiredIsGraph = 1;
	/**
	 * Checking the value is a graphology instance.
	 *
	 * @param  {any}     value - Target value.
	 * @return {boolean}
	 */
	isGraph = function isGraph(value) {
	  return (
	    value !== null &&
	    typeof value === 'object' &&
	    typeof value.addUndirectedEdgeWithKey === 'function' &&
	    typeof value.dropNode === 'function' &&
	    typeof value.multi === 'boolean'
	  );
	};
	return isGraph;
}

/**
 * Graphology Degree Centrality
 * =============================
 *
 * Function computing degree centrality.
 */

var hasRequiredDegree;

function requireDegree () {
	if (hasRequiredDegree) return degree;
	hasRequiredDegree = 1;
	var isGraph = requireIsGraph();

	/**
	 * Asbtract function to perform any kind of degree centrality.
	 *
	 * Intuitively, the degree centrality of a node is the fraction of nodes it
	 * is connected to.
	 *
	 * @param  {boolean} assign           - Whether to assign the result to the nodes.
	 * @param  {string}  method           - Method of the graph to get the degree.
	 * @param  {Graph}   graph            - A graphology instance.
	 * @param  {object}  [options]        - Options:
	 * @param  {string}    [nodeCentralityAttribute] - Name of the attribute to assign.
	 * @return {object|void}
	 */
	function abstractDegreeCentrality(assign, method, graph, options) {
	  var name = method + 'Centrality';

	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-centrality/' +
	        name +
	        ': the given graph is not a valid graphology instance.'
	    );

	  if (method !== 'degree' && graph.type === 'undirected')
	    throw new Error(
	      'graphology-centrality/' +
	        name +
	        ': cannot compute ' +
	        method +
	        ' centrality on an undirected graph.'
	    );

	  // Solving options
	  options = options || {};

	  var centralityAttribute = options.nodeCentralityAttribute || name;

	  var ratio = graph.order - 1;
	  var getDegree = graph[method].bind(graph);

	  if (assign) {
	    graph.updateEachNodeAttributes(
	      function (node, attr) {
	        attr[centralityAttribute] = getDegree(node) / ratio;
	        return attr;
	      },
	      {attributes: [centralityAttribute]}
	    );

	    return;
	  }

	  var centralities = {};

	  graph.forEachNode(function (node) {
	    centralities[node] = getDegree(node) / ratio;
	  });

	  return centralities;
	}

	/**
	 * Building various functions to export.
	 */
	var degreeCentrality = abstractDegreeCentrality.bind(null, false, 'degree');
	var inDegreeCentrality = abstractDegreeCentrality.bind(null, false, 'inDegree');
	var outDegreeCentrality = abstractDegreeCentrality.bind(
	  null,
	  false,
	  'outDegree'
	);

	degreeCentrality.assign = abstractDegreeCentrality.bind(null, true, 'degree');
	inDegreeCentrality.assign = abstractDegreeCentrality.bind(
	  null,
	  true,
	  'inDegree'
	);
	outDegreeCentrality.assign = abstractDegreeCentrality.bind(
	  null,
	  true,
	  'outDegree'
	);

	/**
	 * Exporting.
	 */
	degree.degreeCentrality = degreeCentrality;
	degree.inDegreeCentrality = inDegreeCentrality;
	degree.outDegreeCentrality = outDegreeCentrality;
	return degree;
}

var indexedBrandes = {};

var iterables = {};

var support = {};

var hasRequiredSupport;

function requireSupport () {
	if (hasRequiredSupport) return support;
	hasRequiredSupport = 1;
	support.ARRAY_BUFFER_SUPPORT = typeof ArrayBuffer !== 'undefined';
	support.SYMBOL_SUPPORT = typeof Symbol !== 'undefined';
	return support;
}

/**
 * Obliterator ForEach Function
 * =============================
 *
 * Helper function used to easily iterate over mixed values.
 */

var foreach;
var hasRequiredForeach;

function requireForeach () {
	if (hasRequiredForeach) return foreach;
	hasRequiredForeach = 1;
	var support = requireSupport();

	var ARRAY_BUFFER_SUPPORT = support.ARRAY_BUFFER_SUPPORT;
	var SYMBOL_SUPPORT = support.SYMBOL_SUPPORT;

	/**
	 * Function able to iterate over almost any iterable JS value.
	 *
	 * @param  {any}      iterable - Iterable value.
	 * @param  {function} callback - Callback function.
	 */
	foreach = function forEach(iterable, callback) {
	  var iterator, k, i, l, s;

	  if (!iterable) throw new Error('obliterator/forEach: invalid iterable.');

	  if (typeof callback !== 'function')
	    throw new Error('obliterator/forEach: expecting a callback.');

	  // The target is an array or a string or function arguments
	  if (
	    Array.isArray(iterable) ||
	    (ARRAY_BUFFER_SUPPORT && ArrayBuffer.isView(iterable)) ||
	    typeof iterable === 'string' ||
	    iterable.toString() === '[object Arguments]'
	  ) {
	    for (i = 0, l = iterable.length; i < l; i++) callback(iterable[i], i);
	    return;
	  }

	  // The target has a #.forEach method
	  if (typeof iterable.forEach === 'function') {
	    iterable.forEach(callback);
	    return;
	  }

	  // The target is iterable
	  if (
	    SYMBOL_SUPPORT &&
	    Symbol.iterator in iterable &&
	    typeof iterable.next !== 'function'
	  ) {
	    iterable = iterable[Symbol.iterator]();
	  }

	  // The target is an iterator
	  if (typeof iterable.next === 'function') {
	    iterator = iterable;
	    i = 0;

	    while (((s = iterator.next()), s.done !== true)) {
	      callback(s.value, i);
	      i++;
	    }

	    return;
	  }

	  // The target is a plain object
	  for (k in iterable) {
	    if (iterable.hasOwnProperty(k)) {
	      callback(iterable[k], k);
	    }
	  }

	  return;
	};
	return foreach;
}

var typedArrays = {};

/**
 * Mnemonist Typed Array Helpers
 * ==============================
 *
 * Miscellaneous helpers related to typed arrays.
 */

var hasRequiredTypedArrays;

function requireTypedArrays () {
	if (hasRequiredTypedArrays) return typedArrays;
	hasRequiredTypedArrays = 1;
	(function (exports) {
		/**
		 * When using an unsigned integer array to store pointers, one might want to
		 * choose the optimal word size in regards to the actual numbers of pointers
		 * to store.
		 *
		 * This helpers does just that.
		 *
		 * @param  {number} size - Expected size of the array to map.
		 * @return {TypedArray}
		 */
		var MAX_8BIT_INTEGER = Math.pow(2, 8) - 1,
		    MAX_16BIT_INTEGER = Math.pow(2, 16) - 1,
		    MAX_32BIT_INTEGER = Math.pow(2, 32) - 1;

		var MAX_SIGNED_8BIT_INTEGER = Math.pow(2, 7) - 1,
		    MAX_SIGNED_16BIT_INTEGER = Math.pow(2, 15) - 1,
		    MAX_SIGNED_32BIT_INTEGER = Math.pow(2, 31) - 1;

		exports.getPointerArray = function(size) {
		  var maxIndex = size - 1;

		  if (maxIndex <= MAX_8BIT_INTEGER)
		    return Uint8Array;

		  if (maxIndex <= MAX_16BIT_INTEGER)
		    return Uint16Array;

		  if (maxIndex <= MAX_32BIT_INTEGER)
		    return Uint32Array;

		  throw new Error('mnemonist: Pointer Array of size > 4294967295 is not supported.');
		};

		exports.getSignedPointerArray = function(size) {
		  var maxIndex = size - 1;

		  if (maxIndex <= MAX_SIGNED_8BIT_INTEGER)
		    return Int8Array;

		  if (maxIndex <= MAX_SIGNED_16BIT_INTEGER)
		    return Int16Array;

		  if (maxIndex <= MAX_SIGNED_32BIT_INTEGER)
		    return Int32Array;

		  return Float64Array;
		};

		/**
		 * Function returning the minimal type able to represent the given number.
		 *
		 * @param  {number} value - Value to test.
		 * @return {TypedArrayClass}
		 */
		exports.getNumberType = function(value) {

		  // <= 32 bits itnteger?
		  if (value === (value | 0)) {

		    // Negative
		    if (Math.sign(value) === -1) {
		      if (value <= 127 && value >= -128)
		        return Int8Array;

		      if (value <= 32767 && value >= -32768)
		        return Int16Array;

		      return Int32Array;
		    }
		    else {

		      if (value <= 255)
		        return Uint8Array;

		      if (value <= 65535)
		        return Uint16Array;

		      return Uint32Array;
		    }
		  }

		  // 53 bits integer & floats
		  // NOTE: it's kinda hard to tell whether we could use 32bits or not...
		  return Float64Array;
		};

		/**
		 * Function returning the minimal type able to represent the given array
		 * of JavaScript numbers.
		 *
		 * @param  {array}    array  - Array to represent.
		 * @param  {function} getter - Optional getter.
		 * @return {TypedArrayClass}
		 */
		var TYPE_PRIORITY = {
		  Uint8Array: 1,
		  Int8Array: 2,
		  Uint16Array: 3,
		  Int16Array: 4,
		  Uint32Array: 5,
		  Int32Array: 6,
		  Float32Array: 7,
		  Float64Array: 8
		};

		// TODO: make this a one-shot for one value
		exports.getMinimalRepresentation = function(array, getter) {
		  var maxType = null,
		      maxPriority = 0,
		      p,
		      t,
		      v,
		      i,
		      l;

		  for (i = 0, l = array.length; i < l; i++) {
		    v = getter ? getter(array[i]) : array[i];
		    t = exports.getNumberType(v);
		    p = TYPE_PRIORITY[t.name];

		    if (p > maxPriority) {
		      maxPriority = p;
		      maxType = t;
		    }
		  }

		  return maxType;
		};

		/**
		 * Function returning whether the given value is a typed array.
		 *
		 * @param  {any} value - Value to test.
		 * @return {boolean}
		 */
		exports.isTypedArray = function(value) {
		  return typeof ArrayBuffer !== 'undefined' && ArrayBuffer.isView(value);
		};

		/**
		 * Function used to concat byte arrays.
		 *
		 * @param  {...ByteArray}
		 * @return {ByteArray}
		 */
		exports.concat = function() {
		  var length = 0,
		      i,
		      o,
		      l;

		  for (i = 0, l = arguments.length; i < l; i++)
		    length += arguments[i].length;

		  var array = new (arguments[0].constructor)(length);

		  for (i = 0, o = 0; i < l; i++) {
		    array.set(arguments[i], o);
		    o += arguments[i].length;
		  }

		  return array;
		};

		/**
		 * Function used to initialize a byte array of indices.
		 *
		 * @param  {number}    length - Length of target.
		 * @return {ByteArray}
		 */
		exports.indices = function(length) {
		  var PointerArray = exports.getPointerArray(length);

		  var array = new PointerArray(length);

		  for (var i = 0; i < length; i++)
		    array[i] = i;

		  return array;
		}; 
	} (typedArrays));
	return typedArrays;
}

/**
 * Mnemonist Iterable Function
 * ============================
 *
 * Harmonized iteration helpers over mixed iterable targets.
 */

var hasRequiredIterables;

function requireIterables () {
	if (hasRequiredIterables) return iterables;
	hasRequiredIterables = 1;
	var forEach = requireForeach();

	var typed = requireTypedArrays();

	/**
	 * Function used to determine whether the given object supports array-like
	 * random access.
	 *
	 * @param  {any} target - Target object.
	 * @return {boolean}
	 */
	function isArrayLike(target) {
	  return Array.isArray(target) || typed.isTypedArray(target);
	}

	/**
	 * Function used to guess the length of the structure over which we are going
	 * to iterate.
	 *
	 * @param  {any} target - Target object.
	 * @return {number|undefined}
	 */
	function guessLength(target) {
	  if (typeof target.length === 'number')
	    return target.length;

	  if (typeof target.size === 'number')
	    return target.size;

	  return;
	}

	/**
	 * Function used to convert an iterable to an array.
	 *
	 * @param  {any}   target - Iteration target.
	 * @return {array}
	 */
	function toArray(target) {
	  var l = guessLength(target);

	  var array = typeof l === 'number' ? new Array(l) : [];

	  var i = 0;

	  // TODO: we could optimize when given target is array like
	  forEach(target, function(value) {
	    array[i++] = value;
	  });

	  return array;
	}

	/**
	 * Same as above but returns a supplementary indices array.
	 *
	 * @param  {any}   target - Iteration target.
	 * @return {array}
	 */
	function toArrayWithIndices(target) {
	  var l = guessLength(target);

	  var IndexArray = typeof l === 'number' ?
	    typed.getPointerArray(l) :
	    Array;

	  var array = typeof l === 'number' ? new Array(l) : [];
	  var indices = typeof l === 'number' ? new IndexArray(l) : [];

	  var i = 0;

	  // TODO: we could optimize when given target is array like
	  forEach(target, function(value) {
	    array[i] = value;
	    indices[i] = i++;
	  });

	  return [array, indices];
	}

	/**
	 * Exporting.
	 */
	iterables.isArrayLike = isArrayLike;
	iterables.guessLength = guessLength;
	iterables.toArray = toArray;
	iterables.toArrayWithIndices = toArrayWithIndices;
	return iterables;
}

/**
 * Obliterator Iterator Class
 * ===========================
 *
 * Simple class representing the library's iterators.
 */

var iterator;
var hasRequiredIterator;

function requireIterator () {
	if (hasRequiredIterator) return iterator;
	hasRequiredIterator = 1;
	/**
	 * Iterator class.
	 *
	 * @constructor
	 * @param {function} next - Next function.
	 */
	function Iterator(next) {
	  if (typeof next !== 'function')
	    throw new Error('obliterator/iterator: expecting a function!');

	  this.next = next;
	}

	/**
	 * If symbols are supported, we add `next` to `Symbol.iterator`.
	 */
	if (typeof Symbol !== 'undefined')
	  Iterator.prototype[Symbol.iterator] = function () {
	    return this;
	  };

	/**
	 * Returning an iterator of the given values.
	 *
	 * @param  {any...} values - Values.
	 * @return {Iterator}
	 */
	Iterator.of = function () {
	  var args = arguments,
	    l = args.length,
	    i = 0;

	  return new Iterator(function () {
	    if (i >= l) return {done: true};

	    return {done: false, value: args[i++]};
	  });
	};

	/**
	 * Returning an empty iterator.
	 *
	 * @return {Iterator}
	 */
	Iterator.empty = function () {
	  var iterator = new Iterator(function () {
	    return {done: true};
	  });

	  return iterator;
	};

	/**
	 * Returning an iterator over the given indexed sequence.
	 *
	 * @param  {string|Array} sequence - Target sequence.
	 * @return {Iterator}
	 */
	Iterator.fromSequence = function (sequence) {
	  var i = 0,
	    l = sequence.length;

	  return new Iterator(function () {
	    if (i >= l) return {done: true};

	    return {done: false, value: sequence[i++]};
	  });
	};

	/**
	 * Returning whether the given value is an iterator.
	 *
	 * @param  {any} value - Value.
	 * @return {boolean}
	 */
	Iterator.is = function (value) {
	  if (value instanceof Iterator) return true;

	  return (
	    typeof value === 'object' &&
	    value !== null &&
	    typeof value.next === 'function'
	  );
	};

	/**
	 * Exporting.
	 */
	iterator = Iterator;
	return iterator;
}

/**
 * Mnemonist FixedDeque
 * =====================
 *
 * Fixed capacity double-ended queue implemented as ring deque.
 */

var fixedDeque;
var hasRequiredFixedDeque;

function requireFixedDeque () {
	if (hasRequiredFixedDeque) return fixedDeque;
	hasRequiredFixedDeque = 1;
	var iterables = requireIterables(),
	    Iterator = requireIterator();

	/**
	 * FixedDeque.
	 *
	 * @constructor
	 */
	function FixedDeque(ArrayClass, capacity) {

	  if (arguments.length < 2)
	    throw new Error('mnemonist/fixed-deque: expecting an Array class and a capacity.');

	  if (typeof capacity !== 'number' || capacity <= 0)
	    throw new Error('mnemonist/fixed-deque: `capacity` should be a positive number.');

	  this.ArrayClass = ArrayClass;
	  this.capacity = capacity;
	  this.items = new ArrayClass(this.capacity);
	  this.clear();
	}

	/**
	 * Method used to clear the structure.
	 *
	 * @return {undefined}
	 */
	FixedDeque.prototype.clear = function() {

	  // Properties
	  this.start = 0;
	  this.size = 0;
	};

	/**
	 * Method used to append a value to the deque.
	 *
	 * @param  {any}    item - Item to append.
	 * @return {number}      - Returns the new size of the deque.
	 */
	FixedDeque.prototype.push = function(item) {
	  if (this.size === this.capacity)
	    throw new Error('mnemonist/fixed-deque.push: deque capacity (' + this.capacity + ') exceeded!');

	  var index = this.start + this.size;

	  if (index >= this.capacity)
	    index -= this.capacity;

	  this.items[index] = item;

	  return ++this.size;
	};

	/**
	 * Method used to prepend a value to the deque.
	 *
	 * @param  {any}    item - Item to prepend.
	 * @return {number}      - Returns the new size of the deque.
	 */
	FixedDeque.prototype.unshift = function(item) {
	  if (this.size === this.capacity)
	    throw new Error('mnemonist/fixed-deque.unshift: deque capacity (' + this.capacity + ') exceeded!');

	  var index = this.start - 1;

	  if (this.start === 0)
	    index = this.capacity - 1;

	  this.items[index] = item;
	  this.start = index;

	  return ++this.size;
	};

	/**
	 * Method used to pop the deque.
	 *
	 * @return {any} - Returns the popped item.
	 */
	FixedDeque.prototype.pop = function() {
	  if (this.size === 0)
	    return;

	  this.size--;

	  var index = this.start + this.size;

	  if (index >= this.capacity)
	    index -= this.capacity;

	  return this.items[index];
	};

	/**
	 * Method used to shift the deque.
	 *
	 * @return {any} - Returns the shifted item.
	 */
	FixedDeque.prototype.shift = function() {
	  if (this.size === 0)
	    return;

	  var index = this.start;

	  this.size--;
	  this.start++;

	  if (this.start === this.capacity)
	    this.start = 0;

	  return this.items[index];
	};

	/**
	 * Method used to peek the first value of the deque.
	 *
	 * @return {any}
	 */
	FixedDeque.prototype.peekFirst = function() {
	  if (this.size === 0)
	    return;

	  return this.items[this.start];
	};

	/**
	 * Method used to peek the last value of the deque.
	 *
	 * @return {any}
	 */
	FixedDeque.prototype.peekLast = function() {
	  if (this.size === 0)
	    return;

	  var index = this.start + this.size - 1;

	  if (index >= this.capacity)
	    index -= this.capacity;

	  return this.items[index];
	};

	/**
	 * Method used to get the desired value of the deque.
	 *
	 * @param  {number} index
	 * @return {any}
	 */
	FixedDeque.prototype.get = function(index) {
	  if (this.size === 0 || index >= this.capacity)
	    return;

	  index = this.start + index;

	  if (index >= this.capacity)
	    index -= this.capacity;

	  return this.items[index];
	};

	/**
	 * Method used to iterate over the deque.
	 *
	 * @param  {function}  callback - Function to call for each item.
	 * @param  {object}    scope    - Optional scope.
	 * @return {undefined}
	 */
	FixedDeque.prototype.forEach = function(callback, scope) {
	  scope = arguments.length > 1 ? scope : this;

	  var c = this.capacity,
	      l = this.size,
	      i = this.start,
	      j = 0;

	  while (j < l) {
	    callback.call(scope, this.items[i], j, this);
	    i++;
	    j++;

	    if (i === c)
	      i = 0;
	  }
	};

	/**
	 * Method used to convert the deque to a JavaScript array.
	 *
	 * @return {array}
	 */
	// TODO: optional array class as argument?
	FixedDeque.prototype.toArray = function() {

	  // Optimization
	  var offset = this.start + this.size;

	  if (offset < this.capacity)
	    return this.items.slice(this.start, offset);

	  var array = new this.ArrayClass(this.size),
	      c = this.capacity,
	      l = this.size,
	      i = this.start,
	      j = 0;

	  while (j < l) {
	    array[j] = this.items[i];
	    i++;
	    j++;

	    if (i === c)
	      i = 0;
	  }

	  return array;
	};

	/**
	 * Method used to create an iterator over the deque's values.
	 *
	 * @return {Iterator}
	 */
	FixedDeque.prototype.values = function() {
	  var items = this.items,
	      c = this.capacity,
	      l = this.size,
	      i = this.start,
	      j = 0;

	  return new Iterator(function() {
	    if (j >= l)
	      return {
	        done: true
	      };

	    var value = items[i];

	    i++;
	    j++;

	    if (i === c)
	      i = 0;

	    return {
	      value: value,
	      done: false
	    };
	  });
	};

	/**
	 * Method used to create an iterator over the deque's entries.
	 *
	 * @return {Iterator}
	 */
	FixedDeque.prototype.entries = function() {
	  var items = this.items,
	      c = this.capacity,
	      l = this.size,
	      i = this.start,
	      j = 0;

	  return new Iterator(function() {
	    if (j >= l)
	      return {
	        done: true
	      };

	    var value = items[i];

	    i++;

	    if (i === c)
	      i = 0;

	    return {
	      value: [j++, value],
	      done: false
	    };
	  });
	};

	/**
	 * Attaching the #.values method to Symbol.iterator if possible.
	 */
	if (typeof Symbol !== 'undefined')
	  FixedDeque.prototype[Symbol.iterator] = FixedDeque.prototype.values;

	/**
	 * Convenience known methods.
	 */
	FixedDeque.prototype.inspect = function() {
	  var array = this.toArray();

	  array.type = this.ArrayClass.name;
	  array.capacity = this.capacity;

	  // Trick so that node displays the name of the constructor
	  Object.defineProperty(array, 'constructor', {
	    value: FixedDeque,
	    enumerable: false
	  });

	  return array;
	};

	if (typeof Symbol !== 'undefined')
	  FixedDeque.prototype[Symbol.for('nodejs.util.inspect.custom')] = FixedDeque.prototype.inspect;

	/**
	 * Static @.from function taking an arbitrary iterable & converting it into
	 * a deque.
	 *
	 * @param  {Iterable} iterable   - Target iterable.
	 * @param  {function} ArrayClass - Array class to use.
	 * @param  {number}   capacity   - Desired capacity.
	 * @return {FiniteStack}
	 */
	FixedDeque.from = function(iterable, ArrayClass, capacity) {
	  if (arguments.length < 3) {
	    capacity = iterables.guessLength(iterable);

	    if (typeof capacity !== 'number')
	      throw new Error('mnemonist/fixed-deque.from: could not guess iterable length. Please provide desired capacity as last argument.');
	  }

	  var deque = new FixedDeque(ArrayClass, capacity);

	  if (iterables.isArrayLike(iterable)) {
	    var i, l;

	    for (i = 0, l = iterable.length; i < l; i++)
	      deque.items[i] = iterable[i];

	    deque.size = l;

	    return deque;
	  }

	  iterables.forEach(iterable, function(value) {
	    deque.push(value);
	  });

	  return deque;
	};

	/**
	 * Exporting.
	 */
	fixedDeque = FixedDeque;
	return fixedDeque;
}

/**
 * Mnemonist FixedStack
 * =====================
 *
 * The fixed stack is a stack whose capacity is defined beforehand and that
 * cannot be exceeded. This class is really useful when combined with
 * byte arrays to save up some memory and avoid memory re-allocation, hence
 * speeding up computations.
 *
 * This has however a downside: you need to know the maximum size you stack
 * can have during your iteration (which is not too difficult to compute when
 * performing, say, a DFS on a balanced binary tree).
 */

var fixedStack;
var hasRequiredFixedStack;

function requireFixedStack () {
	if (hasRequiredFixedStack) return fixedStack;
	hasRequiredFixedStack = 1;
	var Iterator = requireIterator(),
	    iterables = requireIterables();

	/**
	 * FixedStack
	 *
	 * @constructor
	 * @param {function} ArrayClass - Array class to use.
	 * @param {number}   capacity   - Desired capacity.
	 */
	function FixedStack(ArrayClass, capacity) {

	  if (arguments.length < 2)
	    throw new Error('mnemonist/fixed-stack: expecting an Array class and a capacity.');

	  if (typeof capacity !== 'number' || capacity <= 0)
	    throw new Error('mnemonist/fixed-stack: `capacity` should be a positive number.');

	  this.capacity = capacity;
	  this.ArrayClass = ArrayClass;
	  this.items = new this.ArrayClass(this.capacity);
	  this.clear();
	}

	/**
	 * Method used to clear the stack.
	 *
	 * @return {undefined}
	 */
	FixedStack.prototype.clear = function() {

	  // Properties
	  this.size = 0;
	};

	/**
	 * Method used to add an item to the stack.
	 *
	 * @param  {any}    item - Item to add.
	 * @return {number}
	 */
	FixedStack.prototype.push = function(item) {
	  if (this.size === this.capacity)
	    throw new Error('mnemonist/fixed-stack.push: stack capacity (' + this.capacity + ') exceeded!');

	  this.items[this.size++] = item;
	  return this.size;
	};

	/**
	 * Method used to retrieve & remove the last item of the stack.
	 *
	 * @return {any}
	 */
	FixedStack.prototype.pop = function() {
	  if (this.size === 0)
	    return;

	  return this.items[--this.size];
	};

	/**
	 * Method used to get the last item of the stack.
	 *
	 * @return {any}
	 */
	FixedStack.prototype.peek = function() {
	  return this.items[this.size - 1];
	};

	/**
	 * Method used to iterate over the stack.
	 *
	 * @param  {function}  callback - Function to call for each item.
	 * @param  {object}    scope    - Optional scope.
	 * @return {undefined}
	 */
	FixedStack.prototype.forEach = function(callback, scope) {
	  scope = arguments.length > 1 ? scope : this;

	  for (var i = 0, l = this.items.length; i < l; i++)
	    callback.call(scope, this.items[l - i - 1], i, this);
	};

	/**
	 * Method used to convert the stack to a JavaScript array.
	 *
	 * @return {array}
	 */
	FixedStack.prototype.toArray = function() {
	  var array = new this.ArrayClass(this.size),
	      l = this.size - 1,
	      i = this.size;

	  while (i--)
	    array[i] = this.items[l - i];

	  return array;
	};

	/**
	 * Method used to create an iterator over a stack's values.
	 *
	 * @return {Iterator}
	 */
	FixedStack.prototype.values = function() {
	  var items = this.items,
	      l = this.size,
	      i = 0;

	  return new Iterator(function() {
	    if (i >= l)
	      return {
	        done: true
	      };

	    var value = items[l - i - 1];
	    i++;

	    return {
	      value: value,
	      done: false
	    };
	  });
	};

	/**
	 * Method used to create an iterator over a stack's entries.
	 *
	 * @return {Iterator}
	 */
	FixedStack.prototype.entries = function() {
	  var items = this.items,
	      l = this.size,
	      i = 0;

	  return new Iterator(function() {
	    if (i >= l)
	      return {
	        done: true
	      };

	    var value = items[l - i - 1];

	    return {
	      value: [i++, value],
	      done: false
	    };
	  });
	};

	/**
	 * Attaching the #.values method to Symbol.iterator if possible.
	 */
	if (typeof Symbol !== 'undefined')
	  FixedStack.prototype[Symbol.iterator] = FixedStack.prototype.values;


	/**
	 * Convenience known methods.
	 */
	FixedStack.prototype.toString = function() {
	  return this.toArray().join(',');
	};

	FixedStack.prototype.toJSON = function() {
	  return this.toArray();
	};

	FixedStack.prototype.inspect = function() {
	  var array = this.toArray();

	  array.type = this.ArrayClass.name;
	  array.capacity = this.capacity;

	  // Trick so that node displays the name of the constructor
	  Object.defineProperty(array, 'constructor', {
	    value: FixedStack,
	    enumerable: false
	  });

	  return array;
	};

	if (typeof Symbol !== 'undefined')
	  FixedStack.prototype[Symbol.for('nodejs.util.inspect.custom')] = FixedStack.prototype.inspect;

	/**
	 * Static @.from function taking an arbitrary iterable & converting it into
	 * a stack.
	 *
	 * @param  {Iterable} iterable   - Target iterable.
	 * @param  {function} ArrayClass - Array class to use.
	 * @param  {number}   capacity   - Desired capacity.
	 * @return {FixedStack}
	 */
	FixedStack.from = function(iterable, ArrayClass, capacity) {

	  if (arguments.length < 3) {
	    capacity = iterables.guessLength(iterable);

	    if (typeof capacity !== 'number')
	      throw new Error('mnemonist/fixed-stack.from: could not guess iterable length. Please provide desired capacity as last argument.');
	  }

	  var stack = new FixedStack(ArrayClass, capacity);

	  if (iterables.isArrayLike(iterable)) {
	    var i, l;

	    for (i = 0, l = iterable.length; i < l; i++)
	      stack.items[i] = iterable[i];

	    stack.size = l;

	    return stack;
	  }

	  iterables.forEach(iterable, function(value) {
	    stack.push(value);
	  });

	  return stack;
	};

	/**
	 * Exporting.
	 */
	fixedStack = FixedStack;
	return fixedStack;
}

var comparators = {};

/**
 * Mnemonist Heap Comparators
 * ===========================
 *
 * Default comparators & functions dealing with comparators reversing etc.
 */

var hasRequiredComparators;

function requireComparators () {
	if (hasRequiredComparators) return comparators;
	hasRequiredComparators = 1;
	var DEFAULT_COMPARATOR = function(a, b) {
	  if (a < b)
	    return -1;
	  if (a > b)
	    return 1;

	  return 0;
	};

	var DEFAULT_REVERSE_COMPARATOR = function(a, b) {
	  if (a < b)
	    return 1;
	  if (a > b)
	    return -1;

	  return 0;
	};

	/**
	 * Function used to reverse a comparator.
	 */
	function reverseComparator(comparator) {
	  return function(a, b) {
	    return comparator(b, a);
	  };
	}

	/**
	 * Function returning a tuple comparator.
	 */
	function createTupleComparator(size) {
	  if (size === 2) {
	    return function(a, b) {
	      if (a[0] < b[0])
	        return -1;

	      if (a[0] > b[0])
	        return 1;

	      if (a[1] < b[1])
	        return -1;

	      if (a[1] > b[1])
	        return 1;

	      return 0;
	    };
	  }

	  return function(a, b) {
	    var i = 0;

	    while (i < size) {
	      if (a[i] < b[i])
	        return -1;

	      if (a[i] > b[i])
	        return 1;

	      i++;
	    }

	    return 0;
	  };
	}

	/**
	 * Exporting.
	 */
	comparators.DEFAULT_COMPARATOR = DEFAULT_COMPARATOR;
	comparators.DEFAULT_REVERSE_COMPARATOR = DEFAULT_REVERSE_COMPARATOR;
	comparators.reverseComparator = reverseComparator;
	comparators.createTupleComparator = createTupleComparator;
	return comparators;
}

/**
 * Mnemonist Binary Heap
 * ======================
 *
 * Binary heap implementation.
 */

var heap;
var hasRequiredHeap;

function requireHeap () {
	if (hasRequiredHeap) return heap;
	hasRequiredHeap = 1;
	var forEach = requireForeach(),
	    comparators = requireComparators(),
	    iterables = requireIterables();

	var DEFAULT_COMPARATOR = comparators.DEFAULT_COMPARATOR,
	    reverseComparator = comparators.reverseComparator;

	/**
	 * Heap helper functions.
	 */

	/**
	 * Function used to sift down.
	 *
	 * @param {function} compare    - Comparison function.
	 * @param {array}    heap       - Array storing the heap's data.
	 * @param {number}   startIndex - Starting index.
	 * @param {number}   i          - Index.
	 */
	function siftDown(compare, heap, startIndex, i) {
	  var item = heap[i],
	      parentIndex,
	      parent;

	  while (i > startIndex) {
	    parentIndex = (i - 1) >> 1;
	    parent = heap[parentIndex];

	    if (compare(item, parent) < 0) {
	      heap[i] = parent;
	      i = parentIndex;
	      continue;
	    }

	    break;
	  }

	  heap[i] = item;
	}

	/**
	 * Function used to sift up.
	 *
	 * @param {function} compare - Comparison function.
	 * @param {array}    heap    - Array storing the heap's data.
	 * @param {number}   i       - Index.
	 */
	function siftUp(compare, heap, i) {
	  var endIndex = heap.length,
	      startIndex = i,
	      item = heap[i],
	      childIndex = 2 * i + 1,
	      rightIndex;

	  while (childIndex < endIndex) {
	    rightIndex = childIndex + 1;

	    if (
	      rightIndex < endIndex &&
	      compare(heap[childIndex], heap[rightIndex]) >= 0
	    ) {
	      childIndex = rightIndex;
	    }

	    heap[i] = heap[childIndex];
	    i = childIndex;
	    childIndex = 2 * i + 1;
	  }

	  heap[i] = item;
	  siftDown(compare, heap, startIndex, i);
	}

	/**
	 * Function used to push an item into a heap represented by a raw array.
	 *
	 * @param {function} compare - Comparison function.
	 * @param {array}    heap    - Array storing the heap's data.
	 * @param {any}      item    - Item to push.
	 */
	function push(compare, heap, item) {
	  heap.push(item);
	  siftDown(compare, heap, 0, heap.length - 1);
	}

	/**
	 * Function used to pop an item from a heap represented by a raw array.
	 *
	 * @param  {function} compare - Comparison function.
	 * @param  {array}    heap    - Array storing the heap's data.
	 * @return {any}
	 */
	function pop(compare, heap) {
	  var lastItem = heap.pop();

	  if (heap.length !== 0) {
	    var item = heap[0];
	    heap[0] = lastItem;
	    siftUp(compare, heap, 0);

	    return item;
	  }

	  return lastItem;
	}

	/**
	 * Function used to pop the heap then push a new value into it, thus "replacing"
	 * it.
	 *
	 * @param  {function} compare - Comparison function.
	 * @param  {array}    heap    - Array storing the heap's data.
	 * @param  {any}      item    - The item to push.
	 * @return {any}
	 */
	function replace(compare, heap, item) {
	  if (heap.length === 0)
	    throw new Error('mnemonist/heap.replace: cannot pop an empty heap.');

	  var popped = heap[0];
	  heap[0] = item;
	  siftUp(compare, heap, 0);

	  return popped;
	}

	/**
	 * Function used to push an item in the heap then pop the heap and return the
	 * popped value.
	 *
	 * @param  {function} compare - Comparison function.
	 * @param  {array}    heap    - Array storing the heap's data.
	 * @param  {any}      item    - The item to push.
	 * @return {any}
	 */
	function pushpop(compare, heap, item) {
	  var tmp;

	  if (heap.length !== 0 && compare(heap[0], item) < 0) {
	    tmp = heap[0];
	    heap[0] = item;
	    item = tmp;
	    siftUp(compare, heap, 0);
	  }

	  return item;
	}

	/**
	 * Converts and array into an abstract heap in linear time.
	 *
	 * @param {function} compare - Comparison function.
	 * @param {array}    array   - Target array.
	 */
	function heapify(compare, array) {
	  var n = array.length,
	      l = n >> 1,
	      i = l;

	  while (--i >= 0)
	    siftUp(compare, array, i);
	}

	/**
	 * Fully consumes the given heap.
	 *
	 * @param  {function} compare - Comparison function.
	 * @param  {array}    heap    - Array storing the heap's data.
	 * @return {array}
	 */
	function consume(compare, heap) {
	  var l = heap.length,
	      i = 0;

	  var array = new Array(l);

	  while (i < l)
	    array[i++] = pop(compare, heap);

	  return array;
	}

	/**
	 * Function used to retrieve the n smallest items from the given iterable.
	 *
	 * @param {function} compare  - Comparison function.
	 * @param {number}   n        - Number of top items to retrieve.
	 * @param {any}      iterable - Arbitrary iterable.
	 * @param {array}
	 */
	function nsmallest(compare, n, iterable) {
	  if (arguments.length === 2) {
	    iterable = n;
	    n = compare;
	    compare = DEFAULT_COMPARATOR;
	  }

	  var reverseCompare = reverseComparator(compare);

	  var i, l, v;

	  var min = Infinity;

	  var result;

	  // If n is equal to 1, it's just a matter of finding the minimum
	  if (n === 1) {
	    if (iterables.isArrayLike(iterable)) {
	      for (i = 0, l = iterable.length; i < l; i++) {
	        v = iterable[i];

	        if (min === Infinity || compare(v, min) < 0)
	          min = v;
	      }

	      result = new iterable.constructor(1);
	      result[0] = min;

	      return result;
	    }

	    forEach(iterable, function(value) {
	      if (min === Infinity || compare(value, min) < 0)
	        min = value;
	    });

	    return [min];
	  }

	  if (iterables.isArrayLike(iterable)) {

	    // If n > iterable length, we just clone and sort
	    if (n >= iterable.length)
	      return iterable.slice().sort(compare);

	    result = iterable.slice(0, n);
	    heapify(reverseCompare, result);

	    for (i = n, l = iterable.length; i < l; i++)
	      if (reverseCompare(iterable[i], result[0]) > 0)
	        replace(reverseCompare, result, iterable[i]);

	    // NOTE: if n is over some number, it becomes faster to consume the heap
	    return result.sort(compare);
	  }

	  // Correct for size
	  var size = iterables.guessLength(iterable);

	  if (size !== null && size < n)
	    n = size;

	  result = new Array(n);
	  i = 0;

	  forEach(iterable, function(value) {
	    if (i < n) {
	      result[i] = value;
	    }
	    else {
	      if (i === n)
	        heapify(reverseCompare, result);

	      if (reverseCompare(value, result[0]) > 0)
	        replace(reverseCompare, result, value);
	    }

	    i++;
	  });

	  if (result.length > i)
	    result.length = i;

	  // NOTE: if n is over some number, it becomes faster to consume the heap
	  return result.sort(compare);
	}

	/**
	 * Function used to retrieve the n largest items from the given iterable.
	 *
	 * @param {function} compare  - Comparison function.
	 * @param {number}   n        - Number of top items to retrieve.
	 * @param {any}      iterable - Arbitrary iterable.
	 * @param {array}
	 */
	function nlargest(compare, n, iterable) {
	  if (arguments.length === 2) {
	    iterable = n;
	    n = compare;
	    compare = DEFAULT_COMPARATOR;
	  }

	  var reverseCompare = reverseComparator(compare);

	  var i, l, v;

	  var max = -Infinity;

	  var result;

	  // If n is equal to 1, it's just a matter of finding the maximum
	  if (n === 1) {
	    if (iterables.isArrayLike(iterable)) {
	      for (i = 0, l = iterable.length; i < l; i++) {
	        v = iterable[i];

	        if (max === -Infinity || compare(v, max) > 0)
	          max = v;
	      }

	      result = new iterable.constructor(1);
	      result[0] = max;

	      return result;
	    }

	    forEach(iterable, function(value) {
	      if (max === -Infinity || compare(value, max) > 0)
	        max = value;
	    });

	    return [max];
	  }

	  if (iterables.isArrayLike(iterable)) {

	    // If n > iterable length, we just clone and sort
	    if (n >= iterable.length)
	      return iterable.slice().sort(reverseCompare);

	    result = iterable.slice(0, n);
	    heapify(compare, result);

	    for (i = n, l = iterable.length; i < l; i++)
	      if (compare(iterable[i], result[0]) > 0)
	        replace(compare, result, iterable[i]);

	    // NOTE: if n is over some number, it becomes faster to consume the heap
	    return result.sort(reverseCompare);
	  }

	  // Correct for size
	  var size = iterables.guessLength(iterable);

	  if (size !== null && size < n)
	    n = size;

	  result = new Array(n);
	  i = 0;

	  forEach(iterable, function(value) {
	    if (i < n) {
	      result[i] = value;
	    }
	    else {
	      if (i === n)
	        heapify(compare, result);

	      if (compare(value, result[0]) > 0)
	        replace(compare, result, value);
	    }

	    i++;
	  });

	  if (result.length > i)
	    result.length = i;

	  // NOTE: if n is over some number, it becomes faster to consume the heap
	  return result.sort(reverseCompare);
	}

	/**
	 * Binary Minimum Heap.
	 *
	 * @constructor
	 * @param {function} comparator - Comparator function to use.
	 */
	function Heap(comparator) {
	  this.clear();
	  this.comparator = comparator || DEFAULT_COMPARATOR;

	  if (typeof this.comparator !== 'function')
	    throw new Error('mnemonist/Heap.constructor: given comparator should be a function.');
	}

	/**
	 * Method used to clear the heap.
	 *
	 * @return {undefined}
	 */
	Heap.prototype.clear = function() {

	  // Properties
	  this.items = [];
	  this.size = 0;
	};

	/**
	 * Method used to push an item into the heap.
	 *
	 * @param  {any}    item - Item to push.
	 * @return {number}
	 */
	Heap.prototype.push = function(item) {
	  push(this.comparator, this.items, item);
	  return ++this.size;
	};

	/**
	 * Method used to retrieve the "first" item of the heap.
	 *
	 * @return {any}
	 */
	Heap.prototype.peek = function() {
	  return this.items[0];
	};

	/**
	 * Method used to retrieve & remove the "first" item of the heap.
	 *
	 * @return {any}
	 */
	Heap.prototype.pop = function() {
	  if (this.size !== 0)
	    this.size--;

	  return pop(this.comparator, this.items);
	};

	/**
	 * Method used to pop the heap, then push an item and return the popped
	 * item.
	 *
	 * @param  {any} item - Item to push into the heap.
	 * @return {any}
	 */
	Heap.prototype.replace = function(item) {
	  return replace(this.comparator, this.items, item);
	};

	/**
	 * Method used to push the heap, the pop it and return the pooped item.
	 *
	 * @param  {any} item - Item to push into the heap.
	 * @return {any}
	 */
	Heap.prototype.pushpop = function(item) {
	  return pushpop(this.comparator, this.items, item);
	};

	/**
	 * Method used to consume the heap fully and return its items as a sorted array.
	 *
	 * @return {array}
	 */
	Heap.prototype.consume = function() {
	  this.size = 0;
	  return consume(this.comparator, this.items);
	};

	/**
	 * Method used to convert the heap to an array. Note that it basically clone
	 * the heap and consumes it completely. This is hardly performant.
	 *
	 * @return {array}
	 */
	Heap.prototype.toArray = function() {
	  return consume(this.comparator, this.items.slice());
	};

	/**
	 * Convenience known methods.
	 */
	Heap.prototype.inspect = function() {
	  var proxy = this.toArray();

	  // Trick so that node displays the name of the constructor
	  Object.defineProperty(proxy, 'constructor', {
	    value: Heap,
	    enumerable: false
	  });

	  return proxy;
	};

	if (typeof Symbol !== 'undefined')
	  Heap.prototype[Symbol.for('nodejs.util.inspect.custom')] = Heap.prototype.inspect;

	/**
	 * Binary Maximum Heap.
	 *
	 * @constructor
	 * @param {function} comparator - Comparator function to use.
	 */
	function MaxHeap(comparator) {
	  this.clear();
	  this.comparator = comparator || DEFAULT_COMPARATOR;

	  if (typeof this.comparator !== 'function')
	    throw new Error('mnemonist/MaxHeap.constructor: given comparator should be a function.');

	  this.comparator = reverseComparator(this.comparator);
	}

	MaxHeap.prototype = Heap.prototype;

	/**
	 * Static @.from function taking an arbitrary iterable & converting it into
	 * a heap.
	 *
	 * @param  {Iterable} iterable   - Target iterable.
	 * @param  {function} comparator - Custom comparator function.
	 * @return {Heap}
	 */
	Heap.from = function(iterable, comparator) {
	  var heap = new Heap(comparator);

	  var items;

	  // If iterable is an array, we can be clever about it
	  if (iterables.isArrayLike(iterable))
	    items = iterable.slice();
	  else
	    items = iterables.toArray(iterable);

	  heapify(heap.comparator, items);
	  heap.items = items;
	  heap.size = items.length;

	  return heap;
	};

	MaxHeap.from = function(iterable, comparator) {
	  var heap = new MaxHeap(comparator);

	  var items;

	  // If iterable is an array, we can be clever about it
	  if (iterables.isArrayLike(iterable))
	    items = iterable.slice();
	  else
	    items = iterables.toArray(iterable);

	  heapify(heap.comparator, items);
	  heap.items = items;
	  heap.size = items.length;

	  return heap;
	};

	/**
	 * Exporting.
	 */
	Heap.siftUp = siftUp;
	Heap.siftDown = siftDown;
	Heap.push = push;
	Heap.pop = pop;
	Heap.replace = replace;
	Heap.pushpop = pushpop;
	Heap.heapify = heapify;
	Heap.consume = consume;

	Heap.nsmallest = nsmallest;
	Heap.nlargest = nlargest;

	Heap.MinHeap = Heap;
	Heap.MaxHeap = MaxHeap;

	heap = Heap;
	return heap;
}

var neighborhood = {};

var getters = {};

/**
 * Graphology Weight Getter
 * =========================
 *
 * Function creating weight getters.
 */

var hasRequiredGetters;

function requireGetters () {
	if (hasRequiredGetters) return getters;
	hasRequiredGetters = 1;
	function coerceWeight(value) {
	  // Ensuring target value is a correct number
	  if (typeof value !== 'number' || isNaN(value)) return 1;

	  return value;
	}

	function createNodeValueGetter(nameOrFunction, defaultValue) {
	  var getter = {};

	  var coerceToDefault = function (v) {
	    if (typeof v === 'undefined') return defaultValue;

	    return v;
	  };

	  if (typeof defaultValue === 'function') coerceToDefault = defaultValue;

	  var get = function (attributes) {
	    return coerceToDefault(attributes[nameOrFunction]);
	  };

	  var returnDefault = function () {
	    return coerceToDefault(undefined);
	  };

	  if (typeof nameOrFunction === 'string') {
	    getter.fromAttributes = get;
	    getter.fromGraph = function (graph, node) {
	      return get(graph.getNodeAttributes(node));
	    };
	    getter.fromEntry = function (node, attributes) {
	      return get(attributes);
	    };
	  } else if (typeof nameOrFunction === 'function') {
	    getter.fromAttributes = function () {
	      throw new Error(
	        'graphology-utils/getters/createNodeValueGetter: irrelevant usage.'
	      );
	    };
	    getter.fromGraph = function (graph, node) {
	      return coerceToDefault(
	        nameOrFunction(node, graph.getNodeAttributes(node))
	      );
	    };
	    getter.fromEntry = function (node, attributes) {
	      return coerceToDefault(nameOrFunction(node, attributes));
	    };
	  } else {
	    getter.fromAttributes = returnDefault;
	    getter.fromGraph = returnDefault;
	    getter.fromEntry = returnDefault;
	  }

	  return getter;
	}

	function createEdgeValueGetter(nameOrFunction, defaultValue) {
	  var getter = {};

	  var coerceToDefault = function (v) {
	    if (typeof v === 'undefined') return defaultValue;

	    return v;
	  };

	  if (typeof defaultValue === 'function') coerceToDefault = defaultValue;

	  var get = function (attributes) {
	    return coerceToDefault(attributes[nameOrFunction]);
	  };

	  var returnDefault = function () {
	    return coerceToDefault(undefined);
	  };

	  if (typeof nameOrFunction === 'string') {
	    getter.fromAttributes = get;
	    getter.fromGraph = function (graph, edge) {
	      return get(graph.getEdgeAttributes(edge));
	    };
	    getter.fromEntry = function (edge, attributes) {
	      return get(attributes);
	    };
	    getter.fromPartialEntry = getter.fromEntry;
	    getter.fromMinimalEntry = getter.fromEntry;
	  } else if (typeof nameOrFunction === 'function') {
	    getter.fromAttributes = function () {
	      throw new Error(
	        'graphology-utils/getters/createEdgeValueGetter: irrelevant usage.'
	      );
	    };
	    getter.fromGraph = function (graph, edge) {
	      // TODO: we can do better, check #310
	      var extremities = graph.extremities(edge);
	      return coerceToDefault(
	        nameOrFunction(
	          edge,
	          graph.getEdgeAttributes(edge),
	          extremities[0],
	          extremities[1],
	          graph.getNodeAttributes(extremities[0]),
	          graph.getNodeAttributes(extremities[1]),
	          graph.isUndirected(edge)
	        )
	      );
	    };
	    getter.fromEntry = function (e, a, s, t, sa, ta, u) {
	      return coerceToDefault(nameOrFunction(e, a, s, t, sa, ta, u));
	    };
	    getter.fromPartialEntry = function (e, a, s, t) {
	      return coerceToDefault(nameOrFunction(e, a, s, t));
	    };
	    getter.fromMinimalEntry = function (e, a) {
	      return coerceToDefault(nameOrFunction(e, a));
	    };
	  } else {
	    getter.fromAttributes = returnDefault;
	    getter.fromGraph = returnDefault;
	    getter.fromEntry = returnDefault;
	    getter.fromMinimalEntry = returnDefault;
	  }

	  return getter;
	}

	getters.createNodeValueGetter = createNodeValueGetter;
	getters.createEdgeValueGetter = createEdgeValueGetter;
	getters.createEdgeWeightGetter = function (name) {
	  return createEdgeValueGetter(name, coerceWeight);
	};
	return getters;
}

/**
 * Graphology Neighborhood Indices
 * ================================
 */

var hasRequiredNeighborhood;

function requireNeighborhood () {
	if (hasRequiredNeighborhood) return neighborhood;
	hasRequiredNeighborhood = 1;
	var typed = requireTypedArrays();
	var createEdgeWeightGetter =
	  requireGetters().createEdgeWeightGetter;

	function upperBoundPerMethod(method, graph) {
	  if (method === 'outbound' || method === 'inbound')
	    return graph.directedSize + graph.undirectedSize * 2;

	  if (method === 'in' || method === 'out' || method === 'directed')
	    return graph.directedSize;

	  return graph.undirectedSize * 2;
	}

	function NeighborhoodIndex(graph, method) {
	  method = method || 'outbound';
	  var getNeighbors = graph[method + 'Neighbors'].bind(graph);

	  var upperBound = upperBoundPerMethod(method, graph);

	  var NeighborhoodPointerArray = typed.getPointerArray(upperBound);
	  var NodesPointerArray = typed.getPointerArray(graph.order);

	  // NOTE: directedSize + undirectedSize * 2 is an upper bound for
	  // neighborhood size
	  this.graph = graph;
	  this.neighborhood = new NodesPointerArray(upperBound);

	  this.starts = new NeighborhoodPointerArray(graph.order + 1);

	  this.nodes = graph.nodes();

	  var ids = {};

	  var i, l, j, m, node, neighbors;

	  var n = 0;

	  for (i = 0, l = graph.order; i < l; i++) ids[this.nodes[i]] = i;

	  for (i = 0, l = graph.order; i < l; i++) {
	    node = this.nodes[i];
	    neighbors = getNeighbors(node);

	    this.starts[i] = n;

	    for (j = 0, m = neighbors.length; j < m; j++)
	      this.neighborhood[n++] = ids[neighbors[j]];
	  }

	  // NOTE: we keep one more index as upper bound to simplify iteration
	  this.starts[i] = upperBound;
	}

	NeighborhoodIndex.prototype.bounds = function (i) {
	  return [this.starts[i], this.starts[i + 1]];
	};

	NeighborhoodIndex.prototype.project = function () {
	  var self = this;

	  var projection = {};

	  self.nodes.forEach(function (node, i) {
	    projection[node] = Array.from(
	      self.neighborhood.slice(self.starts[i], self.starts[i + 1])
	    ).map(function (j) {
	      return self.nodes[j];
	    });
	  });

	  return projection;
	};

	NeighborhoodIndex.prototype.collect = function (results) {
	  var i, l;

	  var o = {};

	  for (i = 0, l = results.length; i < l; i++) o[this.nodes[i]] = results[i];

	  return o;
	};

	NeighborhoodIndex.prototype.assign = function (prop, results) {
	  var i = 0;

	  this.graph.updateEachNodeAttributes(
	    function (_, attr) {
	      attr[prop] = results[i++];

	      return attr;
	    },
	    {attributes: [prop]}
	  );
	};

	neighborhood.NeighborhoodIndex = NeighborhoodIndex;

	function WeightedNeighborhoodIndex(graph, getEdgeWeight, method) {
	  method = method || 'outbound';
	  var getEdges = graph[method + 'Edges'].bind(graph);

	  var upperBound = upperBoundPerMethod(method, graph);

	  var NeighborhoodPointerArray = typed.getPointerArray(upperBound);
	  var NodesPointerArray = typed.getPointerArray(graph.order);

	  var weightGetter = createEdgeWeightGetter(getEdgeWeight).fromMinimalEntry;

	  // NOTE: directedSize + undirectedSize * 2 is an upper bound for
	  // neighborhood size
	  this.graph = graph;
	  this.neighborhood = new NodesPointerArray(upperBound);
	  this.weights = new Float64Array(upperBound);
	  this.outDegrees = new Float64Array(graph.order);

	  this.starts = new NeighborhoodPointerArray(graph.order + 1);

	  this.nodes = graph.nodes();

	  var ids = {};

	  var i, l, j, m, node, neighbor, edges, edge, weight;

	  var n = 0;

	  for (i = 0, l = graph.order; i < l; i++) ids[this.nodes[i]] = i;

	  for (i = 0, l = graph.order; i < l; i++) {
	    node = this.nodes[i];
	    edges = getEdges(node);

	    this.starts[i] = n;

	    for (j = 0, m = edges.length; j < m; j++) {
	      edge = edges[j];
	      neighbor = graph.opposite(node, edge);
	      weight = weightGetter(edge, graph.getEdgeAttributes(edge));

	      // NOTE: for weighted mixed beware of merging weights if twice the same neighbor
	      this.neighborhood[n] = ids[neighbor];
	      this.weights[n++] = weight;
	      this.outDegrees[i] += weight;
	    }
	  }

	  // NOTE: we keep one more index as upper bound to simplify iteration
	  this.starts[i] = upperBound;
	}

	WeightedNeighborhoodIndex.prototype.bounds = NeighborhoodIndex.prototype.bounds;
	WeightedNeighborhoodIndex.prototype.project =
	  NeighborhoodIndex.prototype.project;
	WeightedNeighborhoodIndex.prototype.collect =
	  NeighborhoodIndex.prototype.collect;
	WeightedNeighborhoodIndex.prototype.assign = NeighborhoodIndex.prototype.assign;

	neighborhood.WeightedNeighborhoodIndex = WeightedNeighborhoodIndex;
	return neighborhood;
}

/**
 * Graphology Indexed Brandes Routine
 * ===================================
 *
 * Indexed version of the famous Brandes routine aiming at computing
 * betweenness centrality efficiently.
 */

var hasRequiredIndexedBrandes;

function requireIndexedBrandes () {
	if (hasRequiredIndexedBrandes) return indexedBrandes;
	hasRequiredIndexedBrandes = 1;
	var FixedDeque = requireFixedDeque();
	var FixedStack = requireFixedStack();
	var Heap = requireHeap();
	var typed = requireTypedArrays();
	var neighborhoodIndices = requireNeighborhood();

	var NeighborhoodIndex = neighborhoodIndices.NeighborhoodIndex;
	var WeightedNeighborhoodIndex = neighborhoodIndices.WeightedNeighborhoodIndex;

	/**
	 * Indexed unweighted Brandes routine.
	 *
	 * [Reference]:
	 * Ulrik Brandes: A Faster Algorithm for Betweenness Centrality.
	 * Journal of Mathematical Sociology 25(2):163-177, 2001.
	 *
	 * @param  {Graph}    graph - The graphology instance.
	 * @return {function}
	 */
	indexedBrandes.createUnweightedIndexedBrandes =
	  function createUnweightedIndexedBrandes(graph) {
	    var neighborhoodIndex = new NeighborhoodIndex(graph);

	    var neighborhood = neighborhoodIndex.neighborhood,
	      starts = neighborhoodIndex.starts;

	    var order = graph.order;

	    var S = new FixedStack(typed.getPointerArray(order), order),
	      sigma = new Uint32Array(order),
	      P = new Array(order),
	      D = new Int32Array(order);

	    var Q = new FixedDeque(Uint32Array, order);

	    var brandes = function (sourceIndex) {
	      var Dv, sigmav, start, stop, j, v, w;

	      for (v = 0; v < order; v++) {
	        P[v] = [];
	        sigma[v] = 0;
	        D[v] = -1;
	      }

	      sigma[sourceIndex] = 1;
	      D[sourceIndex] = 0;

	      Q.push(sourceIndex);

	      while (Q.size !== 0) {
	        v = Q.shift();
	        S.push(v);

	        Dv = D[v];
	        sigmav = sigma[v];

	        start = starts[v];
	        stop = starts[v + 1];

	        for (j = start; j < stop; j++) {
	          w = neighborhood[j];

	          if (D[w] === -1) {
	            Q.push(w);
	            D[w] = Dv + 1;
	          }

	          if (D[w] === Dv + 1) {
	            sigma[w] += sigmav;
	            P[w].push(v);
	          }
	        }
	      }

	      return [S, P, sigma];
	    };

	    brandes.index = neighborhoodIndex;

	    return brandes;
	  };

	function BRANDES_DIJKSTRA_HEAP_COMPARATOR(a, b) {
	  if (a[0] > b[0]) return 1;
	  if (a[0] < b[0]) return -1;

	  if (a[1] > b[1]) return 1;
	  if (a[1] < b[1]) return -1;

	  if (a[2] > b[2]) return 1;
	  if (a[2] < b[2]) return -1;

	  if (a[3] > b[3]) return 1;
	  if (a[3] < b[3]) return -1;

	  return 0;
	}

	/**
	 * Indexed Dijkstra Brandes routine.
	 *
	 * [Reference]:
	 * Ulrik Brandes: A Faster Algorithm for Betweenness Centrality.
	 * Journal of Mathematical Sociology 25(2):163-177, 2001.
	 *
	 * @param  {Graph}    graph         - The graphology instance.
	 * @param  {string}   getEdgeWeight - Name of the weight attribute or getter function.
	 * @return {function}
	 */
	indexedBrandes.createDijkstraIndexedBrandes = function createDijkstraIndexedBrandes(
	  graph,
	  getEdgeWeight
	) {
	  var neighborhoodIndex = new WeightedNeighborhoodIndex(
	    graph,
	    getEdgeWeight || 'weight'
	  );

	  var neighborhood = neighborhoodIndex.neighborhood,
	    weights = neighborhoodIndex.weights,
	    starts = neighborhoodIndex.starts;

	  var order = graph.order;

	  var S = new FixedStack(typed.getPointerArray(order), order),
	    sigma = new Uint32Array(order),
	    P = new Array(order),
	    D = new Float64Array(order),
	    seen = new Float64Array(order);

	  // TODO: use fixed-size heap
	  var Q = new Heap(BRANDES_DIJKSTRA_HEAP_COMPARATOR);

	  var brandes = function (sourceIndex) {
	    var start, stop, item, dist, pred, cost, j, v, w;

	    var count = 0;

	    for (v = 0; v < order; v++) {
	      P[v] = [];
	      sigma[v] = 0;
	      D[v] = -1;
	      seen[v] = -1;
	    }

	    sigma[sourceIndex] = 1;
	    seen[sourceIndex] = 0;

	    Q.push([0, count++, sourceIndex, sourceIndex]);

	    while (Q.size !== 0) {
	      item = Q.pop();
	      dist = item[0];
	      pred = item[2];
	      v = item[3];

	      if (D[v] !== -1) continue;

	      S.push(v);
	      D[v] = dist;
	      sigma[v] += sigma[pred];

	      start = starts[v];
	      stop = starts[v + 1];

	      for (j = start; j < stop; j++) {
	        w = neighborhood[j];
	        cost = dist + weights[j];

	        if (D[w] === -1 && (seen[w] === -1 || cost < seen[w])) {
	          seen[w] = cost;
	          Q.push([cost, count++, v, w]);
	          sigma[w] = 0;
	          P[w] = [v];
	        } else if (cost === seen[w]) {
	          sigma[w] += sigma[v];
	          P[w].push(v);
	        }
	      }
	    }

	    return [S, P, sigma];
	  };

	  brandes.index = neighborhoodIndex;

	  return brandes;
	};
	return indexedBrandes;
}

/**
 * Graphology Defaults
 * ====================
 *
 * Helper function used throughout the standard lib to resolve defaults.
 */

var defaults;
var hasRequiredDefaults;

function requireDefaults () {
	if (hasRequiredDefaults) return defaults;
	hasRequiredDefaults = 1;
	function isLeaf(o) {
	  return (
	    !o ||
	    typeof o !== 'object' ||
	    typeof o === 'function' ||
	    Array.isArray(o) ||
	    o instanceof Set ||
	    o instanceof Map ||
	    o instanceof RegExp ||
	    o instanceof Date
	  );
	}

	function resolveDefaults(target, defaults) {
	  target = target || {};

	  var output = {};

	  for (var k in defaults) {
	    var existing = target[k];
	    var def = defaults[k];

	    // Recursion
	    if (!isLeaf(def)) {
	      output[k] = resolveDefaults(existing, def);

	      continue;
	    }

	    // Leaf
	    if (existing === undefined) {
	      output[k] = def;
	    } else {
	      output[k] = existing;
	    }
	  }

	  return output;
	}

	defaults = resolveDefaults;
	return defaults;
}

/**
 * Graphology Betweenness Centrality
 * ==================================
 *
 * Function computing betweenness centrality.
 */

var betweenness;
var hasRequiredBetweenness;

function requireBetweenness () {
	if (hasRequiredBetweenness) return betweenness;
	hasRequiredBetweenness = 1;
	var isGraph = requireIsGraph();
	var lib = requireIndexedBrandes();
	var resolveDefaults = requireDefaults();

	var createUnweightedIndexedBrandes = lib.createUnweightedIndexedBrandes;
	var createDijkstraIndexedBrandes = lib.createDijkstraIndexedBrandes;

	/**
	 * Defaults.
	 */
	var DEFAULTS = {
	  nodeCentralityAttribute: 'betweennessCentrality',
	  getEdgeWeight: 'weight',
	  normalized: true
	};

	/**
	 * Abstract function computing beetweenness centrality for the given graph.
	 *
	 * @param  {boolean} assign                      - Assign the results to node attributes?
	 * @param  {Graph}   graph                       - Target graph.
	 * @param  {object}  [options]                   - Options:
	 * @param  {object}    [nodeCentralityAttribute] - Name of the attribute to assign.
	 * @param  {string}    [getEdgeWeight]           - Name of the weight attribute or getter function.
	 * @param  {boolean}   [normalized]              - Should the centrality be normalized?
	 * @param  {object}
	 */
	function abstractBetweennessCentrality(assign, graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-centrality/beetweenness-centrality: the given graph is not a valid graphology instance.'
	    );

	  // Solving options
	  options = resolveDefaults(options, DEFAULTS);

	  var outputName = options.nodeCentralityAttribute;
	  var normalized = options.normalized;

	  var brandes = options.getEdgeWeight
	    ? createDijkstraIndexedBrandes(graph, options.getEdgeWeight)
	    : createUnweightedIndexedBrandes(graph);

	  var N = graph.order;

	  var result, S, P, sigma, coefficient, i, j, m, v, w;

	  var delta = new Float64Array(N);
	  var centralities = new Float64Array(N);

	  // Iterating over each node
	  for (i = 0; i < N; i++) {
	    result = brandes(i);

	    S = result[0];
	    P = result[1];
	    sigma = result[2];

	    // Accumulating
	    j = S.size;

	    while (j--) delta[S.items[S.size - j]] = 0;

	    while (S.size !== 0) {
	      w = S.pop();
	      coefficient = (1 + delta[w]) / sigma[w];

	      for (j = 0, m = P[w].length; j < m; j++) {
	        v = P[w][j];
	        delta[v] += sigma[v] * coefficient;
	      }

	      if (w !== i) centralities[w] += delta[w];
	    }
	  }

	  // Rescaling
	  var scale = null;

	  if (normalized) scale = N <= 2 ? null : 1 / ((N - 1) * (N - 2));
	  else scale = graph.type === 'undirected' ? 0.5 : null;

	  if (scale !== null) {
	    for (i = 0; i < N; i++) centralities[i] *= scale;
	  }

	  if (assign) return brandes.index.assign(outputName, centralities);

	  return brandes.index.collect(centralities);
	}

	/**
	 * Exporting.
	 */
	var betweennessCentrality = abstractBetweennessCentrality.bind(null, false);
	betweennessCentrality.assign = abstractBetweennessCentrality.bind(null, true);

	betweenness = betweennessCentrality;
	return betweenness;
}

/**
 * Graphology Betweenness Centrality
 * ==================================
 *
 * Function computing betweenness centrality.
 */

var edgeBetweenness;
var hasRequiredEdgeBetweenness;

function requireEdgeBetweenness () {
	if (hasRequiredEdgeBetweenness) return edgeBetweenness;
	hasRequiredEdgeBetweenness = 1;
	var isGraph = requireIsGraph();
	var lib = requireIndexedBrandes();
	var resolveDefaults = requireDefaults();

	var createUnweightedIndexedBrandes = lib.createUnweightedIndexedBrandes;
	var createDijkstraIndexedBrandes = lib.createDijkstraIndexedBrandes;

	/**
	 * Defaults.
	 */

	var DEFAULTS = {
	  edgeCentralityAttribute: 'betweennessCentrality',
	  getEdgeWeight: 'weight',
	  normalized: true
	};

	/**
	 * Abstract function computing edge beetweenness centrality for the given graph.
	 *
	 * @param  {boolean}   assign                      - Assign the results to node attributes?
	 * @param  {Graph}     graph                       - Target graph.
	 * @param  {object}    [options]                   - Options:
	 * @param  {object}    [edgeCentralityAttribute] - Name of the attribute to assign.
	 * @param  {string}    [getEdgeWeight]           - Name of the weight attribute or getter function.
	 * @param  {boolean}   [normalized]              - Should the centrality be normalized?
	 * @param  {object}
	 */
	function abstractEdgeBetweennessCentrality(assign, graph, options) {
	  if (!isGraph(graph)) {
	    throw new Error(
	      'graphology-centrality/edge-beetweenness-centrality: the given graph is not a valid graphology instance.'
	    );
	  }

	  // Solving options
	  options = resolveDefaults(options, DEFAULTS);

	  var outputName = options.edgeCentralityAttribute;
	  var normalized = options.normalized;

	  var brandes = options.getEdgeWeight
	    ? createDijkstraIndexedBrandes(graph, options.getEdgeWeight)
	    : createUnweightedIndexedBrandes(graph);

	  var order = graph.order;
	  var result, S, P, sigma, coefficient, i, j, m, v, c, w, wn;

	  var delta = new Float64Array(order);
	  var edgeCentralities = {};

	  graph.forEachEdge(function (edge) {
	    edgeCentralities[edge] = 0.0;
	  });

	  var nodes = brandes.index.nodes;

	  // Iterating over each node
	  for (i = 0; i < order; i++) {
	    result = brandes(i);

	    S = result[0];
	    P = result[1];
	    sigma = result[2];

	    // Accumulating
	    j = S.size;

	    while (j--) delta[S.items[S.size - j]] = 0;

	    // accumulate edges
	    while (S.size !== 0) {
	      w = S.pop();
	      coefficient = (1 + delta[w]) / sigma[w];
	      wn = nodes[w];
	      for (j = 0, m = P[w].length; j < m; j++) {
	        v = P[w][j];
	        c = sigma[v] * coefficient;

	        // TODO: this is hardly optimal, but the good
	        // solution implies to add some variant of the
	        // neighboorhood index and brandes routine which
	        // will be quite time-consuming.
	        var vw = graph.edge(nodes[v], wn);
	        edgeCentralities[vw] += c;

	        delta[v] += c;
	      }
	    }
	  }

	  // Rescaling
	  var scale = null;

	  if (normalized) scale = order <= 1 ? null : 1 / (order * (order - 1));
	  else scale = graph.type === 'undirected' ? 0.5 : null;

	  if (scale !== null) {
	    graph.forEachEdge(function (edge) {
	      edgeCentralities[edge] *= scale;
	    });
	  }

	  if (assign) {
	    return graph.updateEachEdgeAttributes(function (edge, attr) {
	      attr[outputName] = edgeCentralities[edge];
	      return attr;
	    });
	  }

	  return edgeCentralities;
	}

	/**
	 * Exporting.
	 */
	var edgeBetweennessCentrality = abstractEdgeBetweennessCentrality.bind(
	  null,
	  false
	);
	edgeBetweennessCentrality.assign = abstractEdgeBetweennessCentrality.bind(
	  null,
	  true
	);

	edgeBetweenness = edgeBetweennessCentrality;
	return edgeBetweenness;
}

/**
 * Mnemonist SparseSet
 * ====================
 *
 * JavaScript sparse set implemented on top of byte arrays.
 *
 * [Reference]: https://research.swtch.com/sparse
 */

var sparseSet;
var hasRequiredSparseSet;

function requireSparseSet () {
	if (hasRequiredSparseSet) return sparseSet;
	hasRequiredSparseSet = 1;
	var Iterator = requireIterator(),
	    getPointerArray = requireTypedArrays().getPointerArray;

	/**
	 * SparseSet.
	 *
	 * @constructor
	 */
	function SparseSet(length) {

	  var ByteArray = getPointerArray(length);

	  // Properties
	  this.size = 0;
	  this.length = length;
	  this.dense = new ByteArray(length);
	  this.sparse = new ByteArray(length);
	}

	/**
	 * Method used to clear the structure.
	 *
	 * @return {undefined}
	 */
	SparseSet.prototype.clear = function() {
	  this.size = 0;
	};

	/**
	 * Method used to check the existence of a member in the set.
	 *
	 * @param  {number} member - Member to test.
	 * @return {SparseSet}
	 */
	SparseSet.prototype.has = function(member) {
	  var index = this.sparse[member];

	  return (
	    index < this.size &&
	    this.dense[index] === member
	  );
	};

	/**
	 * Method used to add a member to the set.
	 *
	 * @param  {number} member - Member to add.
	 * @return {SparseSet}
	 */
	SparseSet.prototype.add = function(member) {
	  var index = this.sparse[member];

	  if (index < this.size && this.dense[index] === member)
	    return this;

	  this.dense[this.size] = member;
	  this.sparse[member] = this.size;
	  this.size++;

	  return this;
	};

	/**
	 * Method used to remove a member from the set.
	 *
	 * @param  {number} member - Member to delete.
	 * @return {boolean}
	 */
	SparseSet.prototype.delete = function(member) {
	  var index = this.sparse[member];

	  if (index >= this.size || this.dense[index] !== member)
	    return false;

	  index = this.dense[this.size - 1];
	  this.dense[this.sparse[member]] = index;
	  this.sparse[index] = this.sparse[member];
	  this.size--;

	  return true;
	};

	/**
	 * Method used to iterate over the set's values.
	 *
	 * @param  {function}  callback - Function to call for each item.
	 * @param  {object}    scope    - Optional scope.
	 * @return {undefined}
	 */
	SparseSet.prototype.forEach = function(callback, scope) {
	  scope = arguments.length > 1 ? scope : this;

	  var item;

	  for (var i = 0; i < this.size; i++) {
	    item = this.dense[i];

	    callback.call(scope, item, item);
	  }
	};

	/**
	 * Method used to create an iterator over a set's values.
	 *
	 * @return {Iterator}
	 */
	SparseSet.prototype.values = function() {
	  var size = this.size,
	      dense = this.dense,
	      i = 0;

	  return new Iterator(function() {
	    if (i < size) {
	      var item = dense[i];
	      i++;

	      return {
	        value: item
	      };
	    }

	    return {
	      done: true
	    };
	  });
	};

	/**
	 * Attaching the #.values method to Symbol.iterator if possible.
	 */
	if (typeof Symbol !== 'undefined')
	  SparseSet.prototype[Symbol.iterator] = SparseSet.prototype.values;

	/**
	 * Convenience known methods.
	 */
	SparseSet.prototype.inspect = function() {
	  var proxy = new Set();

	  for (var i = 0; i < this.size; i++)
	    proxy.add(this.dense[i]);

	  // Trick so that node displays the name of the constructor
	  Object.defineProperty(proxy, 'constructor', {
	    value: SparseSet,
	    enumerable: false
	  });

	  proxy.length = this.length;

	  return proxy;
	};

	if (typeof Symbol !== 'undefined')
	  SparseSet.prototype[Symbol.for('nodejs.util.inspect.custom')] = SparseSet.prototype.inspect;

	/**
	 * Exporting.
	 */
	sparseSet = SparseSet;
	return sparseSet;
}

/**
 * Graphology Closeness Centrality
 * ================================
 *
 * JavaScript implementation of the closeness centrality
 *
 * [References]:
 * https://en.wikipedia.org/wiki/Closeness_centrality
 *
 * Linton C. Freeman: Centrality in networks: I.
 * Conceptual clarification. Social Networks 1:215-239, 1979.
 * https://doi.org/10.1016/0378-8733(78)90021-7
 *
 * pg. 201 of Wasserman, S. and Faust, K.,
 * Social Network Analysis: Methods and Applications, 1994,
 * Cambridge University Press.
 */

var closeness;
var hasRequiredCloseness;

function requireCloseness () {
	if (hasRequiredCloseness) return closeness;
	hasRequiredCloseness = 1;
	var isGraph = requireIsGraph();
	var resolveDefaults = requireDefaults();
	var FixedDeque = requireFixedDeque();
	var SparseSet = requireSparseSet();
	var NeighborhoodIndex =
	  requireNeighborhood().NeighborhoodIndex;

	// TODO: can be computed for a single node
	// TODO: weighted
	// TODO: abstract the single source indexed shortest path in lib
	// TODO: what about self loops?
	// TODO: refactor a BFSQueue working on integer ranges in graphology-indices?

	/**
	 * Defaults.
	 */
	var DEFAULTS = {
	  nodeCentralityAttribute: 'closenessCentrality',
	  wassermanFaust: false
	};

	/**
	 * Helpers.
	 */
	function IndexedBFS(graph) {
	  this.index = new NeighborhoodIndex(graph, 'inbound');
	  this.queue = new FixedDeque(Array, graph.order);
	  this.seen = new SparseSet(graph.order);
	}

	IndexedBFS.prototype.fromNode = function (i) {
	  var index = this.index;
	  var queue = this.queue;
	  var seen = this.seen;

	  seen.clear();
	  queue.clear();

	  seen.add(i);
	  queue.push([i, 0]);

	  var item, n, d, j, l, neighbor;

	  var total = 0;
	  var count = 0;

	  while (queue.size !== 0) {
	    item = queue.shift();
	    n = item[0];
	    d = item[1];

	    if (d !== 0) {
	      total += d;
	      count += 1;
	    }

	    l = index.starts[n + 1];

	    for (j = index.starts[n]; j < l; j++) {
	      neighbor = index.neighborhood[j];

	      if (seen.has(neighbor)) continue;

	      seen.add(neighbor);
	      queue.push([neighbor, d + 1]);
	    }
	  }

	  return [count, total];
	};

	/**
	 * Abstract function computing the closeness centrality of a graph's nodes.
	 *
	 * @param  {boolean}  assign        - Should we assign the result to nodes.
	 * @param  {Graph}    graph         - Target graph.
	 * @param  {?object}  option        - Options:
	 * @param  {?string}   nodeCentralityAttribute - Name of the centrality attribute to assign.
	 * @param  {?boolean}  wassermanFaust - Whether to compute the Wasserman & Faust
	 *                                      variant of the metric.
	 * @return {object|undefined}
	 */
	function abstractClosenessCentrality(assign, graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/centrality/closeness: the given graph is not a valid graphology instance.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  var wassermanFaust = options.wassermanFaust;

	  var bfs = new IndexedBFS(graph);

	  var N = graph.order;

	  var i, result, count, total, closeness;

	  var mapping = new Float64Array(N);

	  for (i = 0; i < N; i++) {
	    result = bfs.fromNode(i);
	    count = result[0];
	    total = result[1];

	    closeness = 0;

	    if (total > 0 && N > 1) {
	      closeness = count / total;

	      if (wassermanFaust) {
	        closeness *= count / (N - 1);
	      }
	    }

	    mapping[i] = closeness;
	  }

	  if (assign) {
	    return bfs.index.assign(options.nodeCentralityAttribute, mapping);
	  }

	  return bfs.index.collect(mapping);
	}

	/**
	 * Exporting.
	 */
	var closenessCentrality = abstractClosenessCentrality.bind(null, false);
	closenessCentrality.assign = abstractClosenessCentrality.bind(null, true);

	closeness = closenessCentrality;
	return closeness;
}

/**
 * Graphology Eigenvector Centrality
 * ==================================
 *
 * JavaScript implementation of the eigenvector centrality.
 *
 * [References]:
 * https://en.wikipedia.org/wiki/Eigenvector_centrality
 *
 * Phillip Bonacich. "Power and Centrality: A Family of Measures."
 * American Journal of Sociology, 92(5):1170–1182, 1986
 * http://www.leonidzhukov.net/hse/2014/socialnetworks/papers/Bonacich-Centrality.pdf
 *
 * Mark E. J. Newman.
 * Networks: An Introduct *
 * Oxford University Press, USA, 2010, pp. 169.
 */

var eigenvector;
var hasRequiredEigenvector;

function requireEigenvector () {
	if (hasRequiredEigenvector) return eigenvector;
	hasRequiredEigenvector = 1;
	var isGraph = requireIsGraph();
	var resolveDefaults = requireDefaults();
	var WeightedNeighborhoodIndex =
	  requireNeighborhood().WeightedNeighborhoodIndex;

	/**
	 * Defaults.
	 */
	var DEFAULTS = {
	  nodeCentralityAttribute: 'eigenvectorCentrality',
	  getEdgeWeight: 'weight',
	  maxIterations: 100,
	  tolerance: 1e-6
	};

	/**
	 * Helpers.
	 */
	function safeVariadicHypot(x) {
	  var max = 0;
	  var s = 0;

	  for (var i = 0, l = x.length; i < l; i++) {
	    var n = Math.abs(x[i]);

	    if (n > max) {
	      s *= (max / n) * (max / n);
	      max = n;
	    }
	    s += n === 0 && max === 0 ? 0 : (n / max) * (n / max);
	  }

	  // NOTE: In case of numerical error we'll assume the norm is 1 in our case!
	  return max === Infinity ? 1 : max * Math.sqrt(s);
	}

	/**
	 * Abstract function computing the eigenvector centrality of a graph's nodes.
	 *
	 * @param  {boolean}  assign        - Should we assign the result to nodes.
	 * @param  {Graph}    graph         - Target graph.
	 * @param  {?object}  option        - Options:
	 * @param  {?string}    nodeCentralityAttribute - Name of the centrality attribute to assign.
	 * @param  {?string}    getEdgeWeight - Name of the weight algorithm or getter function.
	 * @param  {?number}    maxIterations - Maximum number of iterations to perform.
	 * @param  {?number}    tolerance     - Error tolerance when checking for convergence.
	 * @return {object|undefined}
	 */
	function abstractEigenvectorCentrality(assign, graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/centrality/eigenvector: the given graph is not a valid graphology instance.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  var maxIterations = options.maxIterations;
	  var tolerance = options.tolerance;

	  var N = graph.order;

	  var index = new WeightedNeighborhoodIndex(graph, options.getEdgeWeight);

	  var i, j, l, w;

	  var x = new Float64Array(graph.order);

	  // Initializing
	  for (i = 0; i < N; i++) {
	    x[i] = 1 / N;
	  }

	  // Power iterations
	  var iteration = 0;
	  var error = 0;
	  var neighbor, xLast, norm;
	  var converged = false;

	  while (iteration < maxIterations) {
	    xLast = x;
	    x = new Float64Array(xLast);

	    for (i = 0; i < N; i++) {
	      l = index.starts[i + 1];

	      for (j = index.starts[i]; j < l; j++) {
	        neighbor = index.neighborhood[j];
	        w = index.weights[j];
	        x[neighbor] += xLast[i] * w;
	      }
	    }

	    norm = safeVariadicHypot(x);

	    for (i = 0; i < N; i++) {
	      x[i] /= norm;
	    }

	    // Checking convergence
	    error = 0;

	    for (i = 0; i < N; i++) {
	      error += Math.abs(x[i] - xLast[i]);
	    }

	    if (error < N * tolerance) {
	      converged = true;
	      break;
	    }

	    iteration++;
	  }

	  if (!converged)
	    throw Error(
	      'graphology-metrics/centrality/eigenvector: failed to converge.'
	    );

	  if (assign) {
	    index.assign(options.nodeCentralityAttribute, x);
	    return;
	  }

	  return index.collect(x);
	}

	/**
	 * Exporting.
	 */
	var eigenvectorCentrality = abstractEigenvectorCentrality.bind(null, false);
	eigenvectorCentrality.assign = abstractEigenvectorCentrality.bind(null, true);

	eigenvector = eigenvectorCentrality;
	return eigenvector;
}

/**
 * Graphology HITS Algorithm
 * ==========================
 *
 * Implementation of the HITS algorithm for the graphology specs.
 */

var hits_1;
var hasRequiredHits;

function requireHits () {
	if (hasRequiredHits) return hits_1;
	hasRequiredHits = 1;
	var resolveDefaults = requireDefaults();
	var isGraph = requireIsGraph();
	var createEdgeWeightGetter =
	  requireGetters().createEdgeWeightGetter;

	// TODO: optimize using NeighborhoodIndex

	/**
	 * Defaults.
	 */
	var DEFAULTS = {
	  nodeAuthorityAttribute: 'authority',
	  nodeHubAttribute: 'hub',
	  getEdgeWeight: 'weight',
	  maxIterations: 100,
	  normalize: true,
	  tolerance: 1e-8
	};

	/**
	 * Function returning an object with the given keys set to the given value.
	 *
	 * @param  {array}  keys  - Keys to set.
	 * @param  {number} value - Value to set.
	 * @return {object}       - The created object.
	 */
	function dict(keys, value) {
	  var o = Object.create(null);

	  var i, l;

	  for (i = 0, l = keys.length; i < l; i++) o[keys[i]] = value;

	  return o;
	}

	/**
	 * Function returning the sum of an object's values.
	 *
	 * @param  {object} o - Target object.
	 * @return {number}   - The sum.
	 */
	function sum(o) {
	  var nb = 0;

	  for (var k in o) nb += o[k];

	  return nb;
	}

	/**
	 * HITS function taking a Graph instance & some options and returning a map
	 * of nodes to their hubs & authorities.
	 *
	 * @param  {boolean} assign    - Should we assign the results as node attributes?
	 * @param  {Graph}   graph     - A Graph instance.
	 * @param  {object}  [options] - Options:
	 * @param  {number}    [maxIterations] - Maximum number of iterations to perform.
	 * @param  {boolean}   [normalize]     - Whether to normalize the results by the
	 *                                       sum of all values.
	 * @param  {number}    [tolerance]     - Error tolerance used to check
	 *                                       convergence in power method iteration.
	 */
	function hits(assign, graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-hits: the given graph is not a valid graphology instance.'
	    );

	  if (graph.multi)
	    throw new Error(
	      'graphology-hits: the HITS algorithm does not work with MultiGraphs.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  var getEdgeWeight = createEdgeWeightGetter(options.getEdgeWeight).fromEntry;

	  // Variables
	  var order = graph.order;
	  var nodes = graph.nodes();
	  var edges;
	  var hubs = dict(nodes, 1 / order);
	  var weights = {};
	  var converged = false;
	  var lastHubs;
	  var authorities;

	  // Iteration variables
	  var node, neighbor, edge, iteration, maxAuthority, maxHub, error, S, i, j, m;

	  // Indexing weights
	  graph.forEachEdge(function (e, a, s, t, sa, ta, u) {
	    weights[e] = getEdgeWeight(e, a, s, t, sa, ta, u);
	  });

	  // Performing iterations
	  for (iteration = 0; iteration < options.maxIterations; iteration++) {
	    lastHubs = hubs;
	    hubs = dict(nodes, 0);
	    authorities = dict(nodes, 0);
	    maxHub = 0;
	    maxAuthority = 0;

	    // Iterating over nodes to update authorities
	    for (i = 0; i < order; i++) {
	      node = nodes[i];
	      edges = graph.outboundEdges(node);

	      // Iterating over neighbors
	      for (j = 0, m = edges.length; j < m; j++) {
	        edge = edges[j];
	        neighbor = graph.opposite(node, edge);

	        authorities[neighbor] += lastHubs[node] * weights[edge];

	        if (authorities[neighbor] > maxAuthority)
	          maxAuthority = authorities[neighbor];
	      }
	    }

	    // Iterating over nodes to update hubs
	    for (i = 0; i < order; i++) {
	      node = nodes[i];
	      edges = graph.outboundEdges(node);

	      for (j = 0, m = edges.length; j < m; j++) {
	        edge = edges[j];
	        neighbor = graph.opposite(node, edge);

	        hubs[node] += authorities[neighbor] * weights[edge];
	      }

	      if (hubs[node] > maxHub) maxHub = hubs[node];
	    }

	    // Normalizing
	    S = 1 / maxHub;

	    for (node in hubs) hubs[node] *= S;

	    S = 1 / maxAuthority;

	    for (node in authorities) authorities[node] *= S;

	    // Checking convergence
	    error = 0;

	    for (node in hubs) error += Math.abs(hubs[node] - lastHubs[node]);

	    if (error < options.tolerance) {
	      converged = true;
	      break;
	    }
	  }

	  if (!converged)
	    throw Error('graphology-metrics/centrality/hits: failed to converge.');

	  // Should we normalize the result?
	  if (options.normalize) {
	    S = 1 / sum(authorities);

	    for (node in authorities) authorities[node] *= S;

	    S = 1 / sum(hubs);

	    for (node in hubs) hubs[node] *= S;
	  }

	  // Should we assign the results to the graph?
	  if (assign) {
	    graph.updateEachNodeAttributes(
	      function (n, attr) {
	        attr[options.nodeAuthorityAttribute] = authorities[n];
	        attr[options.nodeHubAttribute] = hubs[n];

	        return attr;
	      },
	      {
	        attributes: [options.nodeAuthorityAttribute, options.nodeHubAttribute]
	      }
	    );

	    return;
	  }

	  return {hubs: hubs, authorities: authorities};
	}

	/**
	 * Exporting.
	 */
	var main = hits.bind(null, false);
	main.assign = hits.bind(null, true);

	hits_1 = main;
	return hits_1;
}

/**
 * Graphology Pagerank
 * ====================
 *
 * JavaScript implementation of the pagerank algorithm for graphology.
 *
 * [Reference]:
 * Page, Lawrence; Brin, Sergey; Motwani, Rajeev and Winograd, Terry,
 * The PageRank citation ranking: Bringing order to the Web. 1999
 */

var pagerank_1;
var hasRequiredPagerank;

function requirePagerank () {
	if (hasRequiredPagerank) return pagerank_1;
	hasRequiredPagerank = 1;
	var isGraph = requireIsGraph();
	var resolveDefaults = requireDefaults();
	var WeightedNeighborhoodIndex =
	  requireNeighborhood().WeightedNeighborhoodIndex;

	/**
	 * Defaults.
	 */
	var DEFAULTS = {
	  nodePagerankAttribute: 'pagerank',
	  getEdgeWeight: 'weight',
	  alpha: 0.85,
	  maxIterations: 100,
	  tolerance: 1e-6
	};

	/**
	 * Abstract function applying the pagerank algorithm to the given graph.
	 *
	 * @param  {boolean}  assign        - Should we assign the result to nodes.
	 * @param  {Graph}    graph         - Target graph.
	 * @param  {?object}  option        - Options:
	 * @param  {?object}    attributes  - Custom attribute names:
	 * @param  {?string}      pagerank  - Name of the pagerank attribute to assign.
	 * @param  {?string}      weight    - Name of the weight algorithm.
	 * @param  {?number}  alpha         - Damping parameter.
	 * @param  {?number}  maxIterations - Maximum number of iterations to perform.
	 * @param  {?number}  tolerance     - Error tolerance when checking for convergence.
	 * @param  {?boolean} weighted      - Should we use the graph's weights.
	 * @return {object|undefined}
	 */
	function abstractPagerank(assign, graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/centrality/pagerank: the given graph is not a valid graphology instance.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  var alpha = options.alpha;
	  var maxIterations = options.maxIterations;
	  var tolerance = options.tolerance;

	  var pagerankAttribute = options.nodePagerankAttribute;

	  var N = graph.order;
	  var p = 1 / N;

	  var index = new WeightedNeighborhoodIndex(graph, options.getEdgeWeight);

	  var i, j, l, d;

	  var x = new Float64Array(graph.order);

	  // Normalizing edge weights & indexing dangling nodes
	  var normalizedEdgeWeights = new Float64Array(index.weights.length);
	  var danglingNodes = [];

	  for (i = 0; i < N; i++) {
	    x[i] = p;
	    l = index.starts[i + 1];
	    d = index.outDegrees[i];

	    if (d === 0) danglingNodes.push(i);

	    for (j = index.starts[i]; j < l; j++) {
	      normalizedEdgeWeights[j] = index.weights[j] / d;
	    }
	  }

	  // Power iterations
	  var iteration = 0;
	  var error = 0;
	  var dangleSum, neighbor, xLast;
	  var converged = false;

	  while (iteration < maxIterations) {
	    xLast = x;
	    x = new Float64Array(graph.order); // TODO: it should be possible to swap two arrays to avoid allocations (bench)

	    dangleSum = 0;

	    for (i = 0, l = danglingNodes.length; i < l; i++)
	      dangleSum += xLast[danglingNodes[i]];

	    dangleSum *= alpha;

	    for (i = 0; i < N; i++) {
	      l = index.starts[i + 1];

	      for (j = index.starts[i]; j < l; j++) {
	        neighbor = index.neighborhood[j];
	        x[neighbor] += alpha * xLast[i] * normalizedEdgeWeights[j];
	      }

	      x[i] += dangleSum * p + (1 - alpha) * p;
	    }

	    // Checking convergence
	    error = 0;

	    for (i = 0; i < N; i++) {
	      error += Math.abs(x[i] - xLast[i]);
	    }

	    if (error < N * tolerance) {
	      converged = true;
	      break;
	    }

	    iteration++;
	  }

	  if (!converged)
	    throw Error('graphology-metrics/centrality/pagerank: failed to converge.');

	  if (assign) {
	    index.assign(pagerankAttribute, x);
	    return;
	  }

	  return index.collect(x);
	}

	/**
	 * Exporting.
	 */
	var pagerank = abstractPagerank.bind(null, false);
	pagerank.assign = abstractPagerank.bind(null, true);

	pagerank_1 = pagerank;
	return pagerank_1;
}

/**
 * Graphology Metrics Centrality
 * ==============================
 *
 * Sub module endpoint.
 */

var hasRequiredCentrality;

function requireCentrality () {
	if (hasRequiredCentrality) return centrality;
	hasRequiredCentrality = 1;
	var degree = requireDegree();

	centrality.betweenness = requireBetweenness();
	centrality.edgeBetweenness = requireEdgeBetweenness();
	centrality.closeness = requireCloseness();
	centrality.eigenvector = requireEigenvector();
	centrality.hits = requireHits();
	centrality.pagerank = requirePagerank();

	centrality.degree = degree.degreeCentrality;
	centrality.inDegree = degree.inDegreeCentrality;
	centrality.outDegree = degree.outDegreeCentrality;
	return centrality;
}

var edge = {};

/**
 * Graphology inferType
 * =====================
 *
 * Useful function used to "guess" the real type of the given Graph using
 * introspection.
 */

var inferType;
var hasRequiredInferType;

function requireInferType () {
	if (hasRequiredInferType) return inferType;
	hasRequiredInferType = 1;
	var isGraph = requireIsGraph();

	/**
	 * Returning the inferred type of the given graph.
	 *
	 * @param  {Graph}   graph - Target graph.
	 * @return {boolean}
	 */
	inferType = function inferType(graph) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-utils/infer-type: expecting a valid graphology instance.'
	    );

	  var declaredType = graph.type;

	  if (declaredType !== 'mixed') return declaredType;

	  if (
	    (graph.directedSize === 0 && graph.undirectedSize === 0) ||
	    (graph.directedSize > 0 && graph.undirectedSize > 0)
	  )
	    return 'mixed';

	  if (graph.directedSize > 0) return 'directed';

	  return 'undirected';
	};
	return inferType;
}

/**
 * Graphology Edge Disparity
 * ==========================
 *
 * Function computing the disparity score of each edge in the given graph. This
 * score is typically used to extract the multiscale backbone of a weighted
 * graph.
 *
 * The formula from the paper (relying on integral calculus) can be simplified
 * to become:
 *
 *   disparity(u, v) = min(
 *     (1 - normalizedWeight(u, v)) ^ (degree(u) - 1)),
 *     (1 - normalizedWeight(v, u)) ^ (degree(v) - 1))
 *   )
 *
 *   where normalizedWeight(u, v) = weight(u, v) / weightedDegree(u)
 *   where weightedDegree(u) = sum(weight(u, v) for v in neighbors(u))
 *
 * This score can sometimes be found reversed likewise:
 *
 *   disparity(u, v) = max(
 *     1 - (1 - normalizedWeight(u, v)) ^ (degree(u) - 1)),
 *     1 - (1 - normalizedWeight(v, u)) ^ (degree(v) - 1))
 *   )
 *
 * so that higher score means better edges. I chose to keep the metric close
 * to the paper to keep the statistical test angle. This means that, in my
 * implementation at least, a low score for an edge means a high relevance and
 * increases its chances to be kept in the backbone.
 *
 * Note that this algorithm has no proper definition for directed graphs and
 * is only useful if edges have varying weights. This said, it could be
 * possible to compute the disparity score only based on edge direction, if
 * we drop the min part.
 *
 * [Article]:
 * Serrano, M. Ángeles, Marián Boguná, and Alessandro Vespignani. "Extracting
 * the multiscale backbone of complex weighted networks." Proceedings of the
 * national academy of sciences 106.16 (2009): 6483-6488.
 *
 * [Reference]:
 * https://www.pnas.org/content/pnas/106/16/6483.full.pdf
 * https://en.wikipedia.org/wiki/Disparity_filter_algorithm_of_weighted_network
 */

var disparity_1;
var hasRequiredDisparity;

function requireDisparity () {
	if (hasRequiredDisparity) return disparity_1;
	hasRequiredDisparity = 1;
	var isGraph = requireIsGraph();
	var inferType = requireInferType();
	var resolveDefaults = requireDefaults();
	var createEdgeWeightGetter =
	  requireGetters().createEdgeWeightGetter;

	/**
	 * Defaults.
	 */
	var DEFAULTS = {
	  edgeDisparityAttribute: 'disparity',
	  getEdgeWeight: 'weight'
	};

	// TODO: test without weight, to see what happens

	function abstractDisparity(assign, graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/edge/disparity: the given graph is not a valid graphology instance.'
	    );

	  if (graph.multi || inferType(graph) === 'mixed')
	    throw new Error(
	      'graphology-metrics/edge/disparity: not defined for multi nor mixed graphs.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  var getEdgeWeight = createEdgeWeightGetter(options.getEdgeWeight).fromEntry;

	  // Computing node weighted degrees
	  var weightedDegrees = {};

	  graph.forEachNode(function (node) {
	    weightedDegrees[node] = 0;
	  });

	  graph.forEachEdge(function (edge, attr, source, target, sa, ta, undirected) {
	    var weight = getEdgeWeight(edge, attr, source, target, sa, ta, undirected);

	    weightedDegrees[source] += weight;
	    weightedDegrees[target] += weight;
	  });

	  // Computing edge disparity
	  var previous, previousDegree, previousWeightedDegree;

	  var disparities = {};

	  graph.forEachAssymetricAdjacencyEntry(function (
	    source,
	    target,
	    sa,
	    ta,
	    edge,
	    attr,
	    undirected
	  ) {
	    var weight = getEdgeWeight(edge, attr, source, target, sa, ta, undirected);

	    if (previous !== source) {
	      previous = source;
	      previousDegree = graph.degree(source);
	      previousWeightedDegree = weightedDegrees[source];
	    }

	    var targetDegree = graph.degree(target);
	    var targetWeightedDegree = weightedDegrees[target];

	    var normalizedWeightPerSource = weight / previousWeightedDegree;
	    var normalizedWeightPerTarget = weight / targetWeightedDegree;

	    var sourceScore = Math.pow(
	      1 - normalizedWeightPerSource,
	      previousDegree - 1
	    );

	    var targetScore = Math.pow(1 - normalizedWeightPerTarget, targetDegree - 1);

	    disparities[edge] = Math.min(sourceScore, targetScore);
	  });

	  if (assign) {
	    graph.updateEachEdgeAttributes(
	      function (edge, attr) {
	        attr[options.edgeDisparityAttribute] = disparities[edge];
	        return attr;
	      },
	      {attributes: [options.edgeDisparityAttribute]}
	    );

	    return;
	  }

	  return disparities;
	}

	var disparity = abstractDisparity.bind(null, false);
	disparity.assign = abstractDisparity.bind(null, true);

	/**
	 * Exporting.
	 */
	disparity_1 = disparity;
	return disparity_1;
}

var set = {};

/**
 * Mnemonist Set
 * ==============
 *
 * Useful function related to sets such as union, intersection and so on...
 */

var hasRequiredSet;

function requireSet () {
	if (hasRequiredSet) return set;
	hasRequiredSet = 1;
	(function (exports) {
		// TODO: optimize versions for less variadicities

		/**
		 * Variadic function computing the intersection of multiple sets.
		 *
		 * @param  {...Set} sets - Sets to intersect.
		 * @return {Set}         - The intesection.
		 */
		exports.intersection = function() {
		  if (arguments.length < 2)
		    throw new Error('mnemonist/Set.intersection: needs at least two arguments.');

		  var I = new Set();

		  // First we need to find the smallest set
		  var smallestSize = Infinity,
		      smallestSet = null;

		  var s, i, l = arguments.length;

		  for (i = 0; i < l; i++) {
		    s = arguments[i];

		    // If one of the set has no items, we can stop right there
		    if (s.size === 0)
		      return I;

		    if (s.size < smallestSize) {
		      smallestSize = s.size;
		      smallestSet = s;
		    }
		  }

		  // Now we need to intersect this set with the others
		  var iterator = smallestSet.values(),
		      step,
		      item,
		      add,
		      set;

		  // TODO: we can optimize by iterating each next time over the current intersection
		  // but this probably means more RAM to consume since we'll create n-1 sets rather than
		  // only the one.
		  while ((step = iterator.next(), !step.done)) {
		    item = step.value;
		    add = true;

		    for (i = 0; i < l; i++) {
		      set = arguments[i];

		      if (set === smallestSet)
		        continue;

		      if (!set.has(item)) {
		        add = false;
		        break;
		      }
		    }

		    if (add)
		      I.add(item);
		  }

		  return I;
		};

		/**
		 * Variadic function computing the union of multiple sets.
		 *
		 * @param  {...Set} sets - Sets to unite.
		 * @return {Set}         - The union.
		 */
		exports.union = function() {
		  if (arguments.length < 2)
		    throw new Error('mnemonist/Set.union: needs at least two arguments.');

		  var U = new Set();

		  var i, l = arguments.length;

		  var iterator,
		      step;

		  for (i = 0; i < l; i++) {
		    iterator = arguments[i].values();

		    while ((step = iterator.next(), !step.done))
		      U.add(step.value);
		  }

		  return U;
		};

		/**
		 * Function computing the difference between two sets.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {Set}   - The difference.
		 */
		exports.difference = function(A, B) {

		  // If first set is empty
		  if (!A.size)
		    return new Set();

		  if (!B.size)
		    return new Set(A);

		  var D = new Set();

		  var iterator = A.values(),
		      step;

		  while ((step = iterator.next(), !step.done)) {
		    if (!B.has(step.value))
		      D.add(step.value);
		  }

		  return D;
		};

		/**
		 * Function computing the symmetric difference between two sets.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {Set}   - The symmetric difference.
		 */
		exports.symmetricDifference = function(A, B) {
		  var S = new Set();

		  var iterator = A.values(),
		      step;

		  while ((step = iterator.next(), !step.done)) {
		    if (!B.has(step.value))
		      S.add(step.value);
		  }

		  iterator = B.values();

		  while ((step = iterator.next(), !step.done)) {
		    if (!A.has(step.value))
		      S.add(step.value);
		  }

		  return S;
		};

		/**
		 * Function returning whether A is a subset of B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {boolean}
		 */
		exports.isSubset = function(A, B) {
		  var iterator = A.values(),
		      step;

		  // Shortcuts
		  if (A === B)
		    return true;

		  if (A.size > B.size)
		    return false;

		  while ((step = iterator.next(), !step.done)) {
		    if (!B.has(step.value))
		      return false;
		  }

		  return true;
		};

		/**
		 * Function returning whether A is a superset of B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {boolean}
		 */
		exports.isSuperset = function(A, B) {
		  return exports.isSubset(B, A);
		};

		/**
		 * Function adding the items of set B to the set A.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 */
		exports.add = function(A, B) {
		  var iterator = B.values(),
		      step;

		  while ((step = iterator.next(), !step.done))
		    A.add(step.value);

		  return;
		};

		/**
		 * Function subtracting the items of set B from the set A.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 */
		exports.subtract = function(A, B) {
		  var iterator = B.values(),
		      step;

		  while ((step = iterator.next(), !step.done))
		    A.delete(step.value);

		  return;
		};

		/**
		 * Function intersecting the items of A & B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 */
		exports.intersect = function(A, B) {
		  var iterator = A.values(),
		      step;

		  while ((step = iterator.next(), !step.done)) {
		    if (!B.has(step.value))
		      A.delete(step.value);
		  }

		  return;
		};

		/**
		 * Function disjuncting the items of A & B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 */
		exports.disjunct = function(A, B) {
		  var iterator = A.values(),
		      step;

		  var toRemove = [];

		  while ((step = iterator.next(), !step.done)) {
		    if (B.has(step.value))
		      toRemove.push(step.value);
		  }

		  iterator = B.values();

		  while ((step = iterator.next(), !step.done)) {
		    if (!A.has(step.value))
		      A.add(step.value);
		  }

		  for (var i = 0, l = toRemove.length; i < l; i++)
		    A.delete(toRemove[i]);

		  return;
		};

		/**
		 * Function returning the size of the intersection of A & B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {number}
		 */
		exports.intersectionSize = function(A, B) {
		  var tmp;

		  // We need to know the smallest set
		  if (A.size > B.size) {
		    tmp = A;
		    A = B;
		    B = tmp;
		  }

		  if (A.size === 0)
		    return 0;

		  if (A === B)
		    return A.size;

		  var iterator = A.values(),
		      step;

		  var I = 0;

		  while ((step = iterator.next(), !step.done)) {
		    if (B.has(step.value))
		      I++;
		  }

		  return I;
		};

		/**
		 * Function returning the size of the union of A & B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {number}
		 */
		exports.unionSize = function(A, B) {
		  var I = exports.intersectionSize(A, B);

		  return A.size + B.size - I;
		};

		/**
		 * Function returning the Jaccard similarity between A & B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {number}
		 */
		exports.jaccard = function(A, B) {
		  var I = exports.intersectionSize(A, B);

		  if (I === 0)
		    return 0;

		  var U = A.size + B.size - I;

		  return I / U;
		};

		/**
		 * Function returning the overlap coefficient between A & B.
		 *
		 * @param  {Set} A - First set.
		 * @param  {Set} B - Second set.
		 * @return {number}
		 */
		exports.overlap = function(A, B) {
		  var I = exports.intersectionSize(A, B);

		  if (I === 0)
		    return 0;

		  return I / Math.min(A.size, B.size);
		}; 
	} (set));
	return set;
}

/**
 * Graphology Simmelian Strength
 * ==============================
 *
 * Function computing the Simmelian strength, i.e. the number of triangles in
 * which an edge stands, for each edge in a given graph.
 */

var simmelianStrength_1;
var hasRequiredSimmelianStrength;

function requireSimmelianStrength () {
	if (hasRequiredSimmelianStrength) return simmelianStrength_1;
	hasRequiredSimmelianStrength = 1;
	var isGraph = requireIsGraph();
	var intersectionSize = requireSet().intersectionSize;

	function abstractSimmelianStrength(assign, graph) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/simmelian-strength: given graph is not a valid graphology instance.'
	    );

	  // Indexing neighborhoods
	  var neighborhoods = {};

	  graph.forEachNode(function (node) {
	    neighborhoods[node] = new Set(graph.neighbors(node));
	  });

	  if (!assign) {
	    var strengths = {};

	    graph.forEachEdge(function (edge, _, source, target) {
	      strengths[edge] = intersectionSize(
	        neighborhoods[source],
	        neighborhoods[target]
	      );
	    });

	    return strengths;
	  }

	  graph.updateEachEdgeAttributes(
	    function (_, attr, source, target) {
	      attr.simmelianStrength = intersectionSize(
	        neighborhoods[source],
	        neighborhoods[target]
	      );

	      return attr;
	    },
	    {attributes: ['simmelianStrength']}
	  );
	}

	var simmelianStrength = abstractSimmelianStrength.bind(null, false);
	simmelianStrength.assign = abstractSimmelianStrength.bind(null, true);

	simmelianStrength_1 = simmelianStrength;
	return simmelianStrength_1;
}

/**
 * CHI-square G-square tests
 * =========================
 *
 * Function computing the chi-square and g-square significance measures
 * for each edge in a given graph.
 * Thresholds to filter out edges which fails the significance test are provided but edges are not filtered by default.
 *
 */

var chiSquareGSquare;
var hasRequiredChiSquareGSquare;

function requireChiSquareGSquare () {
	if (hasRequiredChiSquareGSquare) return chiSquareGSquare;
	hasRequiredChiSquareGSquare = 1;
	var isGraph = requireIsGraph();
	var createEdgeWeightGetter =
	  requireGetters().createEdgeWeightGetter;

	/**
	 * Defaults.
	 */
	var DEFAULT_WEIGHT_ATTRIBUTE = 'weight';

	/**
	 * chiSquareGSquareMeasures
	 * implementation copied from https://github.com/medialab/xan/blob/master/src/cmd/vocab.rs#L924-L1000
	 * @param {chiSquare|gSquare} measure       - either chiSquare or gSquare measure to compute
	 * @param {number} sourceWeightedDegree
	 * @param {number} targetWeightedDegree
	 * @param {number} edgeWeight
	 * @param {number} sumAllEdgesWeights
	 * @returns Record<edge, {chiSquare:number, gSquare:number}>
	 */
	function _chiSquareGSquareMeasures(
	  measure,
	  sourceWeightedDegree,
	  targetWeightedDegree,
	  edgeWeight,
	  sumAllEdgesWeights
	) {
	  if (sumAllEdgesWeights <= 0)
	    throw new Error('sumAllEdgesWeights has to be >0');

	  if (sourceWeightedDegree <= 0)
	    throw new Error('sourceWeightedDegree has to be >0');

	  if (edgeWeight <= 0) throw new Error('edgeWeight has to be >0');

	  if (targetWeightedDegree <= 0)
	    throw new Error('sumAllEdgesWeights has to be >0');

	  // This can be 0 if some item is present in all co-occurrences!
	  var notGf = sumAllEdgesWeights - sourceWeightedDegree;
	  var notNbTokensInDoc = sumAllEdgesWeights - targetWeightedDegree;

	  var observed11 = edgeWeight;
	  var observed12 = sourceWeightedDegree - edgeWeight;
	  var observed21 = targetWeightedDegree - edgeWeight;
	  // NOTE: with few co-occurrences, self loops can produce a negative outcome...
	  var observed22 =
	    sumAllEdgesWeights +
	    edgeWeight -
	    (sourceWeightedDegree + targetWeightedDegree);

	  var expected11 =
	    (sourceWeightedDegree * targetWeightedDegree) / sumAllEdgesWeights; // Cannot be 0

	  if (edgeWeight < expected11) {
	    // under-represented token, measure will be biased, let's ignore the token
	    return undefined;
	  }

	  var expected12 =
	    (sourceWeightedDegree * notNbTokensInDoc) / sumAllEdgesWeights;
	  var expected21 = (targetWeightedDegree * notGf) / sumAllEdgesWeights;
	  var expected22 = (notGf * notNbTokensInDoc) / sumAllEdgesWeights;

	  if (measure === 'gSquare') {
	    var gSquare11 = observed11 * Math.log(observed11 / expected11);
	    var gSquare12 =
	      observed12 === 0.0 ? 0.0 : observed12 * Math.log(observed12 / expected12);
	    var gSquare21 =
	      observed21 === 0.0 ? 0.0 : observed21 * Math.log(observed21 / expected21);
	    // NOTE: in the case when observed_22 is negative, I am not entirely
	    // sure it is mathematically sound to clamp to 0. But since this case
	    // is mostly useless, I will allow it...
	    var gSquare22 =
	      observed22 <= 0.0 ? 0.0 : observed22 * Math.log(observed22 / expected22);
	    var gSquare = 2.0 * (gSquare11 + gSquare12 + gSquare21 + gSquare22); // 2.0 * is here to adjust g2 in the same scale as chi2
	    if (gSquare === Infinity) gSquare = gSquare11;

	    return gSquare;
	  }

	  var chiSquare11 = Math.pow(observed11 - expected11, 2) / expected11;
	  var chiSquare12 = Math.pow(observed12 - expected12, 2) / expected12;
	  var chiSquare21 = Math.pow(observed21 - expected21, 2) / expected21;
	  var chiSquare22 = Math.pow(observed22 - expected22, 2) / expected22;

	  var chiSquare = chiSquare11 + chiSquare12 + chiSquare21 + chiSquare22;
	  //  Dealing with degenerate cases that happen when the number
	  //  of co-occurrences is very low, or when some item dominates
	  //  the distribution.
	  if (isNaN(chiSquare)) chiSquare = 0.0;

	  if (chiSquare === Infinity) chiSquare = chiSquare11;

	  return chiSquare;
	}

	/**
	 * Asbtract function to perform chi-square adn g-square tests measures.
	 *
	 * @param {chiSquare|gSquare} measure       - either chiSquare or gSquare measure to compute
	 * @param  {Graph}            graph         - A graphology instance.
	 * @param  {string|function}  getEdgeWeight - Name of edge weight attribute or getter function.
	 *
	 */
	function abstractChiSquareGSquare(assign, measure, graph, getEdgeWeight) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/chi-square: given graph is not a valid graphology instance.'
	    );

	  // TODO: this metric does not make sens on directed graph. Should we throw if applied on directed graph?
	  getEdgeWeight = createEdgeWeightGetter(
	    getEdgeWeight || DEFAULT_WEIGHT_ATTRIBUTE
	  ).fromEntry;

	  // calculating total weights and weighted degrees
	  var totalWeights = 0;
	  var weightedDegrees = {};

	  graph.forEachAssymetricAdjacencyEntry(function (
	    source,
	    target,
	    sa,
	    ta,
	    edge,
	    attr,
	    undirected
	  ) {
	    var weight = getEdgeWeight(edge, attr, source, target, sa, ta, undirected);

	    // sum all weights
	    totalWeights += weight;

	    // compute nodes weighted degrees
	    // TODO: we could optimize one lookup here because we see all of a source's
	    // edges contiguously.
	    weightedDegrees[source] = (weightedDegrees[source] || 0) + weight;

	    // Avoiding self loops
	    if (source !== target) {
	      weightedDegrees[target] = (weightedDegrees[target] || 0) + weight;
	    }
	  });

	  var edgeMeasures = {};

	  graph.forEachAssymetricAdjacencyEntry(function (
	    source,
	    target,
	    sa,
	    ta,
	    edge,
	    attr,
	    undirected
	  ) {
	    var weight = getEdgeWeight(edge, attr, source, target, sa, ta, undirected);

	    // TODO: we could optimize the source lookup here
	    var result = _chiSquareGSquareMeasures(
	      measure,
	      weightedDegrees[source],
	      weightedDegrees[target],
	      weight,
	      totalWeights
	    );

	    edgeMeasures[edge] = result;

	    // TODO: use graph.updateEachEdgeAttributes
	    if (assign) {
	      graph.setEdgeAttribute(edge, measure, result);
	    }
	  });

	  return edgeMeasures;
	}

	abstractChiSquareGSquare.thresholds = {
	  0.5: 0.45, // lowest significance
	  0.1: 2.71, // very low significance
	  0.05: 3.84, // low significance
	  0.025: 5.02, // good significance
	  0.01: 6.63, // high significance
	  0.005: 7.88, // very high significance
	  0.001: 10.83 // highest significance
	};

	chiSquareGSquare = abstractChiSquareGSquare;
	return chiSquareGSquare;
}

var chiSquare_1;
var hasRequiredChiSquare;

function requireChiSquare () {
	if (hasRequiredChiSquare) return chiSquare_1;
	hasRequiredChiSquare = 1;
	var chiSquareGSquare = requireChiSquareGSquare();

	var chiSquare = chiSquareGSquare.bind(null, false, 'chiSquare');
	chiSquare.assign = chiSquareGSquare.bind(null, true, 'chiSquare');
	chiSquare.thresholds = chiSquareGSquare.thresholds;

	chiSquare_1 = chiSquare;
	return chiSquare_1;
}

var gSquare_1;
var hasRequiredGSquare;

function requireGSquare () {
	if (hasRequiredGSquare) return gSquare_1;
	hasRequiredGSquare = 1;
	var chiSquareGSquare = requireChiSquareGSquare();

	var gSquare = chiSquareGSquare.bind(null, false, 'gSquare');
	gSquare.assign = chiSquareGSquare.bind(null, true, 'gSquare');
	gSquare.thresholds = chiSquareGSquare.thresholds;

	gSquare_1 = gSquare;
	return gSquare_1;
}

var hasRequiredEdge;

function requireEdge () {
	if (hasRequiredEdge) return edge;
	hasRequiredEdge = 1;
	edge.disparity = requireDisparity();
	edge.simmelianStrength = requireSimmelianStrength();
	edge.chiSquare = requireChiSquare();
	edge.gSquare = requireGSquare();
	return edge;
}

var graph = {};

var density = {};

/**
 * Graphology Simple Size
 * =======================
 *
 * Function returning the simple size of a graph, i.e. the size it would have
 * if it we assume it is a simple graph.
 */

var simpleSize;
var hasRequiredSimpleSize;

function requireSimpleSize () {
	if (hasRequiredSimpleSize) return simpleSize;
	hasRequiredSimpleSize = 1;
	var isGraph = requireIsGraph();

	/**
	 * Simple size function.
	 *
	 * @param  {Graph}  graph - Target graph.
	 * @return {number}
	 */
	simpleSize = function simpleSize(graph) {
	  // Handling errors
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/simple-size: the given graph is not a valid graphology instance.'
	    );

	  if (!graph.multi) return graph.size;

	  var u = 0;
	  var d = 0;

	  function accumulateUndirected() {
	    u++;
	  }

	  function accumulateDirected() {
	    d++;
	  }

	  graph.forEachNode(function (node) {
	    if (graph.type !== 'directed')
	      graph.forEachUndirectedNeighbor(node, accumulateUndirected);

	    if (graph.type !== 'undirected')
	      graph.forEachOutNeighbor(node, accumulateDirected);
	  });

	  return u / 2 + d;
	};
	return simpleSize;
}

/**
 * Graphology Density
 * ===================
 *
 * Functions used to compute the density of the given graph.
 */

var hasRequiredDensity;

function requireDensity () {
	if (hasRequiredDensity) return density;
	hasRequiredDensity = 1;
	var isGraph = requireIsGraph();
	var simpleSize = requireSimpleSize();

	/**
	 * Returns the undirected density.
	 *
	 * @param  {number} order - Number of nodes in the graph.
	 * @param  {number} size  - Number of edges in the graph.
	 * @return {number}
	 */
	function undirectedDensity(order, size) {
	  return (2 * size) / (order * (order - 1));
	}

	/**
	 * Returns the directed density.
	 *
	 * @param  {number} order - Number of nodes in the graph.
	 * @param  {number} size  - Number of edges in the graph.
	 * @return {number}
	 */
	function directedDensity(order, size) {
	  return size / (order * (order - 1));
	}

	/**
	 * Returns the mixed density.
	 *
	 * @param  {number} order - Number of nodes in the graph.
	 * @param  {number} size  - Number of edges in the graph.
	 * @return {number}
	 */
	function mixedDensity(order, size) {
	  var d = order * (order - 1);

	  return size / (d + d / 2);
	}

	/**
	 * Returns the density for the given parameters.
	 *
	 * Arity 3:
	 * @param  {boolean} type  - Type of density.
	 * @param  {boolean} multi - Compute multi density?
	 * @param  {Graph}   graph - Target graph.
	 *
	 * Arity 4:
	 * @param  {boolean} type  - Type of density.
	 * @param  {boolean} multi - Compute multi density?
	 * @param  {number}  order - Number of nodes in the graph.
	 * @param  {number}  size  - Number of edges in the graph.
	 *
	 * @return {number}
	 */
	function abstractDensity(type, multi, graph) {
	  var order, size;

	  // Retrieving order & size
	  if (arguments.length > 3) {
	    order = graph;
	    size = arguments[3];

	    if (typeof order !== 'number' || order < 0)
	      throw new Error(
	        'graphology-metrics/density: given order is not a valid number.'
	      );

	    if (typeof size !== 'number' || size < 0)
	      throw new Error(
	        'graphology-metrics/density: given size is not a valid number.'
	      );
	  } else {
	    if (!isGraph(graph))
	      throw new Error(
	        'graphology-metrics/density: given graph is not a valid graphology instance.'
	      );

	    order = graph.order;
	    size = graph.size;

	    if (graph.multi && multi === false) size = simpleSize(graph);
	  }

	  // When the graph has only one node, its density is 0
	  if (order < 2) return 0;

	  // Guessing type & multi
	  if (type === null) type = graph.type;
	  if (multi === null) multi = graph.multi;

	  // Getting the correct function
	  var fn;

	  if (type === 'undirected') fn = undirectedDensity;
	  else if (type === 'directed') fn = directedDensity;
	  else fn = mixedDensity;

	  // Applying the function
	  return fn(order, size);
	}

	/**
	 * Exporting.
	 */
	density.abstractDensity = abstractDensity;
	density.density = abstractDensity.bind(null, null, null);
	density.directedDensity = abstractDensity.bind(null, 'directed', false);
	density.undirectedDensity = abstractDensity.bind(null, 'undirected', false);
	density.mixedDensity = abstractDensity.bind(null, 'mixed', false);
	density.multiDirectedDensity = abstractDensity.bind(null, 'directed', true);
	density.multiUndirectedDensity = abstractDensity.bind(null, 'undirected', true);
	density.multiMixedDensity = abstractDensity.bind(null, 'mixed', true);
	return density;
}

var extent = {};

/**
 * Graphology Extent
 * ==================
 *
 * Simple function returning the extent of selected attributes of the graph.
 */

var hasRequiredExtent;

function requireExtent () {
	if (hasRequiredExtent) return extent;
	hasRequiredExtent = 1;
	var isGraph = requireIsGraph();

	/**
	 * Function returning the extent of the selected node attributes.
	 *
	 * @param  {Graph}        graph     - Target graph.
	 * @param  {string|array} attribute - Single or multiple attributes.
	 * @return {array|object}
	 */
	function nodeExtent(graph, attribute) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/extent: the given graph is not a valid graphology instance.'
	    );

	  var attributes = [].concat(attribute);

	  var value, key, a;

	  var results = {};

	  for (a = 0; a < attributes.length; a++) {
	    key = attributes[a];

	    results[key] = [Infinity, -Infinity];
	  }

	  graph.forEachNode(function (node, data) {
	    for (a = 0; a < attributes.length; a++) {
	      key = attributes[a];
	      value = data[key];

	      if (value < results[key][0]) results[key][0] = value;

	      if (value > results[key][1]) results[key][1] = value;
	    }
	  });

	  return typeof attribute === 'string' ? results[attribute] : results;
	}

	/**
	 * Function returning the extent of the selected edge attributes.
	 *
	 * @param  {Graph}        graph     - Target graph.
	 * @param  {string|array} attribute - Single or multiple attributes.
	 * @return {array|object}
	 */
	function edgeExtent(graph, attribute) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/extent: the given graph is not a valid graphology instance.'
	    );

	  var attributes = [].concat(attribute);

	  var value, key, a;

	  var results = {};

	  for (a = 0; a < attributes.length; a++) {
	    key = attributes[a];

	    results[key] = [Infinity, -Infinity];
	  }

	  graph.forEachEdge(function (edge, data) {
	    for (a = 0; a < attributes.length; a++) {
	      key = attributes[a];
	      value = data[key];

	      if (value < results[key][0]) results[key][0] = value;

	      if (value > results[key][1]) results[key][1] = value;
	    }
	  });

	  return typeof attribute === 'string' ? results[attribute] : results;
	}

	/**
	 * Exporting.
	 */
	extent.nodeExtent = nodeExtent;
	extent.edgeExtent = edgeExtent;
	return extent;
}

var unweighted = {};

/**
 * Mnemonist Queue
 * ================
 *
 * Queue implementation based on the ideas of Queue.js that seems to beat
 * a LinkedList one in performance.
 */

var queue;
var hasRequiredQueue;

function requireQueue () {
	if (hasRequiredQueue) return queue;
	hasRequiredQueue = 1;
	var Iterator = requireIterator(),
	    forEach = requireForeach();

	/**
	 * Queue
	 *
	 * @constructor
	 */
	function Queue() {
	  this.clear();
	}

	/**
	 * Method used to clear the queue.
	 *
	 * @return {undefined}
	 */
	Queue.prototype.clear = function() {

	  // Properties
	  this.items = [];
	  this.offset = 0;
	  this.size = 0;
	};

	/**
	 * Method used to add an item to the queue.
	 *
	 * @param  {any}    item - Item to enqueue.
	 * @return {number}
	 */
	Queue.prototype.enqueue = function(item) {

	  this.items.push(item);
	  return ++this.size;
	};

	/**
	 * Method used to retrieve & remove the first item of the queue.
	 *
	 * @return {any}
	 */
	Queue.prototype.dequeue = function() {
	  if (!this.size)
	    return;

	  var item = this.items[this.offset];

	  if (++this.offset * 2 >= this.items.length) {
	    this.items = this.items.slice(this.offset);
	    this.offset = 0;
	  }

	  this.size--;

	  return item;
	};

	/**
	 * Method used to retrieve the first item of the queue.
	 *
	 * @return {any}
	 */
	Queue.prototype.peek = function() {
	  if (!this.size)
	    return;

	  return this.items[this.offset];
	};

	/**
	 * Method used to iterate over the queue.
	 *
	 * @param  {function}  callback - Function to call for each item.
	 * @param  {object}    scope    - Optional scope.
	 * @return {undefined}
	 */
	Queue.prototype.forEach = function(callback, scope) {
	  scope = arguments.length > 1 ? scope : this;

	  for (var i = this.offset, j = 0, l = this.items.length; i < l; i++, j++)
	    callback.call(scope, this.items[i], j, this);
	};

	/*
	 * Method used to convert the queue to a JavaScript array.
	 *
	 * @return {array}
	 */
	Queue.prototype.toArray = function() {
	  return this.items.slice(this.offset);
	};

	/**
	 * Method used to create an iterator over a queue's values.
	 *
	 * @return {Iterator}
	 */
	Queue.prototype.values = function() {
	  var items = this.items,
	      i = this.offset;

	  return new Iterator(function() {
	    if (i >= items.length)
	      return {
	        done: true
	      };

	    var value = items[i];
	    i++;

	    return {
	      value: value,
	      done: false
	    };
	  });
	};

	/**
	 * Method used to create an iterator over a queue's entries.
	 *
	 * @return {Iterator}
	 */
	Queue.prototype.entries = function() {
	  var items = this.items,
	      i = this.offset,
	      j = 0;

	  return new Iterator(function() {
	    if (i >= items.length)
	      return {
	        done: true
	      };

	    var value = items[i];
	    i++;

	    return {
	      value: [j++, value],
	      done: false
	    };
	  });
	};

	/**
	 * Attaching the #.values method to Symbol.iterator if possible.
	 */
	if (typeof Symbol !== 'undefined')
	  Queue.prototype[Symbol.iterator] = Queue.prototype.values;

	/**
	 * Convenience known methods.
	 */
	Queue.prototype.toString = function() {
	  return this.toArray().join(',');
	};

	Queue.prototype.toJSON = function() {
	  return this.toArray();
	};

	Queue.prototype.inspect = function() {
	  var array = this.toArray();

	  // Trick so that node displays the name of the constructor
	  Object.defineProperty(array, 'constructor', {
	    value: Queue,
	    enumerable: false
	  });

	  return array;
	};

	if (typeof Symbol !== 'undefined')
	  Queue.prototype[Symbol.for('nodejs.util.inspect.custom')] = Queue.prototype.inspect;

	/**
	 * Static @.from function taking an arbitrary iterable & converting it into
	 * a queue.
	 *
	 * @param  {Iterable} iterable   - Target iterable.
	 * @return {Queue}
	 */
	Queue.from = function(iterable) {
	  var queue = new Queue();

	  forEach(iterable, function(value) {
	    queue.enqueue(value);
	  });

	  return queue;
	};

	/**
	 * Static @.of function taking an arbitrary number of arguments & converting it
	 * into a queue.
	 *
	 * @param  {...any} args
	 * @return {Queue}
	 */
	Queue.of = function() {
	  return Queue.from(arguments);
	};

	/**
	 * Exporting.
	 */
	queue = Queue;
	return queue;
}

/**
 * Extend function
 * ================
 *
 * Function used to push a bunch of values into an array at once.
 *
 * Its strategy is to mutate target array's length then setting the new indices
 * to be the values to add.
 *
 * A benchmark proved that it is faster than the following strategies:
 *   1) `array.push.apply(array, values)`.
 *   2) A loop of pushes.
 *   3) `array = array.concat(values)`, obviously.
 *
 * Intuitively, this is correct because when adding a lot of elements, the
 * chosen strategies does not need to handle the `arguments` object to
 * execute #.apply's variadicity and because the array know its final length
 * at the beginning, avoiding potential multiple reallocations of the underlying
 * contiguous array. Some engines may be able to optimize the loop of push
 * operations but empirically they don't seem to do so.
 */

var extend;
var hasRequiredExtend;

function requireExtend () {
	if (hasRequiredExtend) return extend;
	hasRequiredExtend = 1;
	/**
	 * Extends the target array with the given values.
	 *
	 * @param  {array} array  - Target array.
	 * @param  {array} values - Values to add.
	 */
	extend = function extend(array, values) {
	  var l2 = values.length;

	  if (l2 === 0)
	    return;

	  var l1 = array.length;

	  array.length += l2;

	  for (var i = 0; i < l2; i++)
	    array[l1 + i] = values[i];
	};
	return extend;
}

/**
 * Graphology Unweighted Shortest Path
 * ====================================
 *
 * Basic algorithms to find the shortest paths between nodes in a graph
 * whose edges are not weighted.
 */

var hasRequiredUnweighted;

function requireUnweighted () {
	if (hasRequiredUnweighted) return unweighted;
	hasRequiredUnweighted = 1;
	var isGraph = requireIsGraph();
	var Queue = requireQueue();
	var extend = requireExtend();

	/**
	 * Function attempting to find the shortest path in a graph between
	 * given source & target or `null` if such a path does not exist.
	 *
	 * @param  {Graph}      graph  - Target graph.
	 * @param  {any}        source - Source node.
	 * @param  {any}        target - Target node.
	 * @return {array|null}        - Found path or `null`.
	 */
	function bidirectional(graph, source, target) {
	  if (!isGraph(graph))
	    throw new Error('graphology-shortest-path: invalid graphology instance.');

	  if (arguments.length < 3)
	    throw new Error(
	      'graphology-shortest-path: invalid number of arguments. Expecting at least 3.'
	    );

	  if (!graph.hasNode(source))
	    throw new Error(
	      'graphology-shortest-path: the "' +
	        source +
	        '" source node does not exist in the given graph.'
	    );

	  if (!graph.hasNode(target))
	    throw new Error(
	      'graphology-shortest-path: the "' +
	        target +
	        '" target node does not exist in the given graph.'
	    );

	  source = '' + source;
	  target = '' + target;

	  // TODO: do we need a self loop to go there?
	  if (source === target) {
	    return [source];
	  }

	  // Binding functions
	  var getPredecessors = graph.inboundNeighbors.bind(graph),
	    getSuccessors = graph.outboundNeighbors.bind(graph);

	  var predecessor = {},
	    successor = {};

	  // Predecessor & successor
	  predecessor[source] = null;
	  successor[target] = null;

	  // Fringes
	  var forwardFringe = [source],
	    reverseFringe = [target],
	    currentFringe,
	    node,
	    neighbors,
	    neighbor,
	    i,
	    j,
	    l,
	    m;

	  var found = false;

	  outer: while (forwardFringe.length && reverseFringe.length) {
	    if (forwardFringe.length <= reverseFringe.length) {
	      currentFringe = forwardFringe;
	      forwardFringe = [];

	      for (i = 0, l = currentFringe.length; i < l; i++) {
	        node = currentFringe[i];
	        neighbors = getSuccessors(node);

	        for (j = 0, m = neighbors.length; j < m; j++) {
	          neighbor = neighbors[j];

	          if (!(neighbor in predecessor)) {
	            forwardFringe.push(neighbor);
	            predecessor[neighbor] = node;
	          }

	          if (neighbor in successor) {
	            // Path is found!
	            found = true;
	            break outer;
	          }
	        }
	      }
	    } else {
	      currentFringe = reverseFringe;
	      reverseFringe = [];

	      for (i = 0, l = currentFringe.length; i < l; i++) {
	        node = currentFringe[i];
	        neighbors = getPredecessors(node);

	        for (j = 0, m = neighbors.length; j < m; j++) {
	          neighbor = neighbors[j];

	          if (!(neighbor in successor)) {
	            reverseFringe.push(neighbor);
	            successor[neighbor] = node;
	          }

	          if (neighbor in predecessor) {
	            // Path is found!
	            found = true;
	            break outer;
	          }
	        }
	      }
	    }
	  }

	  if (!found) return null;

	  var path = [];

	  while (neighbor) {
	    path.unshift(neighbor);
	    neighbor = predecessor[neighbor];
	  }

	  neighbor = successor[path[path.length - 1]];

	  while (neighbor) {
	    path.push(neighbor);
	    neighbor = successor[neighbor];
	  }

	  return path.length ? path : null;
	}

	/**
	 * Function attempting to find the shortest path in the graph between the
	 * given source node & all the other nodes.
	 *
	 * @param  {Graph}  graph  - Target graph.
	 * @param  {any}    source - Source node.
	 * @return {object}        - The map of found paths.
	 */

	// TODO: cutoff option
	function singleSource(graph, source) {
	  if (!isGraph(graph))
	    throw new Error('graphology-shortest-path: invalid graphology instance.');

	  if (arguments.length < 2)
	    throw new Error(
	      'graphology-shortest-path: invalid number of arguments. Expecting at least 2.'
	    );

	  if (!graph.hasNode(source))
	    throw new Error(
	      'graphology-shortest-path: the "' +
	        source +
	        '" source node does not exist in the given graph.'
	    );

	  source = '' + source;

	  var nextLevel = {},
	    paths = {},
	    currentLevel,
	    neighbors,
	    v,
	    w,
	    i,
	    l;

	  nextLevel[source] = true;
	  paths[source] = [source];

	  while (Object.keys(nextLevel).length) {
	    currentLevel = nextLevel;
	    nextLevel = {};

	    for (v in currentLevel) {
	      neighbors = graph.outboundNeighbors(v);

	      for (i = 0, l = neighbors.length; i < l; i++) {
	        w = neighbors[i];

	        if (!paths[w]) {
	          paths[w] = paths[v].concat(w);
	          nextLevel[w] = true;
	        }
	      }
	    }
	  }

	  return paths;
	}

	/**
	 * Function attempting to find the shortest path lengths in the graph between
	 * the given source node & all the other nodes.
	 *
	 * @param  {string} method - Neighbor collection method name.
	 * @param  {Graph}  graph  - Target graph.
	 * @param  {any}    source - Source node.
	 * @return {object}        - The map of found path lengths.
	 */

	// TODO: cutoff option
	function asbtractSingleSourceLength(method, graph, source) {
	  if (!isGraph(graph))
	    throw new Error('graphology-shortest-path: invalid graphology instance.');

	  if (!graph.hasNode(source))
	    throw new Error(
	      'graphology-shortest-path: the "' +
	        source +
	        '" source node does not exist in the given graph.'
	    );

	  source = '' + source;

	  // Performing BFS to count shortest paths
	  var seen = new Set();

	  var lengths = {},
	    level = 0;

	  lengths[source] = 0;

	  var currentLevel = [source];

	  var i, l, node;

	  while (currentLevel.length !== 0) {
	    var nextLevel = [];

	    for (i = 0, l = currentLevel.length; i < l; i++) {
	      node = currentLevel[i];

	      if (seen.has(node)) continue;

	      seen.add(node);
	      extend(nextLevel, graph[method](node));

	      lengths[node] = level;
	    }

	    level++;
	    currentLevel = nextLevel;
	  }

	  return lengths;
	}

	var singleSourceLength = asbtractSingleSourceLength.bind(
	  null,
	  'outboundNeighbors'
	);
	var undirectedSingleSourceLength = asbtractSingleSourceLength.bind(
	  null,
	  'neighbors'
	);

	/**
	 * Function using Ulrik Brandes' method to map single source shortest paths
	 * from selected node.
	 *
	 * [Reference]:
	 * Ulrik Brandes: A Faster Algorithm for Betweenness Centrality.
	 * Journal of Mathematical Sociology 25(2):163-177, 2001.
	 *
	 * @param  {Graph}  graph      - Target graph.
	 * @param  {any}    source     - Source node.
	 * @return {array}             - [Stack, Paths, Sigma]
	 */
	function brandes(graph, source) {
	  source = '' + source;

	  var S = [],
	    P = {},
	    sigma = {};

	  var nodes = graph.nodes(),
	    Dv,
	    sigmav,
	    neighbors,
	    v,
	    w,
	    i,
	    j,
	    l,
	    m;

	  for (i = 0, l = nodes.length; i < l; i++) {
	    v = nodes[i];
	    P[v] = [];
	    sigma[v] = 0;
	  }

	  var D = {};

	  sigma[source] = 1;
	  D[source] = 0;

	  var queue = Queue.of(source);

	  while (queue.size) {
	    v = queue.dequeue();
	    S.push(v);

	    Dv = D[v];
	    sigmav = sigma[v];

	    neighbors = graph.outboundNeighbors(v);

	    for (j = 0, m = neighbors.length; j < m; j++) {
	      w = neighbors[j];

	      if (!(w in D)) {
	        queue.enqueue(w);
	        D[w] = Dv + 1;
	      }

	      if (D[w] === Dv + 1) {
	        sigma[w] += sigmav;
	        P[w].push(v);
	      }
	    }
	  }

	  return [S, P, sigma];
	}

	/**
	 * Exporting.
	 */
	unweighted.bidirectional = bidirectional;
	unweighted.singleSource = singleSource;
	unweighted.singleSourceLength = singleSourceLength;
	unweighted.undirectedSingleSourceLength = undirectedSingleSourceLength;
	unweighted.brandes = brandes;
	return unweighted;
}

/**
 * Graphology Eccentricity
 * ========================
 *
 * Functions used to compute the eccentricity of each node of a given graph.
 */

var eccentricity;
var hasRequiredEccentricity;

function requireEccentricity () {
	if (hasRequiredEccentricity) return eccentricity;
	hasRequiredEccentricity = 1;
	var isGraph = requireIsGraph();
	var singleSourceLength =
	  requireUnweighted().singleSourceLength;

	eccentricity = function eccentricity(graph, node) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/eccentricity: given graph is not a valid graphology instance.'
	    );

	  if (graph.size === 0) return Infinity;

	  var ecc = -Infinity;

	  var lengths = singleSourceLength(graph, node);

	  var otherNode;

	  var pathLength,
	    l = 0;

	  for (otherNode in lengths) {
	    pathLength = lengths[otherNode];

	    if (pathLength > ecc) ecc = pathLength;

	    l++;
	  }

	  if (l < graph.order) return Infinity;

	  return ecc;
	};
	return eccentricity;
}

/**
 * Graphology Diameter
 * ========================
 *
 * Functions used to compute the diameter of the given graph.
 */

var diameter;
var hasRequiredDiameter;

function requireDiameter () {
	if (hasRequiredDiameter) return diameter;
	hasRequiredDiameter = 1;
	var isGraph = requireIsGraph();
	var eccentricity = requireEccentricity();

	diameter = function diameter(graph) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/diameter: given graph is not a valid graphology instance.'
	    );

	  if (graph.size === 0) return Infinity;

	  var max = -Infinity;

	  graph.someNode(function (node) {
	    var e = eccentricity(graph, node);

	    if (e > max) max = e;

	    // If the graph is not connected, its diameter is infinite
	    return max === Infinity;
	  });

	  return max;
	};
	return diameter;
}

/**
 * Graphology Modularity
 * ======================
 *
 * Implementation of network modularity for graphology.
 *
 * Modularity is a bit of a tricky problem because there are a wide array
 * of different definitions and implementations. The current implementation
 * try to stay true to Newman's original definition and consider both the
 * undirected & directed case as well as the weighted one. The current
 * implementation should also be aligned with Louvain algorithm's definition
 * of the metric.
 *
 * Regarding the directed version, one has to understand that the undirected
 * version's is basically considering the graph as a directed one where all
 * edges would be mutual.
 *
 * There is one exception to this, though: self loops. To conform with density's
 * definition, as used in modularity's one, and to keep true to the matrix
 * formulation of modularity, one has to note that self-loops only count once
 * in both the undirected and directed cases. This means that a k-clique with
 * one node having a self-loop will not have the same modularity in the
 * undirected and mutual case. Indeed, in both cases the modularity of a
 * k-clique with one loop and minus one internal edge should be equal.
 *
 * This also means that, as with the naive density formula regarding loops,
 * one should increment M when considering a loop. Also, to remain coherent
 * in this regard, degree should not be multiplied by two because of the loop
 * else it will have too much importance regarding the considered proportions.
 *
 * Hence, here are the retained formulas:
 *
 * For dense weighted undirected network:
 * --------------------------------------
 *
 * Q = 1/2m * [ ∑ij[Aij - (di.dj / 2m)] * ∂(ci, cj) ]
 *
 * where:
 *  - i & j being a pair of nodes
 *  - m is the sum of edge weights
 *  - Aij being the weight of the ij edge (or 0 if absent)
 *  - di being the weighted degree of node i
 *  - ci being the community to which belongs node i
 *  - ∂ is Kronecker's delta function (1 if x = y else 0)
 *
 * For dense weighted directed network:
 * ------------------------------------
 *
 * Qd = 1/m * [ ∑ij[Aij - (dini.doutj / m)] * ∂(ci, cj) ]
 *
 * where:
 *  - dini is the in degree of node i
 *  - douti is the out degree of node i
 *
 * For sparse weighted undirected network:
 * ---------------------------------------
 *
 * Q = ∑c[ (∑cinternal / 2m) - (∑ctotal / 2m)² ]
 *
 * where:
 *  - c is a community
 *  - ∑cinternal is the total weight of a community internal edges
 *  - ∑ctotal is the total weight of edges connected to a community
 *
 * For sparse weighted directed network:
 * -------------------------------------
 *
 * Qd = ∑c[ (∑cinternal / m) - (∑cintotal * ∑couttotal / m²) ]
 *
 * where:
 *  - ∑cintotal is the total weight of edges pointing towards a community
 *  - ∑couttotal is the total weight of edges going from a community
 *
 * Note that dense version run in O(N²) while sparse version runs in O(V). So
 * the dense version is mostly here to guarantee the validity of the sparse one.
 * As such it is not used as default.
 *
 * For undirected delta computation:
 * ---------------------------------
 *
 * ∆Q = (dic / 2m) - ((∑ctotal * di) / 2m²)
 *
 * where:
 *  - dic is the degree of the node in community c
 *
 * For directed delta computation:
 * -------------------------------
 *
 * ∆Qd = (dic / m) - (((douti * ∑cintotal) + (dini * ∑couttotal)) / m²)
 *
 * Gephi's version of undirected delta computation:
 * ------------------------------------------------
 *
 * ∆Qgephi = dic - (di * Ztot) / 2m
 *
 * Note that the above formula is erroneous and should really be:
 *
 * ∆Qgephi = dic - (di * Ztot) / m
 *
 * because then: ∆Qgephi = ∆Q * 2m
 *
 * It is used because it is faster to compute. Since Gephi's error is only by
 * a constant factor, it does not make the result incorrect.
 *
 * [Latex]
 *
 * Sparse undirected
 * Q = \sum_{c} \bigg{[} \frac{\sum\nolimits_{c\,in}}{2m} - \left(\frac{\sum\nolimits_{c\,tot}}{2m}\right )^2 \bigg{]}
 *
 * Sparse directed
 * Q_d = \sum_{c} \bigg{[} \frac{\sum\nolimits_{c\,in}}{m} - \frac{\sum_{c\,tot}^{in}\sum_{c\,tot}^{out}}{m^2} \bigg{]}
 *
 * [Articles]
 * M. E. J. Newman, « Modularity and community structure in networks »,
 * Proc. Natl. Acad. Sci. USA, vol. 103, no 23, 2006, p. 8577–8582
 * https://dx.doi.org/10.1073%2Fpnas.0601602103
 *
 * Newman, M. E. J. « Community detection in networks: Modularity optimization
 * and maximum likelihood are equivalent ». Physical Review E, vol. 94, no 5,
 * novembre 2016, p. 052315. arXiv.org, doi:10.1103/PhysRevE.94.052315.
 * https://arxiv.org/pdf/1606.02319.pdf
 *
 * Blondel, Vincent D., et al. « Fast unfolding of communities in large
 * networks ». Journal of Statistical Mechanics: Theory and Experiment,
 * vol. 2008, no 10, octobre 2008, p. P10008. DOI.org (Crossref),
 * doi:10.1088/1742-5468/2008/10/P10008.
 * https://arxiv.org/pdf/0803.0476.pdf
 *
 * Nicolas Dugué, Anthony Perez. Directed Louvain: maximizing modularity in
 * directed networks. [Research Report] Université d’Orléans. 2015. hal-01231784
 * https://hal.archives-ouvertes.fr/hal-01231784
 *
 * R. Lambiotte, J.-C. Delvenne and M. Barahona. Laplacian Dynamics and
 * Multiscale Modular Structure in Networks,
 * doi:10.1109/TNSE.2015.2391998.
 * https://arxiv.org/abs/0812.1770
 *
 * [Links]:
 * https://math.stackexchange.com/questions/2637469/where-does-the-second-formula-of-modularity-comes-from-in-the-louvain-paper-the
 * https://www.quora.com/How-is-the-formula-for-Louvain-modularity-change-derived
 * https://github.com/gephi/gephi/blob/master/modules/StatisticsPlugin/src/main/java/org/gephi/statistics/plugin/Modularity.java
 * https://github.com/igraph/igraph/blob/eca5e809aab1aa5d4eca1e381389bcde9cf10490/src/community.c#L906
 */

var modularity_1;
var hasRequiredModularity;

function requireModularity () {
	if (hasRequiredModularity) return modularity_1;
	hasRequiredModularity = 1;
	var resolveDefaults = requireDefaults();
	var isGraph = requireIsGraph();
	var inferType = requireInferType();
	var getters = requireGetters();

	var DEFAULTS = {
	  getNodeCommunity: 'community',
	  getEdgeWeight: 'weight',
	  resolution: 1
	};

	function collectForUndirectedDense(graph, options) {
	  var communities = new Array(graph.order);
	  var weightedDegrees = new Float64Array(graph.order);
	  var weights = {};
	  var M = 0;

	  var getEdgeWeight = getters.createEdgeWeightGetter(
	    options.getEdgeWeight
	  ).fromEntry;
	  var getNodeCommunity = getters.createNodeValueGetter(
	    options.getNodeCommunity
	  ).fromEntry;

	  // Collecting communities
	  var i = 0;
	  var ids = {};
	  graph.forEachNode(function (node, attr) {
	    ids[node] = i;
	    communities[i++] = getNodeCommunity(node, attr);
	  });

	  // Collecting weights
	  graph.forEachUndirectedEdge(function (edge, attr, source, target, sa, ta, u) {
	    var weight = getEdgeWeight(edge, attr, source, target, sa, ta, u);

	    M += weight;
	    weights[edge] = weight;

	    weightedDegrees[ids[source]] += weight;
	    weightedDegrees[ids[target]] += weight;
	  });

	  return {
	    weights: weights,
	    communities: communities,
	    weightedDegrees: weightedDegrees,
	    M: M
	  };
	}

	function collectForDirectedDense(graph, options) {
	  var communities = new Array(graph.order);
	  var weightedInDegrees = new Float64Array(graph.order);
	  var weightedOutDegrees = new Float64Array(graph.order);
	  var weights = {};
	  var M = 0;

	  var getEdgeWeight = getters.createEdgeWeightGetter(
	    options.getEdgeWeight
	  ).fromEntry;
	  var getNodeCommunity = getters.createNodeValueGetter(
	    options.getNodeCommunity
	  ).fromEntry;

	  // Collecting communities
	  var i = 0;
	  var ids = {};
	  graph.forEachNode(function (node, attr) {
	    ids[node] = i;
	    communities[i++] = getNodeCommunity(node, attr);
	  });

	  // Collecting weights
	  graph.forEachDirectedEdge(function (edge, attr, source, target, sa, ta, u) {
	    var weight = getEdgeWeight(edge, attr, source, target, sa, ta, u);

	    M += weight;
	    weights[edge] = weight;

	    weightedOutDegrees[ids[source]] += weight;
	    weightedInDegrees[ids[target]] += weight;
	  });

	  return {
	    weights: weights,
	    communities: communities,
	    weightedInDegrees: weightedInDegrees,
	    weightedOutDegrees: weightedOutDegrees,
	    M: M
	  };
	}

	function undirectedDenseModularity(graph, options) {
	  var resolution = options.resolution;

	  var result = collectForUndirectedDense(graph, options);

	  var communities = result.communities;
	  var weightedDegrees = result.weightedDegrees;

	  var M = result.M;

	  var nodes = graph.nodes();

	  var i, j, l, Aij, didj, e;

	  var S = 0;

	  var M2 = M * 2;

	  for (i = 0, l = graph.order; i < l; i++) {
	    // NOTE: it is important to parse the whole matrix here, diagonal and
	    // lower part included. A lot of implementation differ here because
	    // they process only a part of the matrix
	    for (j = 0; j < l; j++) {
	      // NOTE: Kronecker's delta
	      // NOTE: we could go from O(n^2) to O(avg.C^2)
	      if (communities[i] !== communities[j]) continue;

	      e = graph.undirectedEdge(nodes[i], nodes[j]);

	      Aij = result.weights[e] || 0;
	      didj = weightedDegrees[i] * weightedDegrees[j];

	      // We add twice if we have a self loop
	      if (i === j) Aij *= 2;

	      S += Aij - (didj / M2) * resolution;
	    }
	  }

	  return S / M2;
	}

	function directedDenseModularity(graph, options) {
	  var resolution = options.resolution;

	  var result = collectForDirectedDense(graph, options);

	  var communities = result.communities;
	  var weightedInDegrees = result.weightedInDegrees;
	  var weightedOutDegrees = result.weightedOutDegrees;

	  var M = result.M;

	  var nodes = graph.nodes();

	  var i, j, l, Aij, didj, e;

	  var S = 0;

	  for (i = 0, l = graph.order; i < l; i++) {
	    // NOTE: it is important to parse the whole matrix here, diagonal and
	    // lower part included. A lot of implementation differ here because
	    // they process only a part of the matrix
	    for (j = 0; j < l; j++) {
	      // NOTE: Kronecker's delta
	      // NOTE: we could go from O(n^2) to O(avg.C^2)
	      if (communities[i] !== communities[j]) continue;

	      e = graph.directedEdge(nodes[i], nodes[j]);

	      Aij = result.weights[e] || 0;
	      didj = weightedInDegrees[i] * weightedOutDegrees[j];

	      // Here we multiply by two to simulate iteration through lower part
	      S += Aij - (didj / M) * resolution;
	    }
	  }

	  return S / M;
	}

	function collectCommunitesForUndirected(graph, options) {
	  var communities = {};
	  var totalWeights = {};
	  var internalWeights = {};

	  var getNodeCommunity = getters.createNodeValueGetter(
	    options.getNodeCommunity
	  ).fromEntry;

	  graph.forEachNode(function (node, attr) {
	    var community = getNodeCommunity(node, attr);
	    communities[node] = community;

	    if (typeof community === 'undefined')
	      throw new Error(
	        'graphology-metrics/modularity: the "' +
	          node +
	          '" node is not in the partition.'
	      );

	    totalWeights[community] = 0;
	    internalWeights[community] = 0;
	  });

	  return {
	    communities: communities,
	    totalWeights: totalWeights,
	    internalWeights: internalWeights
	  };
	}

	function collectCommunitesForDirected(graph, options) {
	  var communities = {};
	  var totalInWeights = {};
	  var totalOutWeights = {};
	  var internalWeights = {};

	  var getNodeCommunity = getters.createNodeValueGetter(
	    options.getNodeCommunity
	  ).fromEntry;

	  graph.forEachNode(function (node, attr) {
	    var community = getNodeCommunity(node, attr);
	    communities[node] = community;

	    if (typeof community === 'undefined')
	      throw new Error(
	        'graphology-metrics/modularity: the "' +
	          node +
	          '" node is not in the partition.'
	      );

	    totalInWeights[community] = 0;
	    totalOutWeights[community] = 0;
	    internalWeights[community] = 0;
	  });

	  return {
	    communities: communities,
	    totalInWeights: totalInWeights,
	    totalOutWeights: totalOutWeights,
	    internalWeights: internalWeights
	  };
	}

	function undirectedSparseModularity(graph, options) {
	  var resolution = options.resolution;

	  var result = collectCommunitesForUndirected(graph, options);

	  var M = 0;

	  var totalWeights = result.totalWeights;
	  var internalWeights = result.internalWeights;
	  var communities = result.communities;

	  var getEdgeWeight = getters.createEdgeWeightGetter(
	    options.getEdgeWeight
	  ).fromEntry;

	  graph.forEachUndirectedEdge(function (
	    edge,
	    edgeAttr,
	    source,
	    target,
	    sa,
	    ta,
	    u
	  ) {
	    var weight = getEdgeWeight(edge, edgeAttr, source, target, sa, ta, u);

	    M += weight;

	    var sourceCommunity = communities[source];
	    var targetCommunity = communities[target];

	    totalWeights[sourceCommunity] += weight;
	    totalWeights[targetCommunity] += weight;

	    if (sourceCommunity !== targetCommunity) return;

	    internalWeights[sourceCommunity] += weight * 2;
	  });

	  var Q = 0;
	  var M2 = M * 2;

	  for (var C in internalWeights)
	    Q +=
	      internalWeights[C] / M2 - Math.pow(totalWeights[C] / M2, 2) * resolution;

	  return Q;
	}

	function directedSparseModularity(graph, options) {
	  var resolution = options.resolution;

	  var result = collectCommunitesForDirected(graph, options);

	  var M = 0;

	  var totalInWeights = result.totalInWeights;
	  var totalOutWeights = result.totalOutWeights;
	  var internalWeights = result.internalWeights;
	  var communities = result.communities;

	  var getEdgeWeight = getters.createEdgeWeightGetter(
	    options.getEdgeWeight
	  ).fromEntry;

	  graph.forEachDirectedEdge(function (
	    edge,
	    edgeAttr,
	    source,
	    target,
	    sa,
	    ta,
	    u
	  ) {
	    var weight = getEdgeWeight(edge, edgeAttr, source, target, sa, ta, u);

	    M += weight;

	    var sourceCommunity = communities[source];
	    var targetCommunity = communities[target];

	    totalOutWeights[sourceCommunity] += weight;
	    totalInWeights[targetCommunity] += weight;

	    if (sourceCommunity !== targetCommunity) return;

	    internalWeights[sourceCommunity] += weight;
	  });

	  var Q = 0;

	  for (var C in internalWeights)
	    Q +=
	      internalWeights[C] / M -
	      ((totalInWeights[C] * totalOutWeights[C]) / Math.pow(M, 2)) * resolution;

	  return Q;
	}

	// NOTE: the formula is a bit unclear here but nodeCommunityDegree should be
	// given as the edges count * 2
	function undirectedModularityDelta(
	  M,
	  communityTotalWeight,
	  nodeDegree,
	  nodeCommunityDegree
	) {
	  return (
	    nodeCommunityDegree / (2 * M) -
	    (communityTotalWeight * nodeDegree) / (2 * (M * M))
	  );
	}

	function directedModularityDelta(
	  M,
	  communityTotalInWeight,
	  communityTotalOutWeight,
	  nodeInDegree,
	  nodeOutDegree,
	  nodeCommunityDegree
	) {
	  return (
	    nodeCommunityDegree / M -
	    (nodeOutDegree * communityTotalInWeight +
	      nodeInDegree * communityTotalOutWeight) /
	      (M * M)
	  );
	}

	function denseModularity(graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/modularity: given graph is not a valid graphology instance.'
	    );

	  if (graph.size === 0)
	    throw new Error(
	      'graphology-metrics/modularity: cannot compute modularity of an empty graph.'
	    );

	  if (graph.multi)
	    throw new Error(
	      'graphology-metrics/modularity: cannot compute modularity of a multi graph. Cast it to a simple one beforehand.'
	    );

	  var trueType = inferType(graph);

	  if (trueType === 'mixed')
	    throw new Error(
	      'graphology-metrics/modularity: cannot compute modularity of a mixed graph.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  if (trueType === 'directed') return directedDenseModularity(graph, options);

	  return undirectedDenseModularity(graph, options);
	}

	function sparseModularity(graph, options) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/modularity: given graph is not a valid graphology instance.'
	    );

	  if (graph.size === 0)
	    throw new Error(
	      'graphology-metrics/modularity: cannot compute modularity of an empty graph.'
	    );

	  if (graph.multi)
	    throw new Error(
	      'graphology-metrics/modularity: cannot compute modularity of a multi graph. Cast it to a simple one beforehand.'
	    );

	  var trueType = inferType(graph);

	  if (trueType === 'mixed')
	    throw new Error(
	      'graphology-metrics/modularity: cannot compute modularity of a mixed graph.'
	    );

	  options = resolveDefaults(options, DEFAULTS);

	  if (trueType === 'directed') return directedSparseModularity(graph, options);

	  return undirectedSparseModularity(graph, options);
	}

	var modularity = sparseModularity;

	modularity.sparse = sparseModularity;
	modularity.dense = denseModularity;
	modularity.undirectedDelta = undirectedModularityDelta;
	modularity.directedDelta = directedModularityDelta;

	modularity_1 = modularity;
	return modularity_1;
}

/**
 * Graphology Weighted Size
 * =========================
 *
 * Function returning the sum of the graph's edges' weights.
 */

var weightedSize;
var hasRequiredWeightedSize;

function requireWeightedSize () {
	if (hasRequiredWeightedSize) return weightedSize;
	hasRequiredWeightedSize = 1;
	var isGraph = requireIsGraph();
	var createEdgeWeightGetter =
	  requireGetters().createEdgeWeightGetter;

	/**
	 * Defaults.
	 */
	var DEFAULT_WEIGHT_ATTRIBUTE = 'weight';

	/**
	 * Weighted size function.
	 *
	 * @param  {Graph}  graph                    - Target graph.
	 * @param  {string|function} [getEdgeWeight] - Name of the weight attribute or getter function.
	 * @return {number}
	 */
	weightedSize = function weightedSize(graph, getEdgeWeight) {
	  // Handling errors
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/weighted-size: the given graph is not a valid graphology instance.'
	    );

	  getEdgeWeight = createEdgeWeightGetter(
	    getEdgeWeight || DEFAULT_WEIGHT_ATTRIBUTE
	  ).fromEntry;

	  var size = 0;

	  graph.forEachEdge(function (e, a, s, t, sa, ta, u) {
	    size += getEdgeWeight(e, a, s, t, sa, ta, u);
	  });

	  return size;
	};
	return weightedSize;
}

var hasRequiredGraph;

function requireGraph () {
	if (hasRequiredGraph) return graph;
	hasRequiredGraph = 1;
	var density = requireDensity();
	var extent = requireExtent();

	graph.diameter = requireDiameter();
	graph.modularity = requireModularity();
	graph.simpleSize = requireSimpleSize();
	graph.weightedSize = requireWeightedSize();

	graph.abstractDensity = density.abstractDensity;
	graph.density = density.density;
	graph.directedDensity = density.directedDensity;
	graph.undirectedDensity = density.undirectedDensity;
	graph.mixedDensity = density.mixedDensity;
	graph.multiDirectedDensity = density.multiDirectedDensity;
	graph.multiUndirectedDensity = density.multiUndirectedDensity;
	graph.multiMixedDensity = density.multiMixedDensity;

	graph.nodeExtent = extent.nodeExtent;
	graph.edgeExtent = extent.edgeExtent;
	return graph;
}

var layoutQuality = {};

/**
 * Graphology Layout Quality - Connected-closeness
 * ================================================
 *
 * Function computing the layout quality metric named "connected-closeness",
 * designed to provide a quantified statement about the mediation of the topology
 * by the node placement.
 *
 * [Article]:
 * Jacomy, M. (2023). Connected-closeness: A Visual Quantification of Distances in
 * Network Layouts. Journal of Graph Algorithms and Applications, 27(5), 341-404.
 * https://www.jgaa.info/index.php/jgaa/article/view/paper626
 */

var connectedCloseness;
var hasRequiredConnectedCloseness;

function requireConnectedCloseness () {
	if (hasRequiredConnectedCloseness) return connectedCloseness;
	hasRequiredConnectedCloseness = 1;
	var isGraph = requireIsGraph();

	function max(values, getter) {
	  if (values.length < 1)
	    throw new Error(
	      'graphology-metrics/layout-quality/connected-closeness.max: not enough values!'
	    );

	  var m = undefined;
	  var v;

	  for (var i = 1, l = values.length; i < l; i++) {
	    v = values[i];

	    if (getter !== undefined) v = getter(v);

	    if (m === undefined || v > m) m = v;
	  }

	  return m;
	}

	function min(values, getter) {
	  if (values.length < 1)
	    throw new Error(
	      'graphology-metrics/layout-quality/connected-closeness.min: not enough values!'
	    );

	  var m = undefined;
	  var v;

	  for (var i = 1, l = values.length; i < l; i++) {
	    v = values[i];

	    if (getter !== undefined) v = getter(v);

	    if (m === undefined || v < m) m = v;
	  }

	  return m;
	}

	connectedCloseness = function connectedCloseness(g, settings) {
	  if (!isGraph(g))
	    throw new Error(
	      'graphology-metrics/layout-quality/connected-closeness: given graph is not a valid graphology instance.'
	    );

	  if (g.size < 2)
	    return {
	      deltaMax: undefined,
	      ePercentOfDeltaMax: undefined,
	      pPercentOfDeltaMax: undefined,
	      pEdgeOfDeltaMax: undefined,
	      cMax: indicatorsOfDeltaMax.C
	    };

	  // Default settings
	  // TODO: don't mutate the user's object
	  // TODO: lint
	  // TODO: fix directedness, infer types etc.
	  // TODO: add non sampling option
	  settings = settings || {};
	  settings.epsilon = settings.epsilon || 0.03; // 3%
	  settings.gridSize = settings.gridSize || 10; // This is an optimization thing, it's not the graphical grid

	  var rng = settings.rng || Math.random;

	  var pairsOfNodesSampled = samplePairsOfNodes();
	  var connectedPairs = g.edges().map(function (eid) {
	    var n1 = g.getNodeAttributes(g.source(eid));
	    var n2 = g.getNodeAttributes(g.target(eid));
	    var d = Math.sqrt(Math.pow(n1.x - n2.x, 2) + Math.pow(n1.y - n2.y, 2));
	    return d;
	  });

	  // Grid search for CMax

	  var range = [0, Math.max(max(pairsOfNodesSampled), max(connectedPairs) || 0)];

	  var CMax = 0;
	  var distancesIndex = {};
	  var Delta, oldCMax, C, i, indicatorsOverDelta;
	  var targetIndex = -1;
	  do {
	    for (i = 0; i <= settings.gridSize; i++) {
	      Delta = range[0] + ((range[1] - range[0]) * i) / settings.gridSize;
	      if (distancesIndex[Delta] === undefined) {
	        distancesIndex[Delta] = computeIndicators(
	          Delta,
	          g,
	          pairsOfNodesSampled,
	          connectedPairs
	        );
	      }
	    }
	    oldCMax = CMax;
	    CMax = 0;
	    indicatorsOverDelta = Object.values(distancesIndex);
	    indicatorsOverDelta.forEach(function (indicators, i) {
	      C = indicators.C;
	      if (C > CMax) {
	        CMax = C;
	        targetIndex = i;
	      }
	    });

	    range = [
	      indicatorsOverDelta[Math.max(0, targetIndex - 1)].Delta,
	      indicatorsOverDelta[
	        Math.min(indicatorsOverDelta.length - 1, targetIndex + 1)
	      ].Delta
	    ];
	  } while ((CMax - oldCMax) / CMax >= settings.epsilon / 10);

	  var deltaMax = findDeltaMax(indicatorsOverDelta, settings.epsilon);

	  var indicatorsOfDeltaMax = computeIndicators(
	    deltaMax,
	    g,
	    pairsOfNodesSampled,
	    connectedPairs
	  );

	  // Resistance to misinterpretation
	  if (indicatorsOfDeltaMax.C < 0.1) {
	    return {
	      deltaMax: undefined,
	      ePercentOfDeltaMax: undefined,
	      pPercentOfDeltaMax: undefined,
	      pEdgeOfDeltaMax: undefined,
	      cMax: indicatorsOfDeltaMax.C
	    };
	  } else {
	    return {
	      deltaMax: deltaMax,
	      ePercentOfDeltaMax: indicatorsOfDeltaMax.ePercent,
	      pPercentOfDeltaMax: indicatorsOfDeltaMax.pPercent,
	      pEdgeOfDeltaMax: indicatorsOfDeltaMax.pEdge,
	      cMax: indicatorsOfDeltaMax.C
	    };
	  }

	  // Internal methods

	  // Compute indicators given a distance Delta
	  function computeIndicators(Delta, g, pairsOfNodesSampled, connectedPairs) {
	    var connectedPairsBelowDelta = connectedPairs.filter(function (d) {
	      return d <= Delta;
	    });
	    var pairsBelowDelta = pairsOfNodesSampled.filter(function (d) {
	      return d <= Delta;
	    });

	    // Count of edges shorter than Delta
	    // note: actual count
	    var E = connectedPairsBelowDelta.length;

	    // Proportion of edges shorter than Delta
	    // note: actual count
	    var ePercent = E / connectedPairs.length;

	    // Count of node pairs closer than Delta
	    // note: sampling-dependent
	    var p = pairsBelowDelta.length;

	    // Proportion of node pairs closer than Delta
	    // note: sampling-dependent, but it cancels out
	    var pPercent = p / pairsOfNodesSampled.length;

	    // Connected closeness
	    var C = ePercent - pPercent;

	    // Probability that, considering two nodes closer than Delta, they are connected
	    // note: p is sampling-dependent, so we have to normalize it here.
	    var possibleEdgesPerPair = g.undirected ? 1 : 2;
	    var pEdge =
	      E /
	      ((possibleEdgesPerPair * p * (g.order * (g.order - 1))) /
	        pairsOfNodesSampled.length);

	    return {
	      Delta: Delta,
	      ePercent: ePercent,
	      pPercent: pPercent,
	      pEdge: pEdge, // Note: pEdge is complentary information, not strictly necessary
	      C: C
	    };
	  }

	  function samplePairsOfNodes() {
	    if (g.order < 2) return [];
	    var samples = [];
	    var node1, node2, n1, n2, d;
	    var samplesCount = g.size; // We want as many samples as edges
	    if (samplesCount < 1) return [];
	    for (var i = 0; i < samplesCount; i++) {
	      node1 = g.nodes()[Math.floor(rng() * g.order)];
	      do {
	        node2 = g.nodes()[Math.floor(rng() * g.order)];
	      } while (node1 === node2);
	      n1 = g.getNodeAttributes(node1);
	      n2 = g.getNodeAttributes(node2);
	      d = Math.sqrt(Math.pow(n1.x - n2.x, 2) + Math.pow(n1.y - n2.y, 2));
	      samples.push(d);
	    }
	    return samples;
	  }

	  function findDeltaMax(indicatorsOverDelta, epsilon) {
	    var CMax = max(indicatorsOverDelta, function (d) {
	      return d.C;
	    });

	    var deltaMax = min(
	      indicatorsOverDelta.filter(function (d) {
	        return d.C >= (1 - epsilon) * CMax;
	      }),
	      function (d) {
	        return d.Delta;
	      }
	    );
	    return deltaMax;
	  }
	};
	return connectedCloseness;
}

/**
 * Graphology Layout Quality - Edge Uniformity
 * ============================================
 *
 * Function computing the layout quality metric named "edge uniformity".
 * It is basically the normalized standard deviation of edge length.
 *
 * [Article]:
 * Rahman, Md Khaledur, et al. « BatchLayout: A Batch-Parallel Force-Directed
 * Graph Layout Algorithm in Shared Memory ».
 * http://arxiv.org/abs/2002.08233.
 */

var edgeUniformity;
var hasRequiredEdgeUniformity;

function requireEdgeUniformity () {
	if (hasRequiredEdgeUniformity) return edgeUniformity;
	hasRequiredEdgeUniformity = 1;
	var isGraph = requireIsGraph();

	function euclideanDistance(a, b) {
	  return Math.sqrt(Math.pow(a.x - b.x, 2) + Math.pow(a.y - b.y, 2));
	}

	edgeUniformity = function edgeUniformity(graph) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/layout-quality/edge-uniformity: given graph is not a valid graphology instance.'
	    );

	  if (graph.size === 0) return 0;

	  var sum = 0,
	    i = 0,
	    l;

	  var lengths = new Float64Array(graph.size);

	  graph.forEachEdge(function (
	    edge,
	    attr,
	    source,
	    target,
	    sourceAttr,
	    targetAttr
	  ) {
	    var edgeLength = euclideanDistance(sourceAttr, targetAttr);

	    lengths[i++] = edgeLength;
	    sum += edgeLength;
	  });

	  var avg = sum / graph.size;

	  var stdev = 0;

	  for (i = 0, l = graph.size; i < l; i++)
	    stdev += Math.pow(avg - lengths[i], 2);

	  var metric = stdev / (graph.size * Math.pow(avg, 2));

	  return Math.sqrt(metric);
	};
	return edgeUniformity;
}

/**
 * Mnemonist Fixed Reverse Heap
 * =============================
 *
 * Static heap implementation with fixed capacity. It's a "reverse" heap
 * because it stores the elements in reverse so we can replace the worst
 * item in logarithmic time. As such, one cannot pop this heap but can only
 * consume it at the end. This structure is very efficient when trying to
 * find the n smallest/largest items from a larger query (k nearest neigbors
 * for instance).
 */

var fixedReverseHeap;
var hasRequiredFixedReverseHeap;

function requireFixedReverseHeap () {
	if (hasRequiredFixedReverseHeap) return fixedReverseHeap;
	hasRequiredFixedReverseHeap = 1;
	var comparators = requireComparators(),
	    Heap = requireHeap();

	var DEFAULT_COMPARATOR = comparators.DEFAULT_COMPARATOR,
	    reverseComparator = comparators.reverseComparator;

	/**
	 * Helper functions.
	 */

	/**
	 * Function used to sift up.
	 *
	 * @param {function} compare - Comparison function.
	 * @param {array}    heap    - Array storing the heap's data.
	 * @param {number}   size    - Heap's true size.
	 * @param {number}   i       - Index.
	 */
	function siftUp(compare, heap, size, i) {
	  var endIndex = size,
	      startIndex = i,
	      item = heap[i],
	      childIndex = 2 * i + 1,
	      rightIndex;

	  while (childIndex < endIndex) {
	    rightIndex = childIndex + 1;

	    if (
	      rightIndex < endIndex &&
	      compare(heap[childIndex], heap[rightIndex]) >= 0
	    ) {
	      childIndex = rightIndex;
	    }

	    heap[i] = heap[childIndex];
	    i = childIndex;
	    childIndex = 2 * i + 1;
	  }

	  heap[i] = item;
	  Heap.siftDown(compare, heap, startIndex, i);
	}

	/**
	 * Fully consumes the given heap.
	 *
	 * @param  {function} ArrayClass - Array class to use.
	 * @param  {function} compare    - Comparison function.
	 * @param  {array}    heap       - Array storing the heap's data.
	 * @param  {number}   size       - True size of the heap.
	 * @return {array}
	 */
	function consume(ArrayClass, compare, heap, size) {
	  var l = size,
	      i = l;

	  var array = new ArrayClass(size),
	      lastItem,
	      item;

	  while (i > 0) {
	    lastItem = heap[--i];

	    if (i !== 0) {
	      item = heap[0];
	      heap[0] = lastItem;
	      siftUp(compare, heap, --size, 0);
	      lastItem = item;
	    }

	    array[i] = lastItem;
	  }

	  return array;
	}

	/**
	 * Binary Minimum FixedReverseHeap.
	 *
	 * @constructor
	 * @param {function} ArrayClass - The class of array to use.
	 * @param {function} comparator - Comparator function.
	 * @param {number}   capacity   - Maximum number of items to keep.
	 */
	function FixedReverseHeap(ArrayClass, comparator, capacity) {

	  // Comparator can be omitted
	  if (arguments.length === 2) {
	    capacity = comparator;
	    comparator = null;
	  }

	  this.ArrayClass = ArrayClass;
	  this.capacity = capacity;

	  this.items = new ArrayClass(capacity);
	  this.clear();
	  this.comparator = comparator || DEFAULT_COMPARATOR;

	  if (typeof capacity !== 'number' && capacity <= 0)
	    throw new Error('mnemonist/FixedReverseHeap.constructor: capacity should be a number > 0.');

	  if (typeof this.comparator !== 'function')
	    throw new Error('mnemonist/FixedReverseHeap.constructor: given comparator should be a function.');

	  this.comparator = reverseComparator(this.comparator);
	}

	/**
	 * Method used to clear the heap.
	 *
	 * @return {undefined}
	 */
	FixedReverseHeap.prototype.clear = function() {

	  // Properties
	  this.size = 0;
	};

	/**
	 * Method used to push an item into the heap.
	 *
	 * @param  {any}    item - Item to push.
	 * @return {number}
	 */
	FixedReverseHeap.prototype.push = function(item) {

	  // Still some place
	  if (this.size < this.capacity) {
	    this.items[this.size] = item;
	    Heap.siftDown(this.comparator, this.items, 0, this.size);
	    this.size++;
	  }

	  // Heap is full, we need to replace worst item
	  else {

	    if (this.comparator(item, this.items[0]) > 0)
	      Heap.replace(this.comparator, this.items, item);
	  }

	  return this.size;
	};

	/**
	 * Method used to peek the worst item in the heap.
	 *
	 * @return {any}
	 */
	FixedReverseHeap.prototype.peek = function() {
	  return this.items[0];
	};

	/**
	 * Method used to consume the heap fully and return its items as a sorted array.
	 *
	 * @return {array}
	 */
	FixedReverseHeap.prototype.consume = function() {
	  var items = consume(this.ArrayClass, this.comparator, this.items, this.size);
	  this.size = 0;

	  return items;
	};

	/**
	 * Method used to convert the heap to an array. Note that it basically clone
	 * the heap and consumes it completely. This is hardly performant.
	 *
	 * @return {array}
	 */
	FixedReverseHeap.prototype.toArray = function() {
	  return consume(this.ArrayClass, this.comparator, this.items.slice(0, this.size), this.size);
	};

	/**
	 * Convenience known methods.
	 */
	FixedReverseHeap.prototype.inspect = function() {
	  var proxy = this.toArray();

	  // Trick so that node displays the name of the constructor
	  Object.defineProperty(proxy, 'constructor', {
	    value: FixedReverseHeap,
	    enumerable: false
	  });

	  return proxy;
	};

	if (typeof Symbol !== 'undefined')
	  FixedReverseHeap.prototype[Symbol.for('nodejs.util.inspect.custom')] = FixedReverseHeap.prototype.inspect;

	/**
	 * Exporting.
	 */
	fixedReverseHeap = FixedReverseHeap;
	return fixedReverseHeap;
}

var quick = {};

/**
 * Mnemonist Quick Sort
 * =====================
 *
 * Quick sort related functions.
 * Adapted from: https://alienryderflex.com/quicksort/
 */

var hasRequiredQuick;

function requireQuick () {
	if (hasRequiredQuick) return quick;
	hasRequiredQuick = 1;
	var LOS = new Float64Array(64),
	    HIS = new Float64Array(64);

	function inplaceQuickSort(array, lo, hi) {
	  var p, i, l, r, swap;

	  LOS[0] = lo;
	  HIS[0] = hi;
	  i = 0;

	  while (i >= 0) {
	    l = LOS[i];
	    r = HIS[i] - 1;

	    if (l < r) {
	      p = array[l];

	      while (l < r) {
	        while (array[r] >= p && l < r)
	          r--;

	        if (l < r)
	          array[l++] = array[r];

	        while (array[l] <= p && l < r)
	          l++;

	        if (l < r)
	          array[r--] = array[l];
	      }

	      array[l] = p;
	      LOS[i + 1] = l + 1;
	      HIS[i + 1] = HIS[i];
	      HIS[i++] = l;

	      if (HIS[i] - LOS[i] > HIS[i - 1] - LOS[i - 1]) {
	        swap = LOS[i];
	        LOS[i] = LOS[i - 1];
	        LOS[i - 1] = swap;

	        swap = HIS[i];
	        HIS[i] = HIS[i - 1];
	        HIS[i - 1] = swap;
	      }
	    }
	    else {
	      i--;
	    }
	  }

	  return array;
	}

	quick.inplaceQuickSort = inplaceQuickSort;

	function inplaceQuickSortIndices(array, indices, lo, hi) {
	  var p, i, l, r, t, swap;

	  LOS[0] = lo;
	  HIS[0] = hi;
	  i = 0;

	  while (i >= 0) {
	    l = LOS[i];
	    r = HIS[i] - 1;

	    if (l < r) {
	      t = indices[l];
	      p = array[t];

	      while (l < r) {
	        while (array[indices[r]] >= p && l < r)
	          r--;

	        if (l < r)
	          indices[l++] = indices[r];

	        while (array[indices[l]] <= p && l < r)
	          l++;

	        if (l < r)
	          indices[r--] = indices[l];
	      }

	      indices[l] = t;
	      LOS[i + 1] = l + 1;
	      HIS[i + 1] = HIS[i];
	      HIS[i++] = l;

	      if (HIS[i] - LOS[i] > HIS[i - 1] - LOS[i - 1]) {
	        swap = LOS[i];
	        LOS[i] = LOS[i - 1];
	        LOS[i - 1] = swap;

	        swap = HIS[i];
	        HIS[i] = HIS[i - 1];
	        HIS[i - 1] = swap;
	      }
	    }
	    else {
	      i--;
	    }
	  }

	  return indices;
	}

	quick.inplaceQuickSortIndices = inplaceQuickSortIndices;
	return quick;
}

/**
 * Mnemonist KDTree
 * =================
 *
 * Low-level JavaScript implementation of a k-dimensional tree.
 */

var kdTree;
var hasRequiredKdTree;

function requireKdTree () {
	if (hasRequiredKdTree) return kdTree;
	hasRequiredKdTree = 1;
	var iterables = requireIterables();
	var typed = requireTypedArrays();
	var createTupleComparator = requireComparators().createTupleComparator;
	var FixedReverseHeap = requireFixedReverseHeap();
	var inplaceQuickSortIndices = requireQuick().inplaceQuickSortIndices;

	/**
	 * Helper function used to compute the squared distance between a query point
	 * and an indexed points whose values are stored in a tree's axes.
	 *
	 * Note that squared distance is used instead of euclidean to avoid
	 * costly sqrt computations.
	 *
	 * @param  {number} dimensions - Number of dimensions.
	 * @param  {array}  axes       - Axes data.
	 * @param  {number} pivot      - Pivot.
	 * @param  {array}  point      - Query point.
	 * @return {number}
	 */
	function squaredDistanceAxes(dimensions, axes, pivot, b) {
	  var d;

	  var dist = 0,
	      step;

	  for (d = 0; d < dimensions; d++) {
	    step = axes[d][pivot] - b[d];
	    dist += step * step;
	  }

	  return dist;
	}

	/**
	 * Helper function used to reshape input data into low-level axes data.
	 *
	 * @param  {number} dimensions - Number of dimensions.
	 * @param  {array}  data       - Data in the shape [label, [x, y, z...]]
	 * @return {object}
	 */
	function reshapeIntoAxes(dimensions, data) {
	  var l = data.length;

	  var axes = new Array(dimensions),
	      labels = new Array(l),
	      axis;

	  var PointerArray = typed.getPointerArray(l);

	  var ids = new PointerArray(l);

	  var d, i, row;

	  var f = true;

	  for (d = 0; d < dimensions; d++) {
	    axis = new Float64Array(l);

	    for (i = 0; i < l; i++) {
	      row = data[i];
	      axis[i] = row[1][d];

	      if (f) {
	        labels[i] = row[0];
	        ids[i] = i;
	      }
	    }

	    f = false;
	    axes[d] = axis;
	  }

	  return {axes: axes, ids: ids, labels: labels};
	}

	/**
	 * Helper function used to build a kd-tree from axes data.
	 *
	 * @param  {number} dimensions - Number of dimensions.
	 * @param  {array}  axes       - Axes.
	 * @param  {array}  ids        - Indices to sort.
	 * @param  {array}  labels     - Point labels.
	 * @return {object}
	 */
	function buildTree(dimensions, axes, ids, labels) {
	  var l = labels.length;

	  // NOTE: +1 because we need to keep 0 as null pointer
	  var PointerArray = typed.getPointerArray(l + 1);

	  // Building the tree
	  var pivots = new PointerArray(l),
	      lefts = new PointerArray(l),
	      rights = new PointerArray(l);

	  var stack = [[0, 0, ids.length, -1, 0]],
	      step,
	      parent,
	      direction,
	      median,
	      pivot,
	      lo,
	      hi;

	  var d, i = 0;

	  while (stack.length !== 0) {
	    step = stack.pop();

	    d = step[0];
	    lo = step[1];
	    hi = step[2];
	    parent = step[3];
	    direction = step[4];

	    inplaceQuickSortIndices(axes[d], ids, lo, hi);

	    l = hi - lo;
	    median = lo + (l >>> 1); // Fancy floor(l / 2)
	    pivot = ids[median];
	    pivots[i] = pivot;

	    if (parent > -1) {
	      if (direction === 0)
	        lefts[parent] = i + 1;
	      else
	        rights[parent] = i + 1;
	    }

	    d = (d + 1) % dimensions;

	    // Right
	    if (median !== lo && median !== hi - 1) {
	      stack.push([d, median + 1, hi, i, 1]);
	    }

	    // Left
	    if (median !== lo) {
	      stack.push([d, lo, median, i, 0]);
	    }

	    i++;
	  }

	  return {
	    axes: axes,
	    labels: labels,
	    pivots: pivots,
	    lefts: lefts,
	    rights: rights
	  };
	}

	/**
	 * KDTree.
	 *
	 * @constructor
	 */
	function KDTree(dimensions, build) {
	  this.dimensions = dimensions;
	  this.visited = 0;

	  this.axes = build.axes;
	  this.labels = build.labels;

	  this.pivots = build.pivots;
	  this.lefts = build.lefts;
	  this.rights = build.rights;

	  this.size = this.labels.length;
	}

	/**
	 * Method returning the query's nearest neighbor.
	 *
	 * @param  {array}  query - Query point.
	 * @return {any}
	 */
	KDTree.prototype.nearestNeighbor = function(query) {
	  var bestDistance = Infinity,
	      best = null;

	  var dimensions = this.dimensions,
	      axes = this.axes,
	      pivots = this.pivots,
	      lefts = this.lefts,
	      rights = this.rights;

	  var visited = 0;

	  function recurse(d, node) {
	    visited++;

	    var left = lefts[node],
	        right = rights[node],
	        pivot = pivots[node];

	    var dist = squaredDistanceAxes(
	      dimensions,
	      axes,
	      pivot,
	      query
	    );

	    if (dist < bestDistance) {
	      best = pivot;
	      bestDistance = dist;

	      if (dist === 0)
	        return;
	    }

	    var dx = axes[d][pivot] - query[d];

	    d = (d + 1) % dimensions;

	    // Going the correct way?
	    if (dx > 0) {
	      if (left !== 0)
	        recurse(d, left - 1);
	    }
	    else {
	      if (right !== 0)
	        recurse(d, right - 1);
	    }

	    // Going the other way?
	    if (dx * dx < bestDistance) {
	      if (dx > 0) {
	        if (right !== 0)
	          recurse(d, right - 1);
	      }
	      else {
	        if (left !== 0)
	          recurse(d, left - 1);
	      }
	    }
	  }

	  recurse(0, 0);

	  this.visited = visited;
	  return this.labels[best];
	};

	var KNN_HEAP_COMPARATOR_3 = createTupleComparator(3);
	var KNN_HEAP_COMPARATOR_2 = createTupleComparator(2);

	/**
	 * Method returning the query's k nearest neighbors.
	 *
	 * @param  {number} k     - Number of nearest neighbor to retrieve.
	 * @param  {array}  query - Query point.
	 * @return {array}
	 */

	// TODO: can do better by improving upon static-kdtree here
	KDTree.prototype.kNearestNeighbors = function(k, query) {
	  if (k <= 0)
	    throw new Error('mnemonist/kd-tree.kNearestNeighbors: k should be a positive number.');

	  k = Math.min(k, this.size);

	  if (k === 1)
	    return [this.nearestNeighbor(query)];

	  var heap = new FixedReverseHeap(Array, KNN_HEAP_COMPARATOR_3, k);

	  var dimensions = this.dimensions,
	      axes = this.axes,
	      pivots = this.pivots,
	      lefts = this.lefts,
	      rights = this.rights;

	  var visited = 0;

	  function recurse(d, node) {
	    var left = lefts[node],
	        right = rights[node],
	        pivot = pivots[node];

	    var dist = squaredDistanceAxes(
	      dimensions,
	      axes,
	      pivot,
	      query
	    );

	    heap.push([dist, visited++, pivot]);

	    var point = query[d],
	        split = axes[d][pivot],
	        dx = point - split;

	    d = (d + 1) % dimensions;

	    // Going the correct way?
	    if (point < split) {
	      if (left !== 0) {
	        recurse(d, left - 1);
	      }
	    }
	    else {
	      if (right !== 0) {
	        recurse(d, right - 1);
	      }
	    }

	    // Going the other way?
	    if (dx * dx < heap.peek()[0] || heap.size < k) {
	      if (point < split) {
	        if (right !== 0) {
	          recurse(d, right - 1);
	        }
	      }
	      else {
	        if (left !== 0) {
	          recurse(d, left - 1);
	        }
	      }
	    }
	  }

	  recurse(0, 0);

	  this.visited = visited;

	  var best = heap.consume();

	  for (var i = 0; i < best.length; i++)
	    best[i] = this.labels[best[i][2]];

	  return best;
	};

	/**
	 * Method returning the query's k nearest neighbors by linear search.
	 *
	 * @param  {number} k     - Number of nearest neighbor to retrieve.
	 * @param  {array}  query - Query point.
	 * @return {array}
	 */
	KDTree.prototype.linearKNearestNeighbors = function(k, query) {
	  if (k <= 0)
	    throw new Error('mnemonist/kd-tree.kNearestNeighbors: k should be a positive number.');

	  k = Math.min(k, this.size);

	  var heap = new FixedReverseHeap(Array, KNN_HEAP_COMPARATOR_2, k);

	  var i, l, dist;

	  for (i = 0, l = this.size; i < l; i++) {
	    dist = squaredDistanceAxes(
	      this.dimensions,
	      this.axes,
	      this.pivots[i],
	      query
	    );

	    heap.push([dist, i]);
	  }

	  var best = heap.consume();

	  for (i = 0; i < best.length; i++)
	    best[i] = this.labels[this.pivots[best[i][1]]];

	  return best;
	};

	/**
	 * Convenience known methods.
	 */
	KDTree.prototype.inspect = function() {
	  var dummy = new Map();

	  dummy.dimensions = this.dimensions;

	  Object.defineProperty(dummy, 'constructor', {
	    value: KDTree,
	    enumerable: false
	  });

	  var i, j, point;

	  for (i = 0; i < this.size; i++) {
	    point = new Array(this.dimensions);

	    for (j = 0; j < this.dimensions; j++)
	      point[j] = this.axes[j][i];

	    dummy.set(this.labels[i], point);
	  }

	  return dummy;
	};

	if (typeof Symbol !== 'undefined')
	  KDTree.prototype[Symbol.for('nodejs.util.inspect.custom')] = KDTree.prototype.inspect;

	/**
	 * Static @.from function taking an arbitrary iterable & converting it into
	 * a structure.
	 *
	 * @param  {Iterable} iterable   - Target iterable.
	 * @param  {number}   dimensions - Space dimensions.
	 * @return {KDTree}
	 */
	KDTree.from = function(iterable, dimensions) {
	  var data = iterables.toArray(iterable);

	  var reshaped = reshapeIntoAxes(dimensions, data);

	  var result = buildTree(dimensions, reshaped.axes, reshaped.ids, reshaped.labels);

	  return new KDTree(dimensions, result);
	};

	/**
	 * Static @.from function building a KDTree from given axes.
	 *
	 * @param  {Iterable} iterable   - Target iterable.
	 * @param  {number}   dimensions - Space dimensions.
	 * @return {KDTree}
	 */
	KDTree.fromAxes = function(axes, labels) {
	  if (!labels)
	    labels = typed.indices(axes[0].length);

	  var dimensions = axes.length;

	  var result = buildTree(axes.length, axes, typed.indices(labels.length), labels);

	  return new KDTree(dimensions, result);
	};

	/**
	 * Exporting.
	 */
	kdTree = KDTree;
	return kdTree;
}

/**
 * Graphology Layout Quality - Neighborhood Preservation
 * ======================================================
 *
 * Function computing the layout quality metric named "neighborhood preservation".
 * It is basically the average of overlap coefficient between node neighbors in
 * the graph and equivalent k-nn in the 2d layout space.
 *
 * [Article]:
 * Rahman, Md Khaledur, et al. « BatchLayout: A Batch-Parallel Force-Directed
 * Graph Layout Algorithm in Shared Memory ».
 * http://arxiv.org/abs/2002.08233.
 */

var neighborhoodPreservation;
var hasRequiredNeighborhoodPreservation;

function requireNeighborhoodPreservation () {
	if (hasRequiredNeighborhoodPreservation) return neighborhoodPreservation;
	hasRequiredNeighborhoodPreservation = 1;
	var isGraph = requireIsGraph(),
	  KDTree = requireKdTree(),
	  intersectionSize = requireSet().intersectionSize;

	neighborhoodPreservation = function neighborhoodPreservation(graph) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/layout-quality/neighborhood-preservation: given graph is not a valid graphology instance.'
	    );

	  if (graph.order === 0)
	    throw new Error(
	      'graphology-metrics/layout-quality/neighborhood-preservation: cannot compute stress for a null graph.'
	    );

	  if (graph.size === 0) return 0;

	  var axes = [new Float64Array(graph.order), new Float64Array(graph.order)],
	    i = 0;

	  graph.forEachNode(function (node, attr) {
	    axes[0][i] = attr.x;
	    axes[1][i++] = attr.y;
	  });

	  var tree = KDTree.fromAxes(axes, graph.nodes());

	  var sum = 0;

	  graph.forEachNode(function (node, attr) {
	    var neighbors = new Set(graph.neighbors(node));

	    // If node has no neighbors or is connected to every other node
	    if (neighbors.size === 0 || neighbors.size === graph.order - 1) {
	      sum += 1;
	      return;
	    }

	    var knn = tree.kNearestNeighbors(neighbors.size + 1, [attr.x, attr.y]);
	    knn = new Set(knn.slice(1));

	    var I = intersectionSize(neighbors, knn);

	    // Computing overlap coefficient
	    sum += I / knn.size;
	  });

	  return sum / graph.order;
	};
	return neighborhoodPreservation;
}

/**
 * Graphology Layout Quality - Stress
 * ===================================
 *
 * Function computing the layout quality metric named "stress".
 * It is basically the sum of normalized deltas between graph topology distances
 * and 2d space distances of the layout.
 *
 * [Article]:
 * Rahman, Md Khaledur, et al. « BatchLayout: A Batch-Parallel Force-Directed
 * Graph Layout Algorithm in Shared Memory ».
 * http://arxiv.org/abs/2002.08233.
 */

var stress;
var hasRequiredStress;

function requireStress () {
	if (hasRequiredStress) return stress;
	hasRequiredStress = 1;
	var isGraph = requireIsGraph(),
	  undirectedSingleSourceLength =
	    requireUnweighted().undirectedSingleSourceLength;

	function euclideanDistance(a, b) {
	  return Math.sqrt(Math.pow(a.x - b.x, 2) + Math.pow(a.y - b.y, 2));
	}

	stress = function stress(graph) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/layout-quality/stress: given graph is not a valid graphology instance.'
	    );

	  if (graph.order === 0)
	    throw new Error(
	      'graphology-metrics/layout-quality/stress: cannot compute stress for a null graph.'
	    );

	  var nodes = new Array(graph.order),
	    entries = new Array(graph.order),
	    i = 0;

	  // We choose an arbitrary large distance for when two nodes cannot be
	  // connected because they belong to different connected components
	  // and because we cannot deal with Infinity in our computations
	  // This is what most papers recommend anyway
	  var maxDistance = graph.order * 4;

	  graph.forEachNode(function (node, attr) {
	    nodes[i] = node;
	    entries[i++] = attr;
	  });

	  var j, l, p1, p2, shortestPaths, dij, wij, cicj;

	  var sum = 0;

	  for (i = 0, l = graph.order; i < l; i++) {
	    shortestPaths = undirectedSingleSourceLength(graph, nodes[i]);

	    p1 = entries[i];

	    for (j = i + 1; j < l; j++) {
	      p2 = entries[j];

	      // NOTE: dij should be 0 since we don't consider self-loops
	      dij = shortestPaths[nodes[j]];

	      // Target is in another castle
	      if (typeof dij === 'undefined') dij = maxDistance;

	      cicj = euclideanDistance(p1, p2);
	      wij = 1 / (dij * dij);

	      sum += wij * Math.pow(cicj - dij, 2);
	    }
	  }

	  return sum;
	};
	return stress;
}

var hasRequiredLayoutQuality;

function requireLayoutQuality () {
	if (hasRequiredLayoutQuality) return layoutQuality;
	hasRequiredLayoutQuality = 1;
	layoutQuality.connectedCloseness = requireConnectedCloseness();
	layoutQuality.edgeUniformity = requireEdgeUniformity();
	layoutQuality.neighborhoodPreservation = requireNeighborhoodPreservation();
	layoutQuality.stress = requireStress();
	return layoutQuality;
}

var node = {};

var weightedDegree = {};

/**
 * Graphology Weighted Degree
 * ===========================
 *
 * Function computing the weighted degree of nodes. The weighted degree is the
 * sum of a node's edges' weights.
 */

var hasRequiredWeightedDegree;

function requireWeightedDegree () {
	if (hasRequiredWeightedDegree) return weightedDegree;
	hasRequiredWeightedDegree = 1;
	var isGraph = requireIsGraph();

	/**
	 * Defaults.
	 */
	var DEFAULT_WEIGHT_ATTRIBUTE = 'weight';

	/**
	 * Asbtract function to perform any kind of weighted degree.
	 *
	 * @param  {string}          name          - Name of the implemented function.
	 * @param  {string}          method        - Method of the graph to get the edges.
	 * @param  {Graph}           graph         - A graphology instance.
	 * @param  {string}          node          - Target node.
	 * @param  {string|function} getEdgeWeight - Name of edge weight attribute or getter function.
	 *
	 * @return {number}
	 */
	function abstractWeightedDegree(name, method, graph, node, getEdgeWeight) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/' +
	        name +
	        ': the given graph is not a valid graphology instance.'
	    );

	  getEdgeWeight = getEdgeWeight || DEFAULT_WEIGHT_ATTRIBUTE;

	  var d = 0;

	  graph[method](node, function (e, a, s, t, sa, ta, u) {
	    var w =
	      typeof getEdgeWeight === 'function'
	        ? getEdgeWeight(e, a, s, t, sa, ta, u)
	        : a[getEdgeWeight];

	    if (typeof w !== 'number' || isNaN(w)) w = 1;

	    d += w;
	  });

	  return d;
	}

	/**
	 * Exports.
	 */
	weightedDegree.weightedDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedDegree',
	  'forEachEdge'
	);
	weightedDegree.weightedInDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedInDegree',
	  'forEachInEdge'
	);
	weightedDegree.weightedOutDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedOutDegree',
	  'forEachOutEdge'
	);
	weightedDegree.weightedInboundDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedInboundDegree',
	  'forEachInboundEdge'
	);
	weightedDegree.weightedOutboundDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedOutboundDegree',
	  'forEachOutboundEdge'
	);
	weightedDegree.weightedUndirectedDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedUndirectedDegree',
	  'forEachUndirectedEdge'
	);
	weightedDegree.weightedDirectedDegree = abstractWeightedDegree.bind(
	  null,
	  'weightedDirectedDegree',
	  'forEachDirectedEdge'
	);
	return weightedDegree;
}

/**
 * Pandemonium Random Ordered Pair
 * ================================
 *
 * Random ordered pair function.
 */

var randomOrderedPair_1;
var hasRequiredRandomOrderedPair;

function requireRandomOrderedPair () {
	if (hasRequiredRandomOrderedPair) return randomOrderedPair_1;
	hasRequiredRandomOrderedPair = 1;
	/**
	 * Creating a function returning a random ordered pair of the given array.
	 *
	 * @param  {function} rng - RNG function returning uniform random.
	 * @return {function}     - The created function.
	 */
	function createRandomOrderedPair(rng) {
	  /**
	   * Random ordered pair function.
	   *
	   * @param  {array|number}  array - Target array or length of the array.
	   * @return {number}
	   */
	  return function (array) {
	    var needItems = typeof array !== 'number';

	    var n = needItems ? array.length : array;

	    if (n < 2)
	      throw new Error(
	        'pandemonium/random-ordered-pair: cannot draw a random ordered pair for length < 2.'
	      );

	    var i = Math.floor(rng() * n);
	    var o = 1 + Math.floor(rng() * (n - 1));
	    var j = (i + o) % n;

	    if (needItems) return [array[i], array[j]];

	    return [i, j];
	  };
	}

	/**
	 * Default random ordered pair using `Math.random`.
	 */
	var randomOrderedPair = createRandomOrderedPair(Math.random);

	/**
	 * Exporting.
	 */
	randomOrderedPair.createRandomOrderedPair = createRandomOrderedPair;
	randomOrderedPair_1 = randomOrderedPair;
	return randomOrderedPair_1;
}

/**
 * Graphology Clustering Ambiguity
 * ================================
 *
 * Functions used to compute the clustering ambiguity of all nodes of a given
 * graph and results of clustering runs and return all node's ambiguity mean.
 *
 * Formula can be found here: https://github.com/graphology/graphology/pull/419
 */

var clusteringAmbiguity;
var hasRequiredClusteringAmbiguity;

function requireClusteringAmbiguity () {
	if (hasRequiredClusteringAmbiguity) return clusteringAmbiguity;
	hasRequiredClusteringAmbiguity = 1;
	var isGraph = requireIsGraph();
	var inferType = requireInferType();
	var randomOrderedPair = requireRandomOrderedPair();

	// TODO: docs
	// TODO: export
	// TODO: assign variant

	function processNodePair(
	  n1,
	  n2,
	  n1Attr,
	  n2Attr,
	  clusterings,
	  isEdge,
	  nodePairs
	) {
	  if (nodePairs[n1] === undefined) nodePairs[n1] = {n2: true};
	  else nodePairs[n1][n2] = true;

	  if (!isEdge) {
	    n1Attr.nonNeighborsMet += 1;
	    n2Attr.nonNeighborsMet += 1;
	  }

	  var identicalCluster = 0;
	  for (var i = 0; i < clusterings.length; i++)
	    if (clusterings[i][n1] === clusterings[i][n2]) identicalCluster++;

	  var ratio = identicalCluster / clusterings.length;
	  if (identicalCluster === 0 || identicalCluster === clusterings.length) return;

	  var entropy =
	      ((ratio - 1) * Math.log(1 - ratio) - ratio * Math.log(ratio)) /
	      Math.log(2),
	    entropyAttr = 'entropy' + (isEdge ? 'Edges' : 'NonEdges');
	  n1Attr[entropyAttr] += entropy;
	  n2Attr[entropyAttr] += entropy;
	}

	/**
	 * @param  {Graph}          graph         - A graphology instance.
	 * @param  {array}          clusterings   - An array of clusterings as objects with nodes as keys and clusters as values
	 *
	 * @return {object}                       - A map of ambiguities computed for each node
	 */
	clusteringAmbiguity = function clusteringAmbiguity(graph, clusterings) {
	  if (!isGraph(graph))
	    throw new Error(
	      'graphology-metrics/node/clustering-ambiguity: given graph is not a valid graphology instance.'
	    );

	  if (graph.multi)
	    throw new Error(
	      'graphology-metrics/node/clustering-ambiguity: ambiguity is not implemented yet for multi graphs.'
	    );

	  if (inferType(graph) !== 'undirected')
	    throw new Error(
	      'graphology-metrics/node/clustering-ambiguity: ambiguity is not implemented yet for directed and mixt graphs.'
	    );

	  if (clusterings.length < 2)
	    throw new Error(
	      'graphology-metrics/node/clustering-ambiguity: given set of clusterings should have at least 2 clusterings.'
	    );

	  if (graph.order === 0) return {};

	  // A perfect computation would require to run on all nodes with N² complexity
	  // so we sample to reduce it to N*log(N).
	  var sampleSize =
	    graph.order * Math.min(graph.order, 5 * Math.log(graph.order));

	  var nodePairs = {},
	    donePairs = 0,
	    nodes = [],
	    attributes = {};

	  graph.forEachNode(function (node) {
	    nodes.push(node);
	    attributes[node] = {
	      entropyEdges: 0,
	      entropyNonEdges: 0,
	      nonNeighborsMet: 0
	    };
	  });

	  // First compute all node pairs that are edges
	  graph.forEachEdge(function (edge, edgeAttr, n1, n2) {
	    if (n1 === n2) return;

	    if (n1 < n2)
	      processNodePair(
	        n1,
	        n2,
	        attributes[n1],
	        attributes[n2],
	        clusterings,
	        true,
	        nodePairs
	      );
	    else
	      processNodePair(
	        n2,
	        n1,
	        attributes[n1],
	        attributes[n2],
	        clusterings,
	        true,
	        nodePairs
	      );

	    donePairs++;
	  });

	  var pair, n1, n2;

	  // Then compute a sample of node pairs to complete
	  while (donePairs < sampleSize) {
	    pair = randomOrderedPair(nodes);
	    n1 = pair[0];
	    n2 = pair[1];

	    if (nodePairs[n1] && nodePairs[n1][n2]) continue;

	    processNodePair(
	      n1,
	      n2,
	      attributes[n1],
	      attributes[n2],
	      clusterings,
	      false,
	      nodePairs
	    );
	    donePairs++;
	  }

	  var ambiguities = {};
	  Object.keys(attributes).forEach(function (node) {
	    var degree = graph.degree(node);
	    if (attributes[node].nonNeighborsMet !== 0)
	      ambiguities[node] =
	        (attributes[node].entropyEdges +
	          ((graph.order - degree) / attributes[node].nonNeighborsMet) *
	            attributes[node].entropyNonEdges) /
	        graph.order;
	    else ambiguities[node] = attributes[node].entropyEdges / degree;
	  });
	  return ambiguities;
	};
	return clusteringAmbiguity;
}

var hasRequiredNode;

function requireNode () {
	if (hasRequiredNode) return node;
	hasRequiredNode = 1;
	var wd = requireWeightedDegree();

	node.clusteringAmbiguity = requireClusteringAmbiguity();
	node.eccentricity = requireEccentricity();

	node.weightedDegree = wd.weightedDegree;
	node.weightedInDegree = wd.weightedInDegree;
	node.weightedOutDegree = wd.weightedOutDegree;
	node.weightedInboundDegree = wd.weightedInboundDegree;
	node.weightedOutboundDegree = wd.weightedOutboundDegree;
	node.weightedUndirectedDegree = wd.weightedUndirectedDegree;
	node.weightedDirectedDegree = wd.weightedDirectedDegree;
	return node;
}

/**
 * Graphology Metrics
 * ===================
 *
 * Library endpoint.
 */

var hasRequiredGraphologyMetrics;

function requireGraphologyMetrics () {
	if (hasRequiredGraphologyMetrics) return graphologyMetrics;
	hasRequiredGraphologyMetrics = 1;
	graphologyMetrics.centrality = requireCentrality();
	graphologyMetrics.edge = requireEdge();
	graphologyMetrics.graph = requireGraph();
	graphologyMetrics.layoutQuality = requireLayoutQuality();
	graphologyMetrics.node = requireNode();
	return graphologyMetrics;
}

var graphologyMetricsExports = requireGraphologyMetrics();

/** Graph figures for the report, from graphology-metrics. */
function graphFigures(g) {
    const degree = g.order > 1 ? graphologyMetricsExports.centrality.degree(g) : {};
    let programs = 0;
    let files = 0;
    g.forEachNode((_k, a) => {
        if (a.kind === 'program')
            programs++;
        else if (a.kind === 'file')
            files++;
    });
    const ranked = Object.entries(degree)
        .filter(([k]) => g.getNodeAttribute(k, 'kind') === 'program')
        .map(([k, d]) => {
        const a = g.getNodeAttributes(k);
        return { exe: a.exe, argv: a.argv, degree: Math.round(d * (g.order - 1)), id: programKey(a) };
    })
        // Ties are broken by the program, not the node key: keys follow the log's order.
        .sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, 5)
        .map(({ exe, argv, degree: d }) => ({ exe, argv, degree: d }));
    return {
        nodes: g.order,
        edges: g.size,
        programs,
        files,
        density: g.order > 1 ? Number(graphologyMetricsExports.graph.density(g).toFixed(6)) : 0,
        mostConnected: ranked,
    };
}

/**
 * The graph as a document (`ioana graph --format json|yaml`): inputs, outputs with
 * their provenance, programs, endpoints, temporaries and figures. Sorted, so that the
 * same build gives the same document.
 */
/** `/w/src/a.c` with workspace `/w` → `{workspace}/src/a.c`; other paths unchanged. */
function workspacePath(path, workspace) {
    if (!workspace || workspace === '/' || !isUnder(path, workspace))
        return path;
    return TOKEN.workspace + path.slice(workspace.length);
}
/**
 * `-I/w/include` → `-I{workspace}/include`: the workspace wherever it starts a path in
 * an argument, as canonicalization's `roots` rule finds it (`rootPattern`).
 */
function workspaceArg(arg, workspace) {
    if (!workspace || workspace === '/' || !arg.includes(workspace))
        return arg;
    return arg.replace(rootPattern(workspace), TOKEN.workspace);
}
/** Every program that set up I/O the trace cannot see, once per executable and kind. */
function untracedList(g, ws) {
    const seen = new Set();
    g.forEachNode((_k, a) => {
        if (a.kind !== 'program' || !a.untraced)
            return;
        for (const what of a.untraced)
            seen.add(JSON.stringify([workspacePath(a.exe, ws), what]));
    });
    return [...seen].sort().map((s) => {
        const [exe, what] = JSON.parse(s);
        return { exe, what };
    });
}
/** Endpoints by address, sorted, each with the furthest result of the attempts at it. */
function endpointList(g, keys, show) {
    const results = new Map();
    for (const key of keys) {
        const address = show(key);
        const result = g.getNodeAttributes(key).result;
        if (!results.has(address) || result === 'connected')
            results.set(address, result ?? results.get(address));
    }
    return [...results.keys()].sort().map((address) => {
        const result = results.get(address);
        return result === undefined ? { address } : { address, result };
    });
}
function graphDocument(g, opts = {}, sets = horizonSets(g, opts)) {
    const ws = opts.workspace;
    const prov = new Provenance(g, opts);
    // Names are redacted too: a file named after a token is as secret as the token.
    const clean = (text) => (opts.redactor ? opts.redactor.text(text) : text);
    const show = (key) => clean(workspacePath(nodePath(g, key), ws));
    const sorted = (xs) => [...new Set(xs)].sort();
    const redactArgv = (p, then) => opts.redactor ? opts.redactor.argv(p.exe, p.argv, (a) => then(opts.redactor.text(a))) : p.argv.map(then);
    return {
        inputs: sorted(sets.inputs.map(show)).map((path) => ({ path })),
        outputs: sets.outputs
            .map((key) => ({ path: show(key), from: sorted([...prov.ofObject(key)].map(show)) }))
            .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
        programs: sets.programs
            .map((p) => ({ exe: clean(workspacePath(p.exe, ws)), argv: redactArgv(p, (a) => workspaceArg(a, ws)), count: p.count }))
            .sort((a, b) => (a.exe < b.exe ? -1 : a.exe > b.exe ? 1 : JSON.stringify(a.argv) < JSON.stringify(b.argv) ? -1 : 1)),
        endpoints: endpointList(g, sets.endpoints, show),
        temporaries: sorted(sets.temporaries.map(show)).map((path) => ({ path })),
        modified: sorted(sets.modified.map(show)).map((path) => ({ path })),
        untraced: untracedList(g, ws).map((u) => ({ ...u, exe: clean(u.exe) })),
        figures: ((f) => opts.redactor
            ? { ...f, mostConnected: f.mostConnected.map((p) => ({ ...p, exe: clean(p.exe), argv: redactArgv(p, (a) => a) })) }
            : f)(graphFigures(g)),
    };
}

/**
 * Drawings of the graph: Mermaid (for GitHub Markdown) and DOT (Graphviz). Bounded:
 * a drawing shows the outputs, the programs that wrote them and what those programs
 * read from the workspace or through pipes; past `maxNodes` it stops and says what it
 * left out.
 */
/** The part of the graph around the outputs, bounded. */
function drawingOf(g, sets, opts = {}) {
    const max = opts.maxNodes ?? 60;
    const ws = opts.workspace;
    const nodes = new Set();
    const wanted = new Set();
    const interesting = (key) => {
        const a = g.getNodeAttributes(key);
        if (a.kind === 'program')
            return true;
        if (a.kind === 'endpoint')
            return true;
        // A pipe nobody wrote into carried nothing (make's jobserver, as seen by a reader).
        if (a.kind === 'pipe' || a.kind === 'socketpair')
            return g.someInEdge(key, (_e, e) => e.kind === 'write');
        if (a.kind !== 'file')
            return false;
        return ws !== undefined ? isUnder(a.path, ws) || !a.existedBefore : !a.existedBefore;
    };
    // Breadth-first from the outputs, backwards along writes, reads and pipes.
    const queue = [...sets.outputs];
    for (const k of queue)
        wanted.add(k);
    for (let i = 0; i < queue.length; i++) {
        const key = queue[i];
        g.forEachInEdge(key, (_e, a, src) => {
            if (a.kind === 'spawn' || a.kind === 'rename' || a.kind === 'delete')
                return;
            if (!interesting(src) || wanted.has(src))
                return;
            wanted.add(src);
            queue.push(src);
        });
    }
    for (const k of queue) {
        if (nodes.size >= max)
            break;
        nodes.add(k);
    }
    const edges = [];
    for (const k of nodes) {
        g.forEachOutEdge(k, (_e, a, _s, target) => {
            if (!nodes.has(target) || a.kind === 'spawn')
                return;
            edges.push([k, target, a.kind]);
        });
    }
    // One arrow per pair: a write and a delete of the same file are one line in a drawing.
    const unique = new Map(edges.map((e) => [`${e[0]}\u0000${e[1]}`, e]));
    return { nodes: [...nodes], edges: [...unique.values()], omitted: wanted.size - nodes.size };
}
/**
 * A short label: the program's name and the arguments that name files (`-o` and its
 * value, operands that are not options or absolute system paths), at most 60
 * characters: `cc -Iinclude -c app/wc.c -o build/wc.o` → `cc app/wc.c -o build/wc.o`.
 */
function label(a, workspace, redactor) {
    const clean = (text) => (redactor ? redactor.text(text) : text);
    if (a.kind === 'program') {
        const argv = redactor ? redactor.argv(a.exe, a.argv, (x) => x) : a.argv;
        const args = argv.slice(1).map((x) => clean(workspaceArg(x, workspace)));
        const shown = [];
        for (let i = 0; i < args.length; i++) {
            if (args[i] === '-o' && i + 1 < args.length)
                shown.push('-o', args[++i]);
            else if (!args[i].startsWith('-') && (!args[i].startsWith('/') || args[i].startsWith(TOKEN.workspace)))
                shown.push(args[i]);
        }
        const text = [clean(basename(a.exe)) + (a.origin === 'fork' ? ' (fork)' : ''), ...shown].join(' ');
        return text.length > 60 ? text.slice(0, 59) + '…' : text;
    }
    const p = clean(workspacePath(a.path, workspace)) + (a.detached === 'replaced' ? ' (replaced)' : '');
    return p.length > 60 ? '…' + p.slice(-59) : p;
}
function toMermaid(g, sets, opts = {}) {
    const d = drawingOf(g, sets, opts);
    const id = new Map(d.nodes.map((k, i) => [k, `n${i}`]));
    const lines = ['flowchart LR'];
    for (const k of d.nodes) {
        const a = g.getNodeAttributes(k);
        const t = mermaid(label(a, opts.workspace, opts.redactor));
        const n = id.get(k);
        if (a.kind === 'program')
            lines.push(`  ${n}["${t}"]`);
        else if (a.kind === 'pipe' || a.kind === 'socketpair')
            lines.push(`  ${n}{{"${a.kind}"}}`);
        else if (a.kind === 'endpoint')
            lines.push(`  ${n}(("${t}"))`);
        else
            lines.push(`  ${n}[/"${t}"/]`);
    }
    for (const [from, to, kind] of d.edges) {
        lines.push(kind === 'exec' ? `  ${id.get(from)} -. exec .-> ${id.get(to)}` : `  ${id.get(from)} --> ${id.get(to)}`);
    }
    if (d.omitted > 0)
        lines.push(`  more["… ${d.omitted} more nodes left out"]`);
    return lines.join('\n') + '\n';
}
const dotText = (s) => s.replace(/[\\"]/g, (c) => '\\' + c).replace(/[\r\n]/g, ' ');
function toDot(g, sets, opts = {}) {
    const d = drawingOf(g, sets, opts);
    const id = new Map(d.nodes.map((k, i) => [k, `n${i}`]));
    const lines = ['digraph ioana {', '  rankdir=LR;', '  node [fontname="monospace", fontsize=10];'];
    for (const k of d.nodes) {
        const a = g.getNodeAttributes(k);
        const shape = a.kind === 'program' ? 'box' : a.kind === 'pipe' || a.kind === 'socketpair' ? 'hexagon' : a.kind === 'endpoint' ? 'ellipse' : 'note';
        lines.push(`  ${id.get(k)} [shape=${shape}, label="${dotText(label(a, opts.workspace, opts.redactor))}"];`);
    }
    for (const [from, to, kind] of d.edges)
        lines.push(`  ${id.get(from)} -> ${id.get(to)}${kind === 'exec' ? ' [style=dashed]' : ''};`);
    if (d.omitted > 0)
        lines.push(`  more [shape=plaintext, label="… ${d.omitted} more nodes left out"];`);
    lines.push('}');
    return lines.join('\n') + '\n';
}

/**
 * The grammar of strace's log, as named constants. Every marker the parser looks for
 * is here, with the strace output that shows it.
 */
/** `1234  open("a", O_RDONLY <unfinished ...>` — the call continues on a later line. */
const UNFINISHED_SUFFIX = ' <unfinished ...>';
/** `execve("../sleep", ["../sleep", "0"], NULL <detached ...>` — strace let go of the tracee mid-call. */
const DETACHED_SUFFIX = ' <detached ...>';
/**
 * `2028  execve("/bin/true", ["/bin/true"], 0x7ff… <pid changed to 2026 ...>` — a thread
 * called execve; the kernel gives the new image the thread group leader's pid.
 */
const PID_CHANGED_RE = / <pid changed to (\d+) \.\.\.>$/;
/** `1234  <... open resumed> ) = 3` (old strace puts a space before the rest). */
const RESUMED_PREFIX = '<... ';
const RESUMED_MARK = ' resumed>';
/**
 * `<... read resumed> <unfinished ...>) = ?` — a resumed call cut off again because its
 * process died before the kernel returned from it.
 */
const CUT_OFF_TAIL = '<unfinished ...>)';
/** `[pid  1234] …` — the prefix strace uses when writing to a terminal or with -o and -f. */
const PID_BRACKET_PREFIX = '[pid';
/** `+++ exited with 0 +++` */
const EXITED_RE = /^\+\+\+ exited with (-?\d+) \+\+\+$/;
/** `+++ killed by SIGSEGV (core dumped) +++` */
const KILLED_RE = /^\+\+\+ killed by (SIG[A-Z0-9]+|[0-9]+)( \(core dumped\))? \+\+\+$/;
/** `+++ superseded by execve in pid 2028 +++` — the leader is replaced by the thread that exec'd. */
const SUPERSEDED_RE = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/;
/** `--- SIGCHLD {si_signo=SIGCHLD, …} ---` */
const SIGNAL_RE = /^--- (SIG[A-Z0-9]+|SIGRT_?\d+|\d+) (.*) ---$/;
/** `--- stopped by SIGSTOP ---` */
const STOPPED_RE = /^--- stopped by (SIG[A-Z0-9]+) ---$/;
/** strace's own messages: `strace: Process 27369 attached`. */
const STRACE_MESSAGE_PREFIX = 'strace: ';
/** ` | 00000  61 62 63 …  abc… |` — hex dump of a buffer (`-e read=`, `-e write=`, `-X`). */
const DUMP_RE = /^\| [0-9a-f]{5,} {2}.* \|$/;
/** `<0.000123>` — the `-T` duration that ends a line. */
const DURATION_RE = /^<(\d+\.\d+)>$/;
/** An errno name after `= -1 `: `ENOENT`, `ERESTARTSYS`. */
const ERRNO_RE = /^E[A-Z0-9_]+$/;
/** `(INJECTED)` — strace's fault injection (`-e inject=`) produced this result. */
const INJECTED_MARK = '(INJECTED)';
/** `? <unavailable>` — the result could not be fetched (the process vanished). */
const UNAVAILABLE_MARK = '<unavailable>';

/**
 * Character-level scanning of a system call's argument list. One pass, no regular
 * expressions: this is the parser's hot path, run on every line of the log.
 *
 * What makes it more than `split(',')`: strings (`"a, b"`), nesting (`[{…}, {…}]`),
 * and `-y` decorations, which hold paths strace does not quote
 * (`3</tmp/a)b>`, `1</dev/null<char 1:3>>`, `8<TCP:[127.0.0.1:1->127.0.0.1:2]>`).
 */
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LT = 0x3c;
const GT = 0x3e;
const COMMA = 0x2c;
const SLASH = 0x2f;
/** `"a\"b"…` at `i` (the opening quote) → index of the closing quote, or -1. */
function skipString(text, i) {
    for (let j = i + 1; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === BACKSLASH)
            j++;
        else if (c === QUOTE)
            return j;
    }
    return -1;
}
/** A `<` that follows a descriptor number or `AT_FDCWD` opens a decoration: `3<`, `AT_FDCWD<`. */
function opensDecoration(text, i) {
    if (i === 0)
        return false;
    const p = text.charCodeAt(i - 1);
    return (p >= 0x30 && p <= 0x39) || (p >= 0x41 && p <= 0x5a) || (p >= 0x61 && p <= 0x7a);
}
/**
 * `<…>` at `i` → index of its closing `>`, or -1.
 * A path decoration (`</a/b>`) ends at the first `>` that closes it: strace escapes `<`
 * and `>` inside paths (`\74`, `\76`) but nothing else, so `)` or `[` in a path is text.
 * Any other decoration (`<pipe:[1]>`, `<TCP:[a->b]>`, `<TCPv6:[[::1]:80->[::1]:9]>`)
 * has brackets, and a `>` inside them (`->`) does not close it.
 */
function skipDecoration(text, i) {
    const n = text.length;
    if (text.charCodeAt(i + 1) === SLASH) {
        let depth = 0;
        for (let j = i; j < n; j++) {
            const c = text.charCodeAt(j);
            if (c === BACKSLASH)
                j++;
            else if (c === LT)
                depth++;
            else if (c === GT && --depth === 0)
                return j;
        }
        return -1;
    }
    let depth = 0;
    let brackets = 0;
    for (let j = i; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === BACKSLASH)
            j++;
        else if (c === QUOTE) {
            j = skipString(text, j);
            if (j < 0)
                return -1;
        }
        else if (c === LBRACKET)
            brackets++;
        else if (c === RBRACKET)
            brackets--;
        else if (brackets === 0) {
            if (c === LT)
                depth++;
            else if (c === GT && --depth === 0)
                return j;
        }
    }
    return -1;
}
/**
 * `3</a>, "x, y", [1, 2]) = 0` from `start` → `{ args: ['3</a>', '"x, y"', '[1, 2]'], end }`.
 * With `openEnd`, a list that runs to the end of the text without `)` is accepted
 * (the head of an `<unfinished ...>` call). Returns undefined when the text is not an
 * argument list: an unterminated string or decoration, or no closing `)`.
 */
function scanArgs(text, start, openEnd) {
    const args = [];
    const n = text.length;
    let depth = 0;
    let argStart = start;
    for (let i = start; i < n; i++) {
        const c = text.charCodeAt(i);
        switch (c) {
            case QUOTE:
                i = skipString(text, i);
                if (i < 0)
                    return undefined;
                break;
            case BACKSLASH:
                i++;
                break;
            case LPAREN:
            case LBRACKET:
            case LBRACE:
                depth++;
                break;
            case RBRACKET:
            case RBRACE:
                depth--;
                break;
            case RPAREN:
                if (depth === 0) {
                    pushArg(args, text, argStart, i, true);
                    return { args, end: i + 1, depth: 0 };
                }
                depth--;
                break;
            case COMMA:
                if (depth === 0) {
                    pushArg(args, text, argStart, i, false);
                    argStart = i + 1;
                }
                break;
            case LT:
                if (opensDecoration(text, i)) {
                    i = skipDecoration(text, i);
                    if (i < 0)
                        return undefined;
                }
                break;
        }
    }
    if (!openEnd)
        return undefined;
    pushArg(args, text, argStart, n, true);
    return { args, end: n, depth };
}
/**
 * Adds `text[from, to)` trimmed. An empty last slot is not an argument: `f()` has none,
 * and the head of `wait4(-1,  <unfinished ...>` has one.
 */
function pushArg(args, text, from, to, last) {
    // Trim by moving the ends, so that each argument costs one slice, not two.
    while (from < to && text.charCodeAt(from) === 0x20)
        from++;
    while (to > from && text.charCodeAt(to - 1) === 0x20)
        to--;
    if (from === to && last)
        return;
    args.push(text.slice(from, to));
}

const NUMBER_RE = /^(?:-?\d+|0x[0-9a-f]+)$/;
const isDigit$1 = (c) => c >= 0x30 && c <= 0x39;
const isErrnoChar = (c) => (c >= 0x41 && c <= 0x5a) || isDigit$1(c) || c === 0x5f;
/**
 * `  = -1 ENOENT (No such file or directory) <0.000012>` from `pos` → the result.
 * Returns a string (the reason) when the text after `)` is not a strace result.
 */
function parseResult(text, pos) {
    return fastResult(text, pos) ?? slowResult(text, pos);
}
/**
 * The shapes that make up nearly every line, without slicing or regular expressions:
 * `= 0`, `= 3</a/b>`, `= -1 ENOENT (No such file or directory)`. Anything else
 * (durations, hex, `?`, details) → undefined, and the general parser takes it.
 */
function fastResult(text, pos) {
    const n = text.length;
    let i = pos;
    while (text.charCodeAt(i) === 0x20)
        i++;
    if (text.charCodeAt(i) !== 0x3d /* = */ || text.charCodeAt(i + 1) !== 0x20)
        return undefined;
    const start = i + 2;
    let j = start;
    const negative = text.charCodeAt(j) === 0x2d;
    if (negative)
        j++;
    if (!isDigit$1(text.charCodeAt(j)))
        return undefined;
    let value = 0;
    while (isDigit$1(text.charCodeAt(j)))
        value = value * 10 + (text.charCodeAt(j++) - 0x30);
    if (value > 0x1fffffffffffff)
        return undefined;
    if (negative)
        value = -value;
    if (j === n)
        return { result: { kind: 'ok', value, text: text.slice(start, j), injected: false } };
    const c = text.charCodeAt(j);
    if (c === 0x3c /* < */) {
        const close = skipDecoration(text, j);
        if (close !== n - 1)
            return undefined;
        return { result: { kind: 'ok', value, text: text.slice(start), injected: false } };
    }
    if (c !== 0x20 || !negative)
        return undefined;
    // `-1 ENOENT (message)`
    let k = j + 1;
    if (text.charCodeAt(k) !== 0x45 /* E */)
        return undefined;
    while (isErrnoChar(text.charCodeAt(k)))
        k++;
    const errno = text.slice(j + 1, k);
    if (k === n)
        return { result: { kind: 'error', errno, message: '', injected: false } };
    if (text.charCodeAt(k) !== 0x20 || text.charCodeAt(k + 1) !== 0x28 || text.charCodeAt(n - 1) !== 0x29)
        return undefined;
    const message = text.slice(k + 2, n - 1);
    // `(…) (INJECTED)` and `(…) <0.1>` have more than one parenthesis: leave them to the general path.
    if (message.indexOf(')') >= 0)
        return undefined;
    return { result: { kind: 'error', errno, message, injected: false } };
}
/**
 * The result of a call that failed the plain way, read from the end of its line:
 * `…) = -1 ENOENT (No such file or directory)` → the error; anything else → undefined.
 * Safe whatever the arguments hold: the result is what follows the last ` = -1 E`,
 * and it must be the whole rest of the line, `ERRNO (message)` with no other parenthesis
 * (a decorated success ends in `>` or `>(deleted)`, never like that).
 */
function failureAtEnd(text) {
    const n = text.length;
    if (text.charCodeAt(n - 1) !== 0x29 /* ) */)
        return undefined;
    // strace pads short lines to put the result in a column: `)           = -1 E…`.
    const at = text.lastIndexOf(' = -1 E');
    if (at < 0)
        return undefined;
    let p = at;
    while (p > 0 && text.charCodeAt(p - 1) === 0x20)
        p--;
    if (text.charCodeAt(p - 1) !== 0x29 /* ) */)
        return undefined;
    const from = at + 6;
    let k = from;
    while (isErrnoChar(text.charCodeAt(k)))
        k++;
    if (text.charCodeAt(k) !== 0x20 || text.charCodeAt(k + 1) !== 0x28 /* ( */)
        return undefined;
    for (let j = k + 2; j < n - 1; j++) {
        const c = text.charCodeAt(j);
        if (c === 0x28 || c === 0x29)
            return undefined;
    }
    return { kind: 'error', errno: text.slice(from, k), message: text.slice(k + 2, n - 1), injected: false };
}
function slowResult(text, pos) {
    let i = pos;
    while (text.charCodeAt(i) === 0x20)
        i++;
    if (text.charCodeAt(i) !== 0x3d /* = */)
        return 'no "=" after the argument list';
    let rest = text.slice(i + 1).trim();
    let duration;
    const lt = rest.lastIndexOf(' <');
    if (lt >= 0 && rest.endsWith('>')) {
        const tail = rest.slice(lt + 1);
        const m = DURATION_RE.exec(tail);
        if (m) {
            duration = Number(m[1]);
            rest = rest.slice(0, lt).trimEnd();
        }
        else if (tail !== UNAVAILABLE_MARK) {
            return `bad duration "${tail}"`;
        }
    }
    let injected = false;
    if (rest.endsWith(INJECTED_MARK)) {
        injected = true;
        rest = rest.slice(0, -INJECTED_MARK.length).trimEnd();
    }
    if (rest.startsWith('?')) {
        const after = rest.slice(1).trim();
        if (after === '')
            return { result: { kind: 'unknown' }, duration };
        if (after === UNAVAILABLE_MARK)
            return { result: { kind: 'unknown', note: 'unavailable' }, duration };
        const err = parseErrno(after, injected);
        return err ? { result: err, duration } : `bad result "${rest}"`;
    }
    // The value runs to the first space, except inside a decoration (`3</a b>`).
    let end = 0;
    while (end < rest.length && rest.charCodeAt(end) !== 0x20) {
        if (rest.charCodeAt(end) === 0x3c && opensDecoration(rest, end)) {
            end = skipDecoration(rest, end);
            if (end < 0)
                return `unterminated decoration in result "${rest}"`;
        }
        end++;
    }
    const token = rest.slice(0, end);
    const after = rest.slice(end).trim();
    const lt2 = token.indexOf('<');
    const numText = lt2 < 0 ? token : token.slice(0, lt2);
    if (!NUMBER_RE.test(numText))
        return `bad return value "${token}"`;
    const value = Number(numText);
    if (after === '')
        return { result: { kind: 'ok', value, text: token, injected }, duration };
    if (value < 0) {
        const err = parseErrno(after, injected);
        if (err)
            return { result: err, duration };
    }
    if (after.startsWith('(') && after.endsWith(')')) {
        return { result: { kind: 'ok', value, text: token, detail: after.slice(1, -1), injected }, duration };
    }
    return `unexpected text after the return value: "${after}"`;
}
/**
 * `ENOENT (No such file or directory)` → error; `(errno 18446744073709551359)` (strace
 * could not name it) → error `EUNKNOWN`; anything else → undefined.
 */
function parseErrno(text, injected) {
    const sp = text.indexOf(' ');
    const name = sp < 0 ? text : text.slice(0, sp);
    const message = sp < 0 ? '' : text.slice(sp + 1).trim();
    if (ERRNO_RE.test(name)) {
        if (message !== '' && !(message.startsWith('(') && message.endsWith(')')))
            return undefined;
        return { kind: 'error', errno: name, message: message.slice(1, -1), injected };
    }
    if (text.startsWith('(errno ') && text.endsWith(')')) {
        return { kind: 'error', errno: 'EUNKNOWN', message: text.slice(1, -1), injected };
    }
    return undefined;
}

const SPACE = 0x20;
const MAX_UNPARSED_TEXT = 200;
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isNameChar = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f;
function unparsed(line, text, reason) {
    return { kind: 'unparsed', line, text: text.length > MAX_UNPARSED_TEXT ? text.slice(0, MAX_UNPARSED_TEXT) + '…' : text, reason };
}
/** No arguments: the `args` of a call whose arguments were not split. */
const NO_ARGS = Object.freeze([]);
/**
 * `12  11:29:49.1 open("a", O_RDONLY) = 3</a> <0.000030>` → a `syscall` event;
 * `Hello` → an `unparsed` record with the reason. Never throws.
 *
 * `countedFailures`: calls whose failures the consumer only counts; when such a call
 * failed, its arguments are not split (`argsSkipped`). A header search is mostly
 * failed `openat`s: a third of a C build's log.
 */
function parseLine(text, line, countedFailures) {
    const n = text.length;
    let i = 0;
    while (i < n && text.charCodeAt(i) === SPACE)
        i++;
    if (i === n)
        return unparsed(line, text, 'empty line');
    if (text.startsWith(STRACE_MESSAGE_PREFIX, i)) {
        return { kind: 'message', line, text: text.slice(i + STRACE_MESSAGE_PREFIX.length) };
    }
    if (text.charCodeAt(i) === 0x7c /* | */) {
        return DUMP_RE.test(text.slice(i).trimEnd()) ? { kind: 'dump', line } : unparsed(line, text, 'not a hex dump line');
    }
    // The pid: `[pid  1234] ` or `1234 ` (a number followed by a space; `11:29:49` and
    // `1700000000.5` are timestamps of a log without pids).
    let pid = 0;
    if (text.startsWith(PID_BRACKET_PREFIX, i)) {
        let j = i + PID_BRACKET_PREFIX.length;
        while (text.charCodeAt(j) === SPACE)
            j++;
        const from = j;
        while (isDigit(text.charCodeAt(j)))
            j++;
        if (j === from || text.charCodeAt(j) !== 0x5d /* ] */)
            return unparsed(line, text, 'bad [pid N] prefix');
        pid = Number(text.slice(from, j));
        i = j + 1;
        while (text.charCodeAt(i) === SPACE)
            i++;
    }
    else if (isDigit(text.charCodeAt(i))) {
        let j = i;
        while (isDigit(text.charCodeAt(j)))
            j++;
        const c = text.charCodeAt(j);
        if (c === SPACE) {
            for (let k = i; k < j; k++)
                pid = pid * 10 + (text.charCodeAt(k) - 0x30);
            i = j;
            while (text.charCodeAt(i) === SPACE)
                i++;
        }
        else if (c !== 0x3a /* : */ && c !== 0x2e /* . */) {
            return unparsed(line, text, 'bad pid');
        }
    }
    // The timestamp (-t, -tt, -ttt, -r): digits with ':' or '.', then a space.
    let time;
    if (isDigit(text.charCodeAt(i))) {
        let j = i;
        let c = text.charCodeAt(j);
        while (isDigit(c) || c === 0x3a || c === 0x2e)
            c = text.charCodeAt(++j);
        const token = text.slice(i, j);
        if (c !== SPACE || (token.indexOf(':') < 0 && token.indexOf('.') < 0)) {
            return unparsed(line, text, 'expected a system call after the pid');
        }
        time = token;
        i = j;
        while (text.charCodeAt(i) === SPACE)
            i++;
    }
    // -i: `[00007f3a8e2c1234] ` instruction pointer.
    if (text.charCodeAt(i) === 0x5b /* [ */) {
        const close = text.indexOf('] ', i);
        if (close > 0 && /^\[[0-9a-f?]+$/.test(text.slice(i, close))) {
            i = close + 2;
            while (text.charCodeAt(i) === SPACE)
                i++;
        }
    }
    const c = text.charCodeAt(i);
    if (isNameChar(c) && !isDigit(c))
        return parseCall(text, i, line, pid, time, countedFailures);
    const body = text.slice(i).trimEnd();
    if (c === 0x3c /* < */)
        return parseResumed(body, line, pid, time) ?? unparsed(line, text, 'bad "<... resumed>" line');
    if (c === 0x2b /* + */)
        return parseExit(body, line, pid, time) ?? unparsed(line, text, 'bad "+++" line');
    if (c === 0x2d /* - */)
        return parseSignal(body, line, pid, time) ?? unparsed(line, text, 'bad "---" line');
    return unparsed(line, text, 'not a strace line');
}
function parseCall(text, i, line, pid, time, countedFailures) {
    let j = i;
    while (isNameChar(text.charCodeAt(j)))
        j++;
    if (text.charCodeAt(j) !== 0x28 /* ( */)
        return unparsed(line, text, 'expected "(" after the system call name');
    const name = text.slice(i, j);
    const argsStart = j + 1;
    let end = text.length;
    while (end > argsStart && text.charCodeAt(end - 1) === SPACE)
        end--;
    if (text.endsWith(UNFINISHED_SUFFIX, end)) {
        return { kind: 'unfinished', line, pid, time, name, head: text.slice(argsStart, end - UNFINISHED_SUFFIX.length) };
    }
    // Both `<detached ...>` and `<pid changed to N ...>` end in "...>"; a decorated result does not.
    if (text.endsWith(' ...>', end)) {
        if (text.endsWith(DETACHED_SUFFIX, end)) {
            const scanned = scanArgs(text.slice(argsStart, end - DETACHED_SUFFIX.length), 0, true);
            if (!scanned)
                return unparsed(line, text, 'bad argument list');
            return { kind: 'syscall', line, pid, time, name, args: scanned.args, result: { kind: 'missing', why: 'detached' } };
        }
        const changed = PID_CHANGED_RE.exec(text.slice(argsStart, end));
        if (changed) {
            return {
                kind: 'unfinished',
                line,
                pid,
                time,
                name,
                head: text.slice(argsStart, end - changed[0].length),
                pidChangedTo: Number(changed[1]),
            };
        }
    }
    if (countedFailures?.has(name) && end === text.length) {
        const failure = failureAtEnd(text);
        if (failure)
            return { kind: 'syscall', line, pid, time, name, args: NO_ARGS, result: failure, argsSkipped: true };
    }
    const scanned = scanArgs(text, argsStart, false);
    if (!scanned)
        return unparsed(line, text, 'unterminated argument list');
    const parsed = parseResult(text, scanned.end);
    if (typeof parsed === 'string')
        return unparsed(line, text, parsed);
    return { kind: 'syscall', line, pid, time, name, args: scanned.args, result: parsed.result, duration: parsed.duration };
}
/** `<... open resumed>, O_RDONLY) = 3` → `{ name: 'open', tail: ', O_RDONLY) = 3' }`. */
function parseResumed(body, line, pid, time) {
    if (!body.startsWith(RESUMED_PREFIX))
        return undefined;
    const mark = body.indexOf(RESUMED_MARK, RESUMED_PREFIX.length);
    if (mark < 0)
        return undefined;
    for (let k = RESUMED_PREFIX.length; k < mark; k++)
        if (!isNameChar(body.charCodeAt(k)))
            return undefined;
    if (mark === RESUMED_PREFIX.length)
        return undefined;
    const name = body.slice(RESUMED_PREFIX.length, mark);
    return { kind: 'resumed', line, pid, time, name, tail: body.slice(mark + RESUMED_MARK.length) };
}
function parseExit(body, line, pid, time) {
    let m = EXITED_RE.exec(body);
    if (m)
        return { kind: 'exit', line, pid, time, status: Number(m[1]) };
    m = KILLED_RE.exec(body);
    if (m)
        return { kind: 'killed', line, pid, time, signal: m[1], coreDumped: m[2] !== undefined };
    m = SUPERSEDED_RE.exec(body);
    if (m)
        return { kind: 'superseded', line, pid, time, by: Number(m[1]) };
    return undefined;
}
function parseSignal(body, line, pid, time) {
    let m = SIGNAL_RE.exec(body);
    if (m)
        return { kind: 'signal', line, pid, time, signal: m[1], info: m[2] };
    m = STOPPED_RE.exec(body);
    if (m)
        return { kind: 'signal', line, pid, time, signal: m[1], info: 'stopped' };
    return undefined;
}
/** The tail of a resumed call that died again: ` <unfinished ...>) = ?`. */
function isCutOffTail(tail) {
    let i = 0;
    while (tail.charCodeAt(i) === SPACE)
        i++;
    return tail.charCodeAt(i) === 0x3c /* < */ && tail.startsWith(CUT_OFF_TAIL, i);
}

function emptyStats() {
    return {
        lines: 0,
        blank: 0,
        unparsed: 0,
        syscalls: 0,
        pids: 0,
        signals: 0,
        messages: 0,
        dumps: 0,
        resumed: 0,
        orphanResumed: 0,
        incomplete: 0,
    };
}
/**
 * Feed it lines with `line()`, then call `end()`; every event goes to the sink in log
 * order, except that a split call is emitted when its `<... resumed>` line arrives
 * (that is when its result exists), carrying the line number where it started.
 */
class StraceParser {
    sink;
    stats = emptyStats();
    pending = new Map();
    /** Pids that will see the `<... execve resumed>` of a thread's execve (`<pid changed to N ...>`). */
    replaced = new Set();
    pids = new Set();
    /** The pid of the previous line: runs of lines from one process are the common case. */
    lastPid = -1;
    countedFailures;
    constructor(sink, options = {}) {
        this.sink = sink;
        this.countedFailures = options.countedFailures;
    }
    line(text) {
        const lineNo = ++this.stats.lines;
        if (text.length === 0 || (text.charCodeAt(0) === 0x20 && text.trim() === '')) {
            this.stats.blank++;
            return;
        }
        const rec = parseLine(text, lineNo, this.countedFailures);
        switch (rec.kind) {
            case 'syscall':
                this.see(rec.pid);
                this.syscall(rec);
                return;
            case 'unfinished': {
                this.see(rec.pid);
                const previous = this.pending.get(rec.pid);
                // A thread cannot be in two calls at once: a second start means the log lost
                // the first one's end (strace's doubled markers). Keep what we know of it.
                if (previous)
                    this.flush(previous, 'cut-off');
                if (rec.pidChangedTo !== undefined) {
                    // The thread's execve replaced the whole process; its result arrives as
                    // `<... execve resumed>` under the leader's pid, after `+++ superseded`.
                    this.replaced.add(rec.pidChangedTo);
                    this.flush(rec, 'replaced');
                    return;
                }
                this.pending.set(rec.pid, rec);
                return;
            }
            case 'resumed':
                this.see(rec.pid);
                this.resume(rec.pid, rec.name, rec.tail, rec.line, text);
                return;
            case 'killed':
            case 'superseded': {
                this.see(rec.pid);
                const open = this.pending.get(rec.pid);
                if (open)
                    this.flush(open, 'cut-off');
                this.sink(rec);
                return;
            }
            case 'exit':
                this.see(rec.pid);
                this.sink(rec);
                return;
            case 'signal':
                this.see(rec.pid);
                this.stats.signals++;
                this.sink(rec);
                return;
            case 'message':
                this.stats.messages++;
                this.sink(rec);
                return;
            case 'dump':
                this.stats.dumps++;
                this.sink(rec);
                return;
            case 'unparsed':
                this.stats.unparsed++;
                this.sink(rec);
                return;
            default: {
                const never = rec;
                throw new Error(`parse/StraceParser: unhandled record ${JSON.stringify(never)}`);
            }
        }
    }
    /** The log ended: calls still waiting for their result are emitted without one. */
    end() {
        const open = [...this.pending.values()].sort((a, b) => a.line - b.line);
        for (const rec of open)
            this.flush(rec, 'eof');
        this.stats.pids = this.pids.size;
    }
    see(pid) {
        if (pid === this.lastPid)
            return;
        this.lastPid = pid;
        this.pids.add(pid);
    }
    syscall(event) {
        this.stats.syscalls++;
        this.sink(event);
    }
    resume(pid, name, tail, lineNo, text) {
        const start = this.pending.get(pid);
        if (name === 'execve' && this.replaced.has(pid) && start?.name !== 'execve') {
            // The leader's half of a thread's execve: already emitted at `<pid changed to …>`.
            this.replaced.delete(pid);
            this.stats.resumed++;
            return;
        }
        if (start)
            this.pending.delete(pid);
        if (start && start.name !== name)
            this.flush(start, 'cut-off');
        const matched = start?.name === name ? start : undefined;
        if (!matched)
            this.stats.orphanResumed++;
        // A resumed call cut off again by its process's death has no result.
        if (isCutOffTail(tail)) {
            if (matched)
                this.stats.resumed++;
            const args = matched ? (scanArgs(matched.head, 0, true)?.args ?? []) : [];
            this.syscall(callEvent(matched, pid, name, lineNo, args, { kind: 'missing', why: 'cut-off' }, undefined));
            return;
        }
        if (matched && this.countedFailures?.has(name)) {
            const failure = failureAtEnd(tail);
            if (failure) {
                this.stats.resumed++;
                this.syscall({
                    kind: 'syscall',
                    line: matched.line,
                    pid,
                    time: matched.time,
                    name,
                    args: NO_ARGS,
                    result: failure,
                    resumedAt: lineNo,
                    argsSkipped: true,
                });
                return;
            }
        }
        // The usual split is at the end of the arguments (`"a", O_RDONLY` + `) = 3`): the
        // start's arguments are all there, and the two halves need not be joined.
        if (matched && closesArgs(tail)) {
            const head = scanArgs(matched.head, 0, true);
            const parsed = head && head.depth === 0 ? parseResult(tail, tail.indexOf(')') + 1) : undefined;
            if (head && parsed !== undefined && typeof parsed !== 'string') {
                this.stats.resumed++;
                this.syscall(callEvent(matched, pid, name, lineNo, head.args, parsed.result, parsed.duration));
                return;
            }
        }
        // Otherwise the start's argument text and the tail are one call: `"a", ` + `3) = 0`.
        const joined = matched ? matched.head + tail : tail;
        const scanned = scanArgs(joined, 0, false);
        const parsed = scanned ? parseResult(joined, scanned.end) : 'unterminated argument list';
        if (!scanned || typeof parsed === 'string') {
            // The start stands as a call without result; the bad second half is reported.
            if (matched)
                this.flush(matched, 'cut-off');
            this.stats.unparsed++;
            this.sink(unparsed(lineNo, text, `resumed call: ${parsed}`));
            return;
        }
        if (matched)
            this.stats.resumed++;
        this.syscall(callEvent(matched, pid, name, lineNo, scanned.args, parsed.result, parsed.duration));
    }
    /** A call that never got its result: the start's arguments, and why. */
    flush(rec, why) {
        if (this.pending.get(rec.pid) === rec)
            this.pending.delete(rec.pid);
        if (why !== 'replaced')
            this.stats.incomplete++;
        this.syscall({
            kind: 'syscall',
            line: rec.line,
            pid: rec.pid,
            time: rec.time,
            name: rec.name,
            args: scanArgs(rec.head, 0, true)?.args ?? [],
            result: { kind: 'missing', why },
            pidChangedTo: rec.pidChangedTo,
        });
    }
}
/** A resumed line's tail that starts by closing the argument list: `) = 3`, ` ) = 0`. */
function closesArgs(tail) {
    let i = 0;
    while (tail.charCodeAt(i) === 0x20)
        i++;
    return tail.charCodeAt(i) === 0x29; /* ) */
}
/**
 * The event for a call that ended at line `resumedAt`: with its start's line and time
 * when the start was seen, or as an orphan (a `<... resumed>` with no start).
 */
function callEvent(start, pid, name, resumedAt, args, result, duration) {
    return start
        ? { kind: 'syscall', line: start.line, pid, time: start.time, name, args, result, duration, resumedAt }
        : { kind: 'syscall', line: resumedAt, pid, name, args, result, duration, orphan: true };
}

const SIMPLE_ESCAPES = {
    n: 0x0a,
    t: 0x09,
    r: 0x0d,
    v: 0x0b,
    f: 0x0c,
    a: 0x07,
    b: 0x08,
    e: 0x1b,
    '\\': 0x5c,
    '"': 0x22,
    "'": 0x27,
    '?': 0x3f,
};
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** An escape, or a character that is a raw byte (a log read as latin1) or beyond. */
const NEEDS_DECODING = /[\\\u0080-\uffff]/;
/**
 * The bytes of a C-escaped text, as UTF-8: `caf\303\251` → `café`, `a\x2fb` → `a/b`,
 * `nl\nx` → "nl⏎x". Characters below 256 are bytes (a log is read as latin1), so raw
 * UTF-8 in a log decodes too. Bytes that are not UTF-8 keep their escaped form, so
 * that distinct names stay distinct.
 */
function unescapeC(body) {
    if (!NEEDS_DECODING.test(body))
        return body;
    const bytes = [];
    for (let i = 0; i < body.length; i++) {
        const ch = body.charCodeAt(i);
        if (ch !== 0x5c) {
            if (ch < 0x100)
                bytes.push(ch);
            else
                for (const b of new TextEncoder().encode(body[i]))
                    bytes.push(b);
            continue;
        }
        const next = body[i + 1];
        if (next === undefined) {
            bytes.push(0x5c);
            break;
        }
        if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
            bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
            i += 3;
        }
        else if (next >= '0' && next <= '7') {
            let j = i + 1;
            while (j < i + 4 && body[j] >= '0' && body[j] <= '7')
                j++;
            bytes.push(parseInt(body.slice(i + 1, j), 8) & 0xff);
            i = j - 1;
        }
        else if (next in SIMPLE_ESCAPES) {
            bytes.push(SIMPLE_ESCAPES[next]);
            i++;
        }
        else {
            bytes.push(0x5c);
        }
    }
    try {
        return utf8.decode(new Uint8Array(bytes));
    }
    catch {
        return body;
    }
}
/**
 * `"a\"b"` → `{ value: 'a"b', truncated: false }`; `"abc"...` → truncated;
 * anything that is not a quoted string (`NULL`, `0x7ffd…`) → undefined.
 */
function decodeCString(raw) {
    if (raw.charCodeAt(0) !== 0x22)
        return undefined;
    const close = skipString(raw, 0);
    if (close < 0)
        return undefined;
    const rest = raw.slice(close + 1);
    if (rest !== '' && rest !== '...')
        return undefined;
    return { value: unescapeC(raw.slice(1, close)), truncated: rest === '...' };
}
/**
 * `[3</a>, 4<pipe:[1]>]` → `['3</a>', '4<pipe:[1]>']`; `[]` → `[]`; not an array → undefined.
 * Used for `pipe2`/`socketpair` results and execve's argv.
 */
function splitArray(raw) {
    if (raw.charCodeAt(0) !== 0x5b || raw.charCodeAt(raw.length - 1) !== 0x5d)
        return undefined;
    const items = [];
    let depth = 0;
    let from = 1;
    const end = raw.length - 1;
    for (let i = 1; i < end; i++) {
        const c = raw.charCodeAt(i);
        if (c === 0x22) {
            i = skipString(raw, i);
            if (i < 0)
                return undefined;
        }
        else if (c === 0x3c && opensDecoration(raw, i)) {
            i = skipDecoration(raw, i);
            if (i < 0)
                return undefined;
        }
        else if (c === 0x5b || c === 0x7b || c === 0x28)
            depth++;
        else if (c === 0x5d || c === 0x7d || c === 0x29)
            depth--;
        else if (c === 0x2c && depth === 0) {
            items.push(raw.slice(from, i).trim());
            from = i + 1;
        }
    }
    const last = raw.slice(from, end).trim();
    if (last !== '' || items.length > 0)
        items.push(last);
    return items;
}
/** execve's `["cc", "-c", "a.c"]` → the strings; `[...]`/`[/* 3 vars *\/]` → `{argv: [], truncated: true}`. */
function decodeArgv(raw) {
    const items = splitArray(raw);
    if (!items)
        return undefined;
    const argv = [];
    let truncated = false;
    for (const item of items) {
        const s = decodeCString(item);
        if (s) {
            argv.push(s.value);
            truncated ||= s.truncated;
        }
        else {
            truncated = true;
        }
    }
    return { argv, truncated };
}
const DEVICE_RE = /^(.*)<((?:char|block) \d+:\d+)>$/;
const SOCKET_RE = /^([A-Za-z0-9-]+):\[(.*)\]$/;
const DELETED_SUFFIX = '(deleted)';
/**
 * `3</a/b>` → `{ fd: 3, target: { kind: 'path', path: '/a/b' } }`; `AT_FDCWD</w>` →
 * `{ fd: 'AT_FDCWD', … }`; `3` → `{ fd: 3 }`; not a descriptor → undefined.
 */
function decodeFd(raw) {
    const lt = raw.indexOf('<');
    const head = lt < 0 ? raw : raw.slice(0, lt);
    let fd;
    if (head === 'AT_FDCWD')
        fd = 'AT_FDCWD';
    else if (/^-?\d+$/.test(head))
        fd = Number(head);
    else
        return undefined;
    if (lt < 0)
        return { fd };
    const close = skipDecoration(raw, lt);
    if (close < 0)
        return { fd };
    const after = raw.slice(close + 1).trim();
    return { fd, target: decodeTarget(raw.slice(lt + 1, close), after === DELETED_SUFFIX) };
}
/** The inside of a decoration: `/a/b`, `pipe:[12]`, `TCP:[1.2.3.4:5->6.7.8.9:10]`. */
function decodeTarget(inner, deletedAfter = false) {
    if (inner.startsWith('/')) {
        let path = inner;
        let device;
        const dev = path.endsWith('>') ? DEVICE_RE.exec(path) : null;
        if (dev) {
            path = dev[1];
            device = dev[2];
        }
        // Older strace puts the mark inside: `</tmp/x (deleted)>`.
        let deleted = deletedAfter;
        if (path.endsWith(' ' + DELETED_SUFFIX)) {
            deleted = true;
            path = path.slice(0, -DELETED_SUFFIX.length - 1);
        }
        return { kind: 'path', path: unescapeC(path), deleted, device };
    }
    const m = SOCKET_RE.exec(inner);
    if (!m)
        return { kind: 'other', text: inner };
    const [, protocol, body] = m;
    if (protocol === 'pipe')
        return /^\d+$/.test(body) ? { kind: 'pipe', inode: Number(body) } : { kind: 'other', text: inner };
    if (protocol === 'anon_inode' || (protocol === 'socket' && !/^\d+$/.test(body)))
        return { kind: 'other', text: inner };
    return decodeSocket(protocol, body);
}
/**
 * `TCP` + `127.0.0.1:1->127.0.0.1:2` → local and remote; `UNIX-STREAM` + `4409->4410`
 * → inode and peer; `UNIX-STREAM` + `28312,"/run/x"` → inode and path; `TCP` + `4411` → inode.
 */
function decodeSocket(protocol, body) {
    let rest = body;
    let path;
    const comma = rest.indexOf(',"');
    if (comma >= 0) {
        path = decodeCString(rest.slice(comma + 1))?.value;
        rest = rest.slice(0, comma);
    }
    const arrow = rest.indexOf('->');
    const first = arrow < 0 ? rest : rest.slice(0, arrow);
    const second = arrow < 0 ? undefined : rest.slice(arrow + 2);
    const numeric = (s) => /^\d+$/.test(s);
    if (numeric(first)) {
        return {
            kind: 'socket',
            protocol,
            inode: Number(first),
            peerInode: second !== undefined && numeric(second) ? Number(second) : undefined,
            path,
        };
    }
    return { kind: 'socket', protocol, local: first, remote: second, path };
}
/** `O_WRONLY|O_CREAT|O_TRUNC` → `['O_WRONLY', 'O_CREAT', 'O_TRUNC']`. */
function splitFlags(raw) {
    return raw.split('|').map((s) => s.trim());
}
const INET_RE = /sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]*)"\)/;
const INET6_RE = /sin6_port=htons\((\d+)\).*inet_pton\(AF_INET6, "([^"]*)"/;
const UNIX_RE = /sun_path=(@?)("(?:[^"\\]|\\.)*")/;
/**
 * `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}` →
 * `{ family: 'inet', address: '127.0.0.1', port: 80 }`; AF_INET6 → address `[::1]`;
 * `{sa_family=AF_UNIX, sun_path="/run/x"}` → unix (`@"…"` is the abstract namespace).
 */
function decodeSockaddr(raw) {
    let m = INET_RE.exec(raw);
    if (m)
        return { family: 'inet', address: m[2], port: Number(m[1]) };
    m = INET6_RE.exec(raw);
    if (m)
        return { family: 'inet', address: `[${m[2]}]`, port: Number(m[1]) };
    m = UNIX_RE.exec(raw);
    if (m)
        return { family: 'unix', path: decodeCString(m[2])?.value ?? m[2], abstract: m[1] === '@' };
    return { family: 'other', text: raw };
}

/**
 * The arguments of a call as the model reads them, decoded lazily: a descriptor's
 * decoration, a path and its directory, an open's requested path, a pipe's two ends, the
 * destinations a send names. Only decode.ts builds them.
 */
/** A descriptor argument; its decoration is decoded when first read. `3</a/b>` → fd 3. */
class RawFd {
    raw;
    fd;
    decoded;
    constructor(raw) {
        this.raw = raw;
        this.fd = parseInt(raw, 10);
    }
    get target() {
        this.decoded ??= { target: decodeFd(this.raw)?.target };
        return this.decoded.target;
    }
}
/**
 * A path argument and its directory argument; both are decoded when first read (a
 * successful open's decoration usually names the file, and neither is needed).
 */
class RawPath {
    rawDir;
    raw;
    decodedPath;
    decodedDir;
    constructor(rawDir, raw) {
        this.rawDir = rawDir;
        this.raw = raw;
    }
    get path() {
        this.decodedPath ??= decodeCString(this.raw)?.value ?? '';
        return this.decodedPath;
    }
    get dir() {
        this.decodedDir ??= { dir: dirRef(this.rawDir) };
        return this.decodedDir.dir;
    }
}
/**
 * A successful open; its requested path is made when first read (strace's decoration
 * usually names the file, and then it is not needed): one object per open on the hot path.
 */
class OpenOp {
    fd;
    target;
    mode;
    rawDir;
    rawPath;
    kind = 'open';
    requested;
    constructor(fd, target, mode, rawDir, rawPath) {
        this.fd = fd;
        this.target = target;
        this.mode = mode;
        this.rawDir = rawDir;
        this.rawPath = rawPath;
    }
    get path() {
        this.requested ??= new RawPath(this.rawDir, this.rawPath);
        return this.requested;
    }
}
/**
 * `AT_FDCWD</w>` → `{ kind: 'cwd', path: '/w' }`, `3</w/sub>` → `{ kind: 'fd', fd: 3, … }`,
 * absent → undefined (the working directory). The usual `AT_FDCWD</plain/path>` is
 * sliced, not decoded.
 */
function dirRef(raw) {
    if (raw === undefined)
        return undefined;
    if (raw.startsWith('AT_FDCWD')) {
        const last = raw.length - 1;
        if (raw.charCodeAt(8) === 0x3c &&
            raw.charCodeAt(last) === 0x3e &&
            raw.indexOf('\\') < 0 &&
            raw.indexOf('<', 9) < 0 &&
            raw.indexOf('>') === last) {
            return { kind: 'cwd', path: raw.slice(9, last) };
        }
        const target = decodeFd(raw)?.target;
        return { kind: 'cwd', path: target?.kind === 'path' ? target.path : undefined };
    }
    const fd = new RawFd(raw);
    return {
        kind: 'fd',
        fd: fd.fd,
        get target() {
            return fd.target;
        },
    };
}
/** `[3<pipe:[1]>, 4<pipe:[1]>]` → the two ends; anything else → undefined. */
function ends(raw) {
    const items = splitArray(raw ?? '');
    if (!items || items.length !== 2)
        return undefined;
    return [new RawFd(items[0]), new RawFd(items[1])];
}
/**
 * The destinations a send names: sendto's address argument
 * (`{sa_family=AF_INET, sin_port=htons(53), …}`, or `NULL` on a connected socket), and
 * each message's `msg_name={…}` in sendmsg's and sendmmsg's structures. Only addresses
 * ioana models (inet, unix); netlink and the like are the machine talking to itself.
 */
function destinations(raw) {
    if (raw === undefined || !raw.includes('sa_family='))
        return [];
    const texts = raw.startsWith('{sa_family=') ? [raw] : raw.split('msg_name=').slice(1);
    const out = [];
    for (const text of texts) {
        if (!text.startsWith('{sa_family='))
            continue;
        // Up to the structure's end, so that nothing after it (the message's data) is read as
        // its address; a unix path is a quoted string that may hold `}`, read from its quote.
        const end = text.startsWith('{sa_family=AF_UNIX') ? undefined : text.indexOf('}') + 1 || undefined;
        const addr = decodeSockaddr(text.slice(0, end));
        if (addr.family !== 'other')
            out.push(addr);
    }
    return out;
}

/** Reading strace's flag notation for the calls the model interprets. */
/** A build uses a handful of distinct flag sets; each is decoded once. */
const MODES = new Map();
/** `O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC` → `{ write: true, create: true, truncate: true, cloexec: true, … }`. */
function openMode(flags) {
    let mode = MODES.get(flags);
    if (!mode) {
        mode = decodeOpenMode(flags);
        if (MODES.size < 1000)
            MODES.set(flags, mode);
    }
    return mode;
}
function decodeOpenMode(flags) {
    const set = new Set(splitFlags(flags));
    const rdwr = set.has('O_RDWR');
    const wr = set.has('O_WRONLY');
    return {
        read: rdwr || !wr,
        write: rdwr || wr,
        create: set.has('O_CREAT'),
        truncate: set.has('O_TRUNC'),
        exclusive: set.has('O_EXCL'),
        cloexec: set.has('O_CLOEXEC'),
        directory: set.has('O_DIRECTORY'),
        path: set.has('O_PATH'),
        tmpfile: set.has('O_TMPFILE'),
    };
}
/** creat(path, mode) is open(path, O_CREAT|O_WRONLY|O_TRUNC). */
const CREAT_MODE = openMode('O_CREAT|O_WRONLY|O_TRUNC');
/** `{flags=O_RDONLY|O_CLOEXEC, resolve=0}` (openat2's struct) → `O_RDONLY|O_CLOEXEC`. */
function structFlags(raw) {
    return /flags=([A-Z0-9_|]+)/.exec(raw)?.[1] ?? 'O_RDONLY';
}
/**
 * clone's `flags=CLONE_VM|CLONE_FS|…` or clone3's `{flags=…, …}` → what the child shares.
 * fork/vfork share nothing the model tracks.
 */
function cloneMode(name, args) {
    if (name !== 'clone' && name !== 'clone3')
        return { thread: false, files: false, fs: false, untraced: false };
    const text = args.join(',');
    const flags = /flags=([A-Z0-9_|]+)/.exec(text)?.[1] ?? '';
    const set = new Set(splitFlags(flags));
    return { thread: set.has('CLONE_THREAD'), files: set.has('CLONE_FILES'), fs: set.has('CLONE_FS'), untraced: set.has('CLONE_UNTRACED') };
}

/**
 * The one table of the system calls ioana traces (DESIGN §1.1): for each, which of
 * strace's sets names it, what it decodes to, which argument is which, and what a
 * failure means. strace's `-e trace=` sets (src/trace/command.ts), the calls whose
 * failures the parser need not split (`COUNTED_FAILURES`) and the decoder's dispatch
 * are all read from here, so that they cannot drift apart.
 */
const dataflow = (decodes, args, onFailure = 'ignore') => ({
    set: 'dataflow',
    decodes,
    args,
    onFailure,
});
const SYSCALLS = {
    // processes
    execve: dataflow('exec', { path: 0, argv: 1 }, 'decode'),
    execveat: dataflow('exec', { dir: 0, path: 1, argv: 2 }, 'decode'),
    clone: dataflow('spawn', { flags: 0 }),
    clone3: dataflow('spawn', { flags: 0 }),
    fork: dataflow('spawn', {}),
    vfork: dataflow('spawn', {}),
    exit_group: dataflow('exit', { status: 0 }, 'decode'),
    // files
    open: dataflow('open', { path: 0, flags: 1 }, 'probe'),
    openat: dataflow('open', { dir: 0, path: 1, flags: 2 }, 'probe'),
    openat2: dataflow('open', { dir: 0, path: 1, how: 2 }, 'probe'),
    creat: dataflow('open', { path: 0 }, 'probe'),
    rename: dataflow('rename', { from: 0, to: 1 }, 'probe'),
    renameat: dataflow('rename', { fromDir: 0, from: 1, toDir: 2, to: 3 }, 'probe'),
    renameat2: dataflow('rename', { fromDir: 0, from: 1, toDir: 2, to: 3, flags: 4 }, 'probe'),
    link: dataflow('link', { from: 0, to: 1 }, 'probe'),
    linkat: dataflow('link', { fromDir: 0, from: 1, toDir: 2, to: 3 }, 'probe'),
    symlink: dataflow('symlink', { target: 0, path: 1 }, 'probe'),
    symlinkat: dataflow('symlink', { target: 0, dir: 1, path: 2 }, 'probe'),
    unlink: dataflow('unlink', { path: 0 }, 'probe'),
    unlinkat: dataflow('unlink', { dir: 0, path: 1, flags: 2 }, 'probe'),
    mkdir: dataflow('mkdir', { path: 0 }, 'probe'),
    mkdirat: dataflow('mkdir', { dir: 0, path: 1 }, 'probe'),
    rmdir: dataflow('rmdir', { path: 0 }, 'probe'),
    truncate: dataflow('truncate', { path: 0 }, 'probe'),
    chdir: dataflow('chdir', { path: 0 }),
    fchdir: dataflow('fchdir', { fd: 0 }),
    // descriptors
    dup: dataflow('dup', { fd: 0 }),
    dup2: dataflow('dup', { fd: 0 }),
    dup3: dataflow('dup', { fd: 0, flags: 2 }),
    fcntl: dataflow('fcntl', { fd: 0, cmd: 1, arg: 2 }),
    close: dataflow('close', { fd: 0 }),
    close_range: dataflow('close-range', { first: 0, last: 1, flags: 2 }),
    pipe: dataflow('pipe', { fds: 0 }),
    pipe2: dataflow('pipe', { fds: 0, flags: 1 }),
    // sockets
    socketpair: dataflow('socketpair', { domain: 0, type: 1, fds: 3 }),
    socket: dataflow('socket', { domain: 0, type: 1 }),
    connect: dataflow('connect', { fd: 0, addr: 1 }, 'decode'),
    bind: dataflow('bind', { fd: 0, addr: 1 }, 'decode'),
    accept: dataflow('accept', { fd: 0 }),
    accept4: dataflow('accept', { fd: 0, flags: 3 }),
    // datagrams sent without a connect name their destination in each call
    sendto: dataflow('send', { fd: 0, addr: 4 }, 'decode'),
    sendmsg: dataflow('send', { fd: 0, addr: 1 }, 'decode'),
    sendmmsg: dataflow('send', { fd: 0, addr: 1 }, 'decode'),
    // blind spots we must notice: I/O submitted through io_uring bypasses the calls above,
    // and a file opened by handle has no name (clone's CLONE_UNTRACED is read from clone)
    io_uring_setup: dataflow('untraced', {}, 'decode'),
    open_by_handle_at: dataflow('untraced', {}),
    // what the build looked for (--probes)
    ...Object.fromEntries(['stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat'].map((n) => [
        n,
        { set: 'probes', decodes: 'other', args: {}, onFailure: 'ignore' },
    ])),
    // data (--detailed): byte counts
    ...Object.fromEntries(['read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'sendfile', 'splice', 'copy_file_range', 'recvfrom', 'recvmsg'].map((n) => [
        n,
        { set: 'detailed', decodes: 'other', args: {}, onFailure: 'ignore' },
    ])),
};
const namesIn = (set) => Object.keys(SYSCALLS).filter((n) => SYSCALLS[n].set === set);
/**
 * The system calls that carry dataflow. Not `%file`: its stat/access/readlink probes
 * were more than half of all stops on a real `make -j2` build, and every stop costs
 * (strace serializes all tracees through one tracer). Not `read`/`write`: the
 * descriptor's open mode already says which way data can flow.
 */
const DATAFLOW_SYSCALLS = namesIn('dataflow');
/** The failed-lookup probes, added by the probe mode: what the build looked for and did not find. */
const PROBE_SYSCALLS = namesIn('probes');
/** `read`/`write` and friends, added by the detailed mode for byte counts. */
const DETAIL_SYSCALLS = namesIn('detailed');
/**
 * Calls whose failure the model only counts (as a probe) or passes over: the parser
 * need not split their arguments when they fail (`ParserOptions.countedFailures`).
 */
const COUNTED_FAILURES = new Set(Object.keys(SYSCALLS).filter((n) => SYSCALLS[n].onFailure !== 'decode'));

/**
 * The decoding step (DESIGN §1.3): a parsed event → one operation with typed fields.
 * This is the only place that reads strace's argument notation (C strings, `AT_FDCWD`,
 * `3</a/b>` decorations, flag sets, socket addresses); the model applies what comes out.
 * Decoding stays as lazy as the model's needs: a successful open's requested path and a
 * descriptor argument's decoration are decoded only when the model asks for them.
 */
const OTHER = { kind: 'other' };
const PROBE = { kind: 'probe' };
/** `close(N)` for the descriptors a build uses most: one shared, immutable operation each. */
const CLOSES = Array.from({ length: 256 }, (_, fd) => ({ kind: 'close', fd }));
const close = (fd) => (fd >= 0 && fd < CLOSES.length ? CLOSES[fd] : { kind: 'close', fd });
const value = (e) => (e.result.kind === 'ok' ? e.result.value : -1);
const ok = (e) => e.result.kind === 'ok';
const has = (raw, flag) => raw !== undefined && flag.test(raw);
/** The argument at `i` (undefined when the call has no such role). */
const at = (e, i) => (i === undefined ? undefined : e.args[i]);
/** A path argument and its directory argument, by position. */
const pathAt = (e, dir, path) => new RawPath(dir === undefined ? undefined : (e.args[dir] ?? ''), at(e, path) ?? '');
const BUILDERS = {
    exec: (a) => (e) => {
        const done = (e.result.kind === 'ok' && e.result.value === 0) || e.pidChangedTo !== undefined;
        if (!done)
            return { kind: 'exec-failed' };
        // Decoded from a copy: the image keeps its arguments, not the log chunk they were read in.
        const argv = decodeArgv(own(at(e, a.argv) ?? ''));
        return {
            kind: 'exec',
            path: pathAt(e, a.dir, a.path),
            argv: argv?.argv ?? [],
            argvTruncated: argv?.truncated ?? true,
            pidChangedTo: e.pidChangedTo,
        };
    },
    spawn: () => (e) => {
        const child = value(e);
        return child > 0 ? { kind: 'spawn', child, ...cloneMode(e.name, e.args) } : OTHER;
    },
    exit: (a) => (e) => ({ kind: 'exit', status: parseInt(at(e, a.status) ?? '', 10) }),
    untraced: (_a, name) => {
        const what = name === 'io_uring_setup' ? 'io_uring' : name;
        return () => ({ kind: 'untraced', what });
    },
    open: (a, name) => {
        const creat = name === 'creat';
        return (e) => {
            if (e.result.kind !== 'ok')
                return OTHER;
            const mode = creat
                ? CREAT_MODE
                : a.how !== undefined
                    ? openMode(structFlags(at(e, a.how) ?? ''))
                    : openMode(at(e, a.flags) ?? 'O_RDONLY');
            const args = e.args;
            return new OpenOp(e.result.value, decodeFd(e.result.text)?.target, mode, a.dir === undefined ? undefined : (args[a.dir] ?? ''), at(e, a.path) ?? '');
        };
    },
    close: (a) => (e) => (ok(e) || e.result.kind === 'missing' ? close(parseInt(at(e, a.fd) ?? '', 10)) : OTHER),
    'close-range': (a) => (e) => {
        if (!ok(e))
            return OTHER;
        const last = at(e, a.last) ?? '';
        return {
            kind: 'close-range',
            first: parseInt(at(e, a.first) ?? '', 10),
            last: /^\d+$/.test(last) ? parseInt(last, 10) : Infinity,
            cloexecOnly: has(at(e, a.flags), /CLOSE_RANGE_CLOEXEC/),
        };
    },
    dup: (a, name) => (e) => ok(e)
        ? { kind: 'dup', from: new RawFd(at(e, a.fd) ?? ''), fd: value(e), cloexec: name === 'dup3' && has(at(e, a.flags), /O_CLOEXEC/) }
        : OTHER,
    fcntl: (a) => (e) => {
        if (!ok(e))
            return OTHER;
        const cmd = at(e, a.cmd) ?? '';
        if (cmd === 'F_DUPFD' || cmd === 'F_DUPFD_CLOEXEC')
            return { kind: 'dup', from: new RawFd(at(e, a.fd) ?? ''), fd: value(e), cloexec: cmd === 'F_DUPFD_CLOEXEC' };
        if (cmd === 'F_SETFD')
            return { kind: 'set-cloexec', fd: new RawFd(at(e, a.fd) ?? ''), cloexec: has(at(e, a.arg), /FD_CLOEXEC|^1$/) };
        return OTHER;
    },
    pipe: (a) => (e) => {
        const pair = ok(e) ? ends(at(e, a.fds)) : undefined;
        return pair ? { kind: 'pipe', channel: 'pipe', ends: pair, cloexec: has(at(e, a.flags), /O_CLOEXEC/) } : OTHER;
    },
    socketpair: (a) => (e) => {
        const pair = ok(e) ? ends(at(e, a.fds)) : undefined;
        return pair ? { kind: 'pipe', channel: 'socketpair', ends: pair, cloexec: has(at(e, a.type), /SOCK_CLOEXEC/) } : OTHER;
    },
    socket: (a) => (e) => {
        if (!ok(e))
            return OTHER;
        const type = at(e, a.type);
        const proto = has(at(e, a.domain), /AF_UNIX|AF_LOCAL/) ? 'unix' : has(type, /SOCK_DGRAM/) ? 'udp' : 'tcp';
        return { kind: 'socket', fd: value(e), proto, cloexec: has(type, /SOCK_CLOEXEC/) };
    },
    connect: (a) => (e) => {
        const r = e.result;
        const result = r.kind === 'ok' ? 'connected' : r.kind === 'error' ? (r.errno === 'EINPROGRESS' ? 'in-progress' : 'failed') : 'unknown';
        return {
            kind: 'connect',
            socket: new RawFd(at(e, a.fd) ?? ''),
            address: decodeSockaddr(at(e, a.addr) ?? ''),
            result,
            errno: r.kind === 'error' ? r.errno : undefined,
        };
    },
    send: (a) => (e) => {
        const addresses = destinations(at(e, a.addr));
        if (addresses.length === 0)
            return OTHER;
        const r = e.result;
        return {
            kind: 'send',
            socket: new RawFd(at(e, a.fd) ?? ''),
            addresses,
            result: r.kind === 'error' ? 'failed' : 'sent',
            errno: r.kind === 'error' ? r.errno : undefined,
        };
    },
    bind: (a) => (e) => ({ kind: 'bind', socket: new RawFd(at(e, a.fd) ?? ''), address: decodeSockaddr(at(e, a.addr) ?? ''), ok: ok(e) }),
    accept: (a) => (e) => ok(e) ? { kind: 'accept', listener: new RawFd(at(e, a.fd) ?? ''), fd: value(e), cloexec: has(at(e, a.flags), /SOCK_CLOEXEC/) } : OTHER,
    chdir: (a) => (e) => (ok(e) ? { kind: 'chdir', path: pathAt(e, a.dir, a.path) } : OTHER),
    fchdir: (a) => (e) => (ok(e) ? { kind: 'fchdir', dir: new RawFd(at(e, a.fd) ?? '') } : OTHER),
    rename: (a) => (e) => ok(e)
        ? {
            kind: 'rename',
            from: pathAt(e, a.fromDir, a.from),
            to: pathAt(e, a.toDir, a.to),
            exchange: has(at(e, a.flags), /RENAME_EXCHANGE/),
        }
        : OTHER,
    link: (a) => (e) => (ok(e) ? { kind: 'link', from: pathAt(e, a.fromDir, a.from), to: pathAt(e, a.toDir, a.to) } : OTHER),
    symlink: (a) => (e) => ok(e) ? { kind: 'symlink', target: decodeCString(at(e, a.target) ?? '')?.value ?? '', path: pathAt(e, a.dir, a.path) } : OTHER,
    unlink: (a) => (e) => ok(e) ? { kind: 'unlink', path: pathAt(e, a.dir, a.path), directory: has(at(e, a.flags), /AT_REMOVEDIR/) } : OTHER,
    rmdir: (a) => (e) => (ok(e) ? { kind: 'rmdir', path: pathAt(e, a.dir, a.path) } : OTHER),
    mkdir: (a) => (e) => (ok(e) ? { kind: 'mkdir', path: pathAt(e, a.dir, a.path) } : OTHER),
    truncate: (a) => (e) => (ok(e) ? { kind: 'truncate', path: pathAt(e, a.dir, a.path) } : OTHER),
    other: () => () => OTHER,
};
/** Every traced call's decoder, built from the table, with its failure policy in front. */
const DECODERS = new Map(Object.entries(SYSCALLS).map(([name, spec]) => {
    const body = BUILDERS[spec.decodes](spec.args, name);
    if (spec.onFailure === 'decode')
        return [name, body];
    const failed = spec.onFailure === 'probe' ? PROBE : OTHER;
    return [name, (e) => (e.result.kind === 'error' ? failed : body(e))];
}));
/** One system call → its operation, by the table. */
function decodeCall(e) {
    const decoder = DECODERS.get(e.name);
    return decoder ? decoder(e) : OTHER;
}
/** Whether an event belongs to a process (and so to the model). */
const isProcessEvent = (e) => e.kind !== 'message' && e.kind !== 'dump' && e.kind !== 'unparsed';
/** An event of a process → its operation (the event's `pid` says whose). */
function decode(e) {
    switch (e.kind) {
        case 'syscall':
            return decodeCall(e);
        case 'exit':
            return { kind: 'exit', status: e.status };
        case 'killed':
            return { kind: 'killed', signal: e.signal };
        case 'superseded':
        case 'signal':
            return OTHER;
        default: {
            const never = e;
            throw new Error(`decode/decode: unhandled event ${JSON.stringify(never)}`);
        }
    }
}

function fileOperation(ctx, o) {
    const record = (kind, path, source, object) => ctx.operation({
        kind,
        image: ctx.image,
        seq: ctx.seq,
        path: own(path),
        source: source === undefined ? undefined : own(source),
        object: object?.id,
    });
    switch (o.kind) {
        case 'rename': {
            const from = ctx.path(o.from);
            const to = ctx.path(o.to);
            if (o.exchange) {
                const x = ctx.objects.current(from);
                const y = ctx.objects.current(to);
                ctx.objects.move(from, `${from}\u0000swap`);
                ctx.objects.move(to, from);
                ctx.objects.move(`${from}\u0000swap`, to);
                record('rename', to, from, x);
                record('rename', from, to, y);
                return;
            }
            record('rename', to, from, ctx.objects.move(from, to));
            return;
        }
        case 'link': {
            const from = ctx.path(o.from);
            const to = ctx.path(o.to);
            record('link', to, from, ctx.objects.link(from, to));
            return;
        }
        case 'symlink': {
            const path = ctx.path(o.path);
            const v = ctx.objects.replace(path);
            ctx.write(v);
            record('symlink', path, o.target, v);
            return;
        }
        case 'unlink': {
            const path = ctx.path(o.path);
            if (o.directory)
                record('rmdir', path);
            else
                record('unlink', path, undefined, ctx.objects.remove(path));
            return;
        }
        case 'rmdir':
            record('rmdir', ctx.path(o.path));
            return;
        case 'mkdir': {
            const path = ctx.path(o.path);
            ctx.objects.madeDir(path);
            record('mkdir', path);
            return;
        }
        case 'truncate': {
            const path = ctx.path(o.path);
            const v = ctx.objects.current(path);
            ctx.write(v);
            record('truncate', path, undefined, v);
            return;
        }
        default: {
            const never = o;
            throw new Error(`model/fileOperation: unhandled ${JSON.stringify(never)}`);
        }
    }
}

/** Objects that are one-way channels between programs. */
const PIPE_KINDS = new Set(['pipe', 'socketpair']);
function copyTable(fds) {
    const copy = new Map();
    for (const [fd, entry] of fds)
        copy.set(fd, { file: entry.file, cloexec: entry.cloexec });
    return copy;
}
/** `tcp` + the address `{family: 'inet', address: '1.2.3.4', port: 80}` → `tcp://1.2.3.4:80`. */
function address(proto, s) {
    switch (s.family) {
        case 'inet':
            return `${proto}://${s.address}:${s.port}`;
        case 'unix':
            return `unix:${s.abstract ? '@' : ''}${s.path}`;
        case 'other':
            return `${proto}:${s.text}`;
        default: {
            const never = s;
            return String(never);
        }
    }
}

/** (image, object) as one number: below 2^53 (×4 for the mode) up to 2^24 images and 2^27 objects. */
function pairKey(image, object) {
    return image * 134_217_728 + object;
}
class Holdings {
    /**
     * Per image (by id), its accesses keyed by object and mode (`object * 4 + mode`): small
     * integer keys, in insertion order.
     */
    accesses = [];
    /**
     * Forked copies that went on to exec: between fork and exec a child only sets up
     * descriptors for the program it is about to run (`cmd < in > out`), so what it held
     * is not data it read or wrote. Forks that never exec (subshells) keep their accesses.
     */
    setupImages = new Set();
    /** (image, pipe) pairs (`pairKey`) where the image held both ends: a token, not data (make's jobserver). */
    selfPipes = new Set();
    /** `image` holds `file` from `now` on (a second hold of the same file changes nothing). */
    acquire(image, file, now) {
        if (image.held.has(file))
            return;
        image.held.set(file, now);
        if (PIPE_KINDS.has(file.object.kind)) {
            for (const other of image.held.keys()) {
                if (other !== file && other.object === file.object)
                    this.selfPipes.add(pairKey(image.record.id, file.object.id));
            }
        }
    }
    /** `image` let go of `file` at `now`, having held it since `since`. */
    release(image, file, since, now) {
        const o = file.object;
        if (o.kind === 'horizon' || o.kind === 'other')
            return;
        if (file.read)
            this.record(image.record.id, o.id, 'read', since, now);
        if (file.write)
            this.record(image.record.id, o.id, 'write', since, now);
    }
    /** An access of `object` by `image` between `since` and `until`, merged with earlier ones of the same mode. */
    record(image, object, mode, since, until) {
        const key = object * 4 + (mode === 'read' ? 0 : mode === 'write' ? 1 : mode === 'exec' ? 2 : 3);
        const ofImage = (this.accesses[image] ??= new Map());
        const a = ofImage.get(key);
        if (a) {
            a.since = Math.min(a.since, since);
            a.until = Math.max(a.until, until);
        }
        else {
            ofImage.set(key, { image, object, mode, since, until });
        }
    }
    /** A forked copy that went on to exec: what it held was setup, not data. */
    setup(image) {
        this.setupImages.add(image);
    }
    /** Every access that is data. */
    all() {
        const out = [];
        for (const ofImage of this.accesses) {
            if (!ofImage)
                continue;
            for (const a of ofImage.values()) {
                // An attempt at an endpoint is never setup: a subshell's `exec 3<>/dev/tcp/…` counts.
                if (a.mode === 'connect')
                    out.push(a);
                else if (a.mode !== 'exec' && this.selfPipes.has(pairKey(a.image, a.object)))
                    continue;
                else if (!this.setupImages.has(a.image))
                    out.push(a);
            }
        }
        return out;
    }
}

/** Character devices that carry no data worth a node: /dev/null, terminals. */
const QUIET_DEVICES = /^\/dev\/(null|zero|full|tty\d*|pts\/\d+|console|ptmx)$/;
class ObjectTable {
    all = [];
    /** path → the version of the file it holds now. */
    versions = new Map();
    byKey = new Map();
    /** How many paths name each version (hard links). */
    names = new Map();
    /** Directories the build made: nothing under them existed before it. */
    madeDirs = new Set();
    make(kind, path, existedBefore, address) {
        const o = { id: this.all.length, kind, path, names: [path], existedBefore, address };
        this.all.push(o);
        return o;
    }
    /** One object per key, for things that have no versions (pipes, endpoints, devices). */
    keyed(key, kind, path, address) {
        let o = this.byKey.get(key);
        if (!o) {
            const p = own(path);
            o = this.make(kind, p, kind !== 'pipe' && kind !== 'socketpair', address === undefined ? undefined : address === path ? p : own(address));
            this.byKey.set(own(key), o);
        }
        return o;
    }
    /** A descriptor inherited from outside the build. */
    horizon(label) {
        return this.make('horizon', own(label), true);
    }
    other(label) {
        return this.make('other', own(label), false);
    }
    /**
     * The version a path holds now; a file the build never saw existed before it, unless
     * it is in a directory the build made (`mkdir -p out && touch out/stamp`).
     */
    current(path) {
        const v = this.versions.get(path);
        if (v)
            return v;
        const p = own(path);
        return this.bind(p, this.make('file', p, !this.inMadeDir(p)));
    }
    /** mkdir: the build made this directory. */
    madeDir(path) {
        this.madeDirs.add(own(path));
    }
    inMadeDir(path) {
        if (this.madeDirs.size === 0)
            return false;
        for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1))
            if (this.madeDirs.has(path.slice(0, i)))
                return true;
        return false;
    }
    /** A new version replaces whatever the path held (O_TRUNC, O_EXCL, creat, symlink). */
    replace(path) {
        const p = own(path);
        return this.bind(p, this.make('file', p, false));
    }
    /** The object for a path opened with `target` as strace decorated it. */
    opened(path, target, directory) {
        if (target?.kind === 'path' && target.device !== undefined) {
            if (QUIET_DEVICES.test(path))
                return undefined;
            return this.keyed(`dev:${path}`, 'device', path);
        }
        if (directory)
            return this.keyed(`dir:${path}`, 'directory', path);
        return undefined;
    }
    /** unlink: the path no longer names its version (gone when no other name is left). */
    remove(path) {
        const v = this.versions.get(path);
        if (v)
            this.unbind(path, 'deleted');
        return v;
    }
    /** rename: what was at `from` (and below it, for a directory) is now at `to`. */
    move(from, to) {
        const moved = [];
        for (const [p, v] of this.versions)
            if (isUnder(p, from))
                moved.push([p, v]);
        if (moved.length === 0)
            moved.push([from, this.current(from)]);
        for (const [p] of moved)
            this.unbind(p, undefined);
        let exact = moved[0][1];
        for (const [p, v] of moved) {
            this.bind(own(to + p.slice(from.length)), v);
            if (p === from)
                exact = v;
        }
        return exact;
    }
    /** link: `to` names the same version as `from`. */
    link(from, to) {
        return this.bind(own(to), this.current(from));
    }
    /** `path` now names `v`; whatever it named before loses that name. */
    bind(path, v) {
        const old = this.versions.get(path);
        if (old === v)
            return v;
        if (old)
            this.unbind(path, 'replaced');
        this.versions.set(path, v);
        this.names.set(v, (this.names.get(v) ?? 0) + 1);
        v.detached = undefined;
        if (v.path !== path) {
            v.path = path;
            if (!v.names.includes(path))
                v.names.push(path);
        }
        return v;
    }
    /** `path` stops naming its version; a version left with no name is detached. */
    unbind(path, why) {
        const v = this.versions.get(path);
        if (!v)
            return;
        this.versions.delete(path);
        const left = (this.names.get(v) ?? 1) - 1;
        this.names.set(v, left);
        if (left === 0 && why)
            v.detached = why;
        else if (left > 0 && v.path === path) {
            for (const [p, w] of this.versions)
                if (w === v)
                    v.path = p;
        }
    }
}

/** What a failed connect's errno means for a reader. */
const FAILURES = {
    ECONNREFUSED: 'refused',
    ETIMEDOUT: 'timed out',
    ENETUNREACH: 'unreachable',
    EHOSTUNREACH: 'unreachable',
    EACCES: 'not permitted',
    EPERM: 'not permitted',
    ENOENT: 'no such socket',
    ECONNRESET: 'reset',
};
/** `connected`, `sent`, `in progress`, `refused (ECONNREFUSED)`. */
function attemptResult(op) {
    if (op.result === 'connected' || op.result === 'sent')
        return op.result;
    if (op.result === 'in-progress')
        return 'in progress';
    const errno = op.errno ?? 'failed';
    return FAILURES[errno] ? `${FAILURES[errno]} (${errno})` : errno;
}
/** Of two results of attempts at one endpoint, the one that got furthest. */
function better(a, b) {
    const rank = (r) => (r === 'connected' ? 3 : r === 'sent' ? 2 : r === 'in progress' ? 1 : r === undefined ? -1 : 0);
    return rank(b) > rank(a) ? b : a;
}
class Descriptors {
    objects;
    holdings;
    stats;
    now;
    constructor(objects, holdings, stats, 
    /** The model's time (its seq). */
    now) {
        this.objects = objects;
        this.holdings = holdings;
        this.stats = stats;
        this.now = now;
    }
    /** Puts `file` at `fd`, closing what was there. */
    install(proc, fd, file, cloexec) {
        const old = proc.fds.get(fd);
        proc.fds.set(fd, { file, cloexec });
        if (old && old.file !== file)
            this.unheldRelease(proc, old.file);
        this.holdings.acquire(proc.image, file, this.now());
    }
    close(proc, fd) {
        const old = proc.fds.get(fd);
        if (!old)
            return;
        proc.fds.delete(fd);
        this.unheldRelease(proc, old.file);
    }
    closeRange(proc, op) {
        for (const fd of [...proc.fds.keys()]) {
            if (fd < op.first || fd > op.last)
                continue;
            if (op.cloexecOnly)
                proc.fds.get(fd).cloexec = true;
            else
                this.close(proc, fd);
        }
    }
    /** Releases `file` from the image when no descriptor of the process refers to it any more. */
    unheldRelease(proc, file) {
        for (const entry of proc.fds.values())
            if (entry.file === file)
                return;
        const image = proc.image;
        const since = image.held.get(file);
        if (since === undefined)
            return;
        image.held.delete(file);
        this.holdings.release(image, file, since, this.now());
    }
    /** The entry at a descriptor; one never seen before was inherited from outside (the horizon). */
    entry(proc, arg) {
        if (Number.isNaN(arg.fd) || arg.fd < 0)
            return undefined;
        const known = proc.fds.get(arg.fd);
        if (known)
            return known;
        const target = arg.target;
        const label = target?.kind === 'path' ? target.path : (target?.kind ?? `fd ${arg.fd}`);
        this.stats.horizonDescriptors++;
        const entry = { file: { object: this.objects.horizon(label), read: false, write: false }, cloexec: false };
        proc.fds.set(arg.fd, entry);
        return entry;
    }
    /**
     * A successful open of `path` (strace's decoration when it has one, else the requested
     * path resolved by the caller): which object version it names, and which way data flows.
     */
    open(proc, op, path) {
        const { target, mode } = op;
        let object;
        if (target?.kind === 'path' && target.device !== undefined) {
            // /dev/null and terminals: the descriptor exists, but carries nothing.
            object = this.objects.opened(path, target, false) ?? this.objects.other(path);
        }
        else if (mode.directory)
            object = this.objects.opened(path, target, true);
        else if (target && target.kind !== 'path')
            object = this.objects.other(target.kind);
        else if (mode.tmpfile || (mode.write && mode.truncate) || (mode.create && mode.exclusive))
            object = this.objects.replace(path);
        else
            object = this.objects.current(path);
        this.install(proc, op.fd, { object, read: mode.read && !mode.path, write: mode.write && !mode.path }, mode.cloexec);
    }
    dup(proc, op) {
        const from = this.entry(proc, op.from);
        if (from)
            this.install(proc, op.fd, from.file, op.cloexec);
    }
    setCloexec(proc, op) {
        const entry = this.entry(proc, op.fd);
        if (entry)
            entry.cloexec = op.cloexec;
    }
    pipe(proc, op) {
        const t = op.ends[0].target;
        const inode = t?.kind === 'pipe' ? t.inode : t?.kind === 'socket' ? t.inode : undefined;
        const object = this.objects.keyed(`${op.channel}:${inode ?? `anon${this.now()}`}`, op.channel, `${op.channel}:[${inode ?? '?'}]`);
        const both = op.channel === 'socketpair';
        this.install(proc, op.ends[0].fd, { object, read: true, write: both }, op.cloexec);
        this.install(proc, op.ends[1].fd, { object, read: both, write: true }, op.cloexec);
    }
    socket(proc, op) {
        this.install(proc, op.fd, { object: this.objects.other('socket'), read: true, write: true, socket: { proto: op.proto } }, op.cloexec);
    }
    bind(proc, op) {
        const entry = this.entry(proc, op.socket);
        if (op.ok && entry?.file.socket)
            entry.file.socket.bound = address(entry.file.socket.proto, op.address);
    }
    accept(proc, op) {
        const bound = this.entry(proc, op.listener)?.file.socket?.bound ?? 'unknown';
        const object = this.objects.keyed(`ep:accept:${bound}`, 'endpoint', `accept:${bound}`, `accept:${bound}`);
        this.install(proc, op.fd, { object, read: true, write: true }, op.cloexec);
    }
    /**
     * A connection, or an attempt at one: every attempt names its endpoint, whether it
     * connected, is in progress, or failed (an exfiltration that a firewall refused is
     * still an attempt). Only a socket that connected carries data.
     */
    connect(proc, op) {
        const entry = this.entry(proc, op.socket);
        if (op.result === 'failed')
            this.stats.probes++;
        if (op.result === 'unknown')
            return;
        const addr = address(entry?.file.socket?.proto ?? 'tcp', op.address);
        const endpoint = this.objects.keyed(`ep:${addr}`, 'endpoint', addr, addr);
        endpoint.result = better(endpoint.result, attemptResult(op));
        this.holdings.record(proc.image.record.id, endpoint.id, 'connect', this.now(), this.now());
        if (op.result === 'failed' || !entry)
            return;
        // The socket now leads to the endpoint: the image holds that from here on.
        proc.image.held.delete(entry.file);
        entry.file.object = endpoint;
        this.holdings.acquire(proc.image, entry.file, this.now());
    }
    /** Datagrams sent to named destinations: each is an attempt at its endpoint; the socket stays unconnected. */
    send(proc, op) {
        const proto = this.entry(proc, op.socket)?.file.socket?.proto ?? 'udp';
        for (const a of op.addresses) {
            const addr = address(proto, a);
            const endpoint = this.objects.keyed(`ep:${addr}`, 'endpoint', addr, addr);
            endpoint.result = better(endpoint.result, attemptResult(op));
            this.holdings.record(proc.image.record.id, endpoint.id, 'connect', this.now(), this.now());
        }
    }
}

/** Steps held for pids whose parent's clone() has not returned yet. */
const MAX_BUFFERED = 200_000;
const ALONE = { thread: false, files: false, fs: false };
class Processes {
    objects;
    holdings;
    stats;
    now;
    onRootExit;
    all = [];
    images = [];
    tids = new Map();
    waiting = new Map();
    buffered = 0;
    constructor(objects, holdings, stats, 
    /** The model's time (its seq). */
    now, 
    /** The first process ended (see ModelOptions.onRootExit). */
    onRootExit) {
        this.objects = objects;
        this.holdings = holdings;
        this.stats = stats;
        this.now = now;
        this.onRootExit = onRootExit;
    }
    /** The process of a pid; a step of a pid not yet created by a clone() waits (undefined). */
    of(pid, op) {
        const known = this.tids.get(pid);
        if (known)
            return known;
        if (this.all.length === 0)
            return this.create(pid, undefined, ALONE);
        if (this.buffered < MAX_BUFFERED) {
            const list = this.waiting.get(pid) ?? [];
            list.push({ pid, op });
            this.waiting.set(pid, list);
            this.buffered++;
            return undefined;
        }
        this.stats.orphanProcesses++;
        return this.create(pid, undefined, ALONE);
    }
    /** `parent` created `child` (a thread, or a process sharing what `sharing` says); the steps that waited for it. */
    spawned(parent, child, sharing) {
        if (sharing.thread) {
            parent.threads.add(child);
            this.tids.set(child, parent);
        }
        else {
            this.create(child, parent, sharing);
        }
        const early = this.waiting.get(child) ?? [];
        this.waiting.delete(child);
        this.buffered -= early.length;
        return early;
    }
    /** The log ended: the pids whose creation it never showed, with the steps that waited. */
    orphans() {
        return [...this.waiting];
    }
    /** An orphan pid becomes a process of its own. */
    adopt(pid) {
        this.waiting.delete(pid);
        this.stats.orphanProcesses++;
        this.create(pid, undefined, ALONE);
    }
    create(pid, parent, sharing) {
        const fds = parent ? (sharing.files ? parent.fds : copyTable(parent.fds)) : new Map();
        const fs = parent ? (sharing.fs ? parent.fs : { cwd: parent.fs.cwd }) : { cwd: '' };
        const from = parent?.image.record;
        const record = this.image({
            process: this.all.length,
            pid,
            origin: parent ? 'fork' : 'root',
            exe: from?.exe ?? '',
            argv: from?.argv ?? [],
            argvTruncated: from?.argvTruncated ?? false,
            cwd: fs.cwd,
            parent: from?.id,
            via: parent ? 'spawn' : undefined,
        });
        const proc = { id: this.all.length, pid, fds, fs, image: { record, held: new Map() }, threads: new Set([pid]), ended: false };
        this.all.push(proc);
        this.tids.set(pid, proc);
        for (const entry of fds.values())
            this.holdings.acquire(proc.image, entry.file, this.now());
        return proc;
    }
    image(fields) {
        const record = { id: this.images.length, ...fields, start: this.now(), end: this.now() };
        this.images.push(record);
        return record;
    }
    /** A successful execve of `requested` (relative to `dir`, '' while the working directory is unknown). */
    exec(proc, op, dir) {
        const requested = op.path.path;
        // `./tool` run before the log has shown the working directory: resolved when it does.
        const later = dir === '' && !requested.startsWith('/');
        const exe = later ? requested : resolvePath(dir, requested);
        this.stats.execs++;
        if (op.pidChangedTo !== undefined) {
            // A thread exec'd: the other threads are gone, and it now has the leader's pid.
            for (const t of proc.threads)
                if (this.tids.get(t) === proc)
                    this.tids.delete(t);
            proc.threads.clear();
            proc.threads.add(op.pidChangedTo);
            proc.pid = op.pidChangedTo;
            this.tids.set(op.pidChangedTo, proc);
        }
        for (const [fd, entry] of [...proc.fds])
            if (entry.cloexec)
                proc.fds.delete(fd);
        const old = proc.image.record;
        if (old.origin === 'fork')
            this.holdings.setup(old.id);
        this.closeImage(proc);
        proc.ended = false;
        const record = this.image({
            process: proc.id,
            pid: proc.pid,
            origin: 'exec',
            exe: own(exe),
            argv: op.argv,
            argvTruncated: op.argvTruncated,
            cwd: proc.fs.cwd,
            parent: old.id,
            via: 'exec',
        });
        proc.image = { record, held: new Map() };
        for (const entry of proc.fds.values())
            this.holdings.acquire(proc.image, entry.file, this.now());
        if (later)
            (proc.fs.unresolved ??= []).push({ image: record, path: requested, seq: this.now() });
        else
            this.holdings.record(record.id, this.objects.current(exe).id, 'exec', this.now(), this.now());
    }
    /** The working directory became known: it is also the one earlier relative execs ran in. */
    learnCwd(proc, cwd) {
        const first = proc.fs.cwd === '';
        cwd = own(cwd);
        proc.fs.cwd = cwd;
        if (!first)
            return;
        for (const im of this.images)
            if (im.process === proc.id && im.cwd === '')
                im.cwd = cwd;
        for (const u of proc.fs.unresolved ?? []) {
            u.image.exe = own(resolvePath(cwd, u.path));
            this.holdings.record(u.image.id, this.objects.current(u.image.exe).id, 'exec', u.seq, u.seq);
        }
        proc.fs.unresolved = undefined;
    }
    end(proc, exitCode, signal) {
        if (proc.ended)
            return;
        proc.image.record.exitCode = exitCode;
        proc.image.record.signal = signal;
        this.closeImage(proc);
        for (const t of proc.threads)
            if (this.tids.get(t) === proc)
                this.tids.delete(t);
        // Nothing reaches an ended process's descriptors again: let them go.
        proc.fds = new Map();
        if (proc.id === 0)
            this.onRootExit?.({ exitCode, signal });
    }
    /** The image stops: every object it held is released now. */
    closeImage(proc) {
        const image = proc.image;
        image.record.end = this.now();
        for (const [file, since] of image.held)
            this.holdings.release(image, file, since, this.now());
        image.held.clear();
        proc.ended = true;
    }
}

/**
 * What the model makes of a trace: the programs that ran, the things they touched, and
 * when. Times are `seq` numbers: the order in which system calls completed in the log.
 */
function emptyModelStats() {
    return {
        processes: 0,
        images: 0,
        execs: 0,
        failedExecs: 0,
        probes: 0,
        orphanProcesses: 0,
        horizonDescriptors: 0,
        stillRunning: 0,
        ioUring: false,
    };
}

/** Notes on the process's image that it set up I/O the trace cannot see (`io_uring`, `CLONE_UNTRACED`), once each. */
function untraced(proc, what) {
    const record = proc.image.record;
    if (!record.untraced?.includes(what))
        record.untraced = [...(record.untraced ?? []), what];
}
class DataflowModel {
    objects = new ObjectTable();
    holdings = new Holdings();
    operations = [];
    /** The time: one tick per step, in log order. */
    seq = 0;
    stats = emptyModelStats();
    fds = new Descriptors(this.objects, this.holdings, this.stats, () => this.seq);
    procs;
    constructor(options = {}) {
        this.procs = new Processes(this.objects, this.holdings, this.stats, () => this.seq, options.onRootExit);
    }
    /** Applies what the thread `pid` did. */
    apply(pid, op) {
        const proc = this.procs.of(pid, op);
        if (!proc)
            return;
        this.seq++;
        this.operation(proc, op);
    }
    /** The log ended: processes whose start was never seen run now; everything open closes. */
    finish() {
        for (const [pid, steps] of this.procs.orphans()) {
            this.procs.adopt(pid);
            for (const s of steps)
                this.apply(s.pid, s.op);
        }
        this.seq++;
        for (const p of this.procs.all) {
            if (p.fs.unresolved)
                this.procs.learnCwd(p, '/');
            if (!p.ended) {
                this.stats.stillRunning++;
                this.procs.closeImage(p);
            }
        }
        this.stats.processes = this.procs.all.length;
        this.stats.images = this.procs.images.length;
        return {
            images: this.procs.images,
            objects: this.objects.all,
            accesses: this.holdings.all(),
            operations: this.operations,
            stats: this.stats,
        };
    }
    // ---- one exhaustive switch over the operations ---------------------------------
    operation(proc, op) {
        switch (op.kind) {
            case 'exec':
                return this.procs.exec(proc, op, op.path.dir ? this.dirOf(proc, op.path.dir) : proc.fs.cwd);
            case 'exec-failed':
                this.stats.failedExecs++;
                this.stats.probes++;
                return;
            case 'spawn':
                // strace cannot follow a CLONE_UNTRACED child: nothing it does reaches the log.
                if (op.untraced)
                    untraced(proc, 'CLONE_UNTRACED');
                for (const s of this.procs.spawned(proc, op.child, op))
                    this.apply(s.pid, s.op);
                return;
            case 'exit':
                return this.procs.end(proc, op.status, undefined);
            case 'killed':
                return this.procs.end(proc, undefined, op.signal);
            case 'untraced':
                if (op.what === 'io_uring')
                    this.stats.ioUring = true;
                return untraced(proc, op.what);
            case 'probe':
                this.stats.probes++;
                return;
            case 'open': {
                // strace's decoration is the resolved path: the requested one is only worked out
                // when there is none, or while the process's working directory is still unknown.
                if (proc.fs.cwd === '' && op.path.dir?.kind === 'cwd')
                    this.dirOf(proc, op.path.dir);
                return this.fds.open(proc, op, op.target?.kind === 'path' ? op.target.path : this.path(proc, op.path));
            }
            case 'close':
                return this.fds.close(proc, op.fd);
            case 'close-range':
                return this.fds.closeRange(proc, op);
            case 'dup':
                return this.fds.dup(proc, op);
            case 'set-cloexec':
                return this.fds.setCloexec(proc, op);
            case 'pipe':
                return this.fds.pipe(proc, op);
            case 'socket':
                return this.fds.socket(proc, op);
            case 'connect':
                return this.fds.connect(proc, op);
            case 'send':
                return this.fds.send(proc, op);
            case 'bind':
                return this.fds.bind(proc, op);
            case 'accept':
                return this.fds.accept(proc, op);
            case 'chdir':
                this.procs.learnCwd(proc, this.path(proc, op.path));
                return;
            case 'fchdir': {
                const target = op.dir.target;
                const entry = this.fds.entry(proc, op.dir);
                const path = target?.kind === 'path' ? target.path : entry?.file.object.path;
                if (path)
                    this.procs.learnCwd(proc, path);
                return;
            }
            case 'rename':
            case 'link':
            case 'symlink':
            case 'unlink':
            case 'rmdir':
            case 'mkdir':
            case 'truncate':
                return fileOperation(this.fileOpContext(proc), op);
            case 'other':
                return;
            default: {
                const never = op;
                throw new Error(`model/DataflowModel: unhandled operation ${JSON.stringify(never)}`);
            }
        }
    }
    // ---- paths ---------------------------------------------------------------------
    /** What a file operation of `proc` needs of the model. */
    fileOpContext(proc) {
        const image = proc.image.record.id;
        return {
            objects: this.objects,
            image,
            seq: this.seq,
            path: (ref) => this.path(proc, ref),
            write: (object) => this.holdings.record(image, object.id, 'write', this.seq, this.seq),
            operation: (o) => this.operations.push(o),
        };
    }
    /** The directory a `*at()` call names; `AT_FDCWD</w>` also teaches the working directory. */
    dirOf(proc, dir) {
        if (dir.kind === 'cwd') {
            if (dir.path !== undefined && dir.path !== proc.fs.cwd)
                this.procs.learnCwd(proc, dir.path);
            return proc.fs.cwd;
        }
        const target = dir.target;
        if (target?.kind === 'path')
            return target.path;
        const entry = this.fds.entry(proc, dir);
        return entry ? entry.file.object.path : proc.fs.cwd;
    }
    /** A path argument, resolved against its directory. */
    path(proc, ref) {
        const dir = ref.dir === undefined ? proc.fs.cwd : this.dirOf(proc, ref.dir);
        return resolvePath(dir, ref.path);
    }
}

/** Unparsed lines kept for `--verbose` and the report; the count is always exact. */
const MAX_KEPT_UNPARSED = 1000;
/** Only the parser's statistics and unparsed lines: the first stage alone. */
async function parseLog(source, hooks = {}) {
    const unparsed = [];
    const parser = new StraceParser((event) => {
        if (event.kind === 'unparsed' && unparsed.length < MAX_KEPT_UNPARSED)
            unparsed.push(event);
    });
    await source((line) => parser.line(line), hooks.onProgress);
    parser.end();
    return { stats: parser.stats, unparsed };
}
/** parse → model → graph. */
async function analyzeLog(source, hooks = {}) {
    const unparsed = [];
    const model = new DataflowModel({ onRootExit: hooks.onRootExit });
    const parser = new StraceParser((event) => {
        if (event.kind === 'unparsed') {
            if (unparsed.length < MAX_KEPT_UNPARSED)
                unparsed.push(event);
            return;
        }
        if (isProcessEvent(event))
            model.apply(event.pid, decode(event));
    }, { countedFailures: COUNTED_FAILURES });
    await source((line) => parser.line(line), hooks.onProgress);
    parser.end();
    const dataflow = model.finish();
    hooks.betweenPhases?.();
    const graph = buildGraph(dataflow);
    // The accesses are the graph's edges now; the rest of the records stay for the report.
    const kept = { ...dataflow, accesses: [] };
    hooks.betweenPhases?.();
    return { stats: parser.stats, unparsed, dataflow: kept, graph };
}
/** What the update guard weighs about a trace (`refusal`). */
function runFacts(a) {
    return { lines: a.stats.lines - a.stats.blank, unparsed: a.stats.unparsed, execs: a.dataflow.stats.execs };
}
/** The counts a report carries about the trace. */
function reportStats(a) {
    const m = a.dataflow.stats;
    return {
        lines: a.stats.lines,
        unparsed: a.stats.unparsed,
        syscalls: a.stats.syscalls,
        processes: m.processes,
        execs: m.execs,
        probes: m.probes,
        ioUring: m.ioUring,
    };
}
/** The canonicalization context of one run: the machine's roots, and the pids the trace saw. */
function canonContext(context, flow) {
    return {
        workspace: context.workspace,
        ...context.roots,
        pids: flow ? new Set(flow.images.map((i) => i.pid).filter((p) => p >= 100)) : undefined,
        made: flow ? madeNames(madePaths(flow)) : undefined,
        redactor: context.redactor,
    };
}
/** The paths the build created: every name of a file version it made, every directory it made. */
function* madePaths(flow) {
    for (const o of flow.objects)
        if (o.kind === 'file' && !o.existedBefore)
            yield* o.names;
    for (const op of flow.operations)
        if (op.kind === 'mkdir')
            yield op.path;
}
/** The paths of ioana's own files (`own`: files, and directories with everything below) that the build touched. */
function touchedOwn(flow, own) {
    if (own.length === 0)
        return [];
    const out = [];
    for (const o of flow.objects)
        for (const name of o.names)
            if (own.some((root) => isUnder(name, root)))
                out.push(name);
    return out;
}
/**
 * parse → model → graph → canonical graph: what `check`, `update` and the action
 * compare. Paths in the document stay raw (absolute); canonicalization turns the
 * workspace into `{workspace}`.
 */
async function canonicalRun(source, context, config, hooks = {}) {
    const analysis = await analyzeLog(source, hooks);
    const sets = horizonSets(analysis.graph, { workspace: context.workspace, hideWrappers: true });
    const doc = {
        ...graphDocument(analysis.graph, { control: context.control ?? false }, sets),
        modified: modifiedFiles(analysis.graph, sets, context.sources),
    };
    hooks.betweenPhases?.();
    const ctx = canonContext(context, analysis.dataflow);
    const canonical = canonicalize(doc, ctx, config, context.sources ? 'git' : undefined);
    const touched = touchedOwn(analysis.dataflow, context.own ?? []);
    if (touched.length === 0)
        return { analysis, canonical };
    const c = new Canonicalizer(ctx, DEFAULT_CONFIG);
    const tampered = [...new Set(touched.map((p) => c.path(p) ?? p))].sort(byCodeUnit);
    return { analysis, canonical: { ...canonical, graph: { ...canonical.graph, tampered } } };
}

/**
 * Programs compared by what they are, not by every argument (DESIGN §1.7): a program is
 * its executable, and the shapes of its command lines — the arguments with the files they
 * name, lists of files, counters and parallelism folded — so that `rm -f app src/*.o` in
 * a fresh tree and `rm -f app src/main.o src/util.o` after a build are the same program,
 * and so are the compile commands of two targets. A new executable is `new-program`, one
 * no longer run `vanished-program`; the same executable with other shapes is one
 * `changed-arguments` finding, naming the commands that differ.
 */
/** A file in a shape, and a run of them. */
const FILE = '{file}';
const FILES = '{files}';
/** Options whose value is a file, whatever it looks like: `-o app`, `-MF .deps/a.Tpo`. */
const FILE_OPTIONS = new Set(['-o', '-MF', '-MT', '-MQ', '--output', '-T', '--out-dir', '-f', '--file']);
/** `src/a.c`, `{workspace}/build/x.o`, `*.o`, `a.c`, `lib.rs` — not `-O2`, `1.5`, `https://x/y`, `all`. */
function pathLike(word) {
    if (word === '' || word.startsWith('-') || word.includes('://'))
        return false;
    if (word.includes('/') || word.includes('*') || word.includes('?'))
        return true;
    return /^[^\s=]*[A-Za-z_][^\s=]*\.[A-Za-z][A-Za-z0-9_+-]{0,9}$/.test(word);
}
/** The names of the files of a graph: a bare word equal to one (`-o minigzip`, `rm -f app`) names that file. */
function fileNames(...graphs) {
    const names = new Set();
    for (const g of graphs) {
        for (const p of [...g.inputs, ...g.outputs]) {
            const base = p.slice(p.lastIndexOf('/') + 1);
            if (base !== '')
                names.add(base);
        }
    }
    return names;
}
const isFile = (word, names) => pathLike(word) || names.has(word);
/** A script or message (an argument with blanks): each word that names a file folded, runs of them one. */
function scriptShape(text, names) {
    return text
        .split(/(\s+)/)
        .map((w) => {
        const bare = w.replace(/^['"]+|['";]+$/g, '');
        return bare !== '' && isFile(bare, names) ? w.replace(bare, FILES) : w;
    })
        .join('')
        .replace(/\{files\}(?:\s+\{files\})+/g, FILES);
}
/**
 * A command line's shape: `['cc', '-c', 'src/a.c', '-o', 'a.o']` → `cc -c {files} -o {files}`.
 * `names`: the file names of the graphs compared (`fileNames`).
 */
function shape(argv, names) {
    const out = [argv[0]?.slice(argv[0].lastIndexOf('/') + 1) ?? ''];
    for (let i = 1; i < argv.length; i++) {
        const a = argv[i];
        let s;
        if (/\s/.test(a))
            s = scriptShape(a, names);
        else if (FILE_OPTIONS.has(argv[i - 1]) || isFile(a, names))
            s = FILES;
        else {
            const eq = a.indexOf('=');
            s = a.startsWith('-') && eq > 0 && isFile(a.slice(eq + 1), names) ? `${a.slice(0, eq + 1)}${FILE}` : a;
        }
        if (!(s === FILES && out[out.length - 1] === FILES))
            out.push(s);
    }
    return out.join(' ');
}
/** Executable → its shapes, each with the first command (in the given order) that has it. */
function byExe(programs, names) {
    const out = new Map();
    for (const p of programs) {
        let shapes = out.get(p.exe);
        if (!shapes)
            out.set(p.exe, (shapes = new Map()));
        const s = shape(p.argv, names);
        if (!shapes.has(s))
            shapes.set(s, p);
    }
    return out;
}
/**
 * The programs of a run against the baseline's. `runs`: the baseline's run count (an
 * entry seen in fewer runs is optional: its absence is no change).
 */
function comparePrograms(base, now, runs, names) {
    const always = base.filter((p) => (p.seen ?? runs) >= runs);
    const before = byExe(base, names);
    const required = byExe(always, names);
    const after = byExe(now, names);
    const changes = [];
    for (const [exe, shapes] of after) {
        const old = before.get(exe);
        const first = [...shapes.values()][0];
        if (!old) {
            changes.push({ kind: 'new-program', subject: programText(first), commands: shapes.size });
            continue;
        }
        const added = [...shapes].filter(([s]) => !old.has(s)).map(([, p]) => programText(p));
        const removed = [...(required.get(exe) ?? [])].filter(([s]) => !shapes.has(s)).map(([, p]) => programText(p));
        if (added.length + removed.length > 0)
            changes.push({ kind: 'changed-arguments', subject: exe, commands: added.length + removed.length, added, removed });
    }
    for (const [exe, shapes] of required) {
        if (after.has(exe))
            continue;
        const first = [...shapes.values()][0];
        changes.push({ kind: 'vanished-program', subject: programText(first), entry: first, commands: shapes.size });
    }
    return changes;
}

/** Severities: defaults per kind, weighted by where the subject lives, then `.ioana.yml`. */
/**
 * System locations: a change there is usually a toolchain or OS update (`/usr`, `/lib*`,
 * `/etc`, `/proc`, `/sys`, the runner's tool cache). The README lists the same. Credential
 * files among them have a kind of their own (`credential-read`), always failing by default.
 */
const SYSTEM_PATH = /^(\/usr\/|\/lib[^/]*\/|\/etc\/|\/proc\/|\/sys\/|\{toolcache\}\/)/;
function defaultSeverity(kind, subject) {
    switch (kind) {
        case 'source-modified':
        case 'new-endpoint':
        case 'vanished-output':
        case 'credential-read':
        case 'untraced-io':
        case 'tampering':
        case 'baseline-edited':
        case 'config-weakened':
            return 'error';
        case 'new-input':
            return SYSTEM_PATH.test(subject) ? 'notice' : 'warning';
        case 'new-program':
        case 'new-output':
            return SYSTEM_PATH.test(subject) && kind === 'new-output' ? 'notice' : 'warning';
        case 'changed-provenance':
        case 'changed-arguments':
        case 'vanished-input':
        case 'vanished-program':
            return 'notice';
        default: {
            const never = kind;
            throw new Error(`diff/defaultSeverity: unknown kind ${String(never)}`);
        }
    }
}
class SeverityPolicy {
    config;
    rules;
    constructor(config) {
        this.config = config;
        this.rules = config.severity.map((r) => /^[a-z]+-[a-z-]+$/.test(r.match) && !r.match.includes('/')
            ? { kind: r.match, severity: r.severity }
            : { re: globToRegExp(r.match), severity: r.severity });
    }
    severity(kind, subject) {
        for (const r of this.rules) {
            if (r.kind === kind || r.re?.test(subject))
                return r.severity;
        }
        return defaultSeverity(kind, subject);
    }
    failing(kind, severity) {
        return this.config.failOn.includes(kind) && severity !== 'notice';
    }
}

/** At least this many findings of one kind in one directory become one finding. */
const GROUP_MIN = 5;
const GROUPED = new Set(['new-input', 'vanished-input', 'new-output', 'vanished-output']);
const minus = (a, b) => [...a].filter((x) => !b.has(x));
function diff(base, current, config, lines = new Map()) {
    const drafts = [];
    const runs = base.runs;
    const all = (xs) => new Set(xs.map((c) => c.value));
    const always = (xs, of = runs) => xs.filter((c) => c.seen >= of).map((c) => c.value);
    // Which outputs each input reaches, now and in the baseline.
    const reachNow = new Map();
    for (const o of current.outputs)
        for (const f of o.from)
            append(reachNow, f, o.path);
    const reachBefore = new Map();
    for (const o of base.outputs)
        for (const f of o.from)
            append(reachBefore, f.value, o.path);
    const inputsNow = new Set(current.inputs);
    const outputsNow = new Set(current.outputs.map((o) => o.path));
    const baseInputs = all(base.inputs);
    const baseOutputs = new Set(base.outputs.map((o) => o.path));
    // source-modified: the build wrote a file of the working tree it also reads, or read.
    // A file the baseline lists as an output is a product of the build (left over from an
    // earlier, incremental build), not a source.
    // In a git work tree the tracked files are the sources, and `modified` is the answer;
    // elsewhere an output that was also read existed before the build, so it is one too.
    const knownModified = new Set([...all(base.modified), ...baseOutputs]);
    const candidates = current.sources === 'git'
        ? current.modified
        : [...current.modified, ...[...outputsNow].filter((p) => inputsNow.has(p) || baseInputs.has(p))];
    const modified = new Set(candidates.filter((p) => inWorkspace(p) && !knownModified.has(p)));
    for (const p of [...modified].sort(byCodeUnit))
        drafts.push({ kind: 'source-modified', subject: p, outputs: [p], by: current.modifiedBy?.[p] });
    // A new program's executable is a new input too; the new-program finding says it.
    const baseExes = new Set(base.programs.map((p) => p.exe));
    const newExes = new Set(current.programs.map((p) => p.exe).filter((e) => !baseExes.has(e)));
    for (const p of minus(current.inputs, baseInputs)) {
        // A credential file is its own kind, whatever directory it is in (/etc/shadow is a system path).
        if (isCredentialPath(p))
            drafts.push({ kind: 'credential-read', subject: p, outputs: reachNow.get(p) ?? [] });
        else if (!newExes.has(p))
            drafts.push({ kind: 'new-input', subject: p, outputs: reachNow.get(p) ?? [] });
    }
    for (const p of minus(always(base.inputs), inputsNow)) {
        if (modified.has(p))
            continue;
        drafts.push({ kind: 'vanished-input', subject: p, outputs: reachBefore.get(p) ?? [], baselineLine: lines.get(entryKey('inputs', p)) });
    }
    for (const p of minus(outputsNow, baseOutputs))
        if (!modified.has(p))
            drafts.push({ kind: 'new-output', subject: p, outputs: [p] });
    for (const o of base.outputs) {
        if (o.seen >= runs && !outputsNow.has(o.path))
            drafts.push({ kind: 'vanished-output', subject: o.path, outputs: [o.path], baselineLine: lines.get(entryKey('outputs', o.path)) });
    }
    for (const c of comparePrograms(base.programs, current.programs, runs, fileNames({ inputs: current.inputs, outputs: [...outputsNow] }, { inputs: [...baseInputs], outputs: [...baseOutputs] }))) {
        drafts.push({
            kind: c.kind,
            subject: c.subject,
            outputs: [],
            ...(c.kind === 'changed-arguments' ? { added: [...(c.added ?? [])], removed: [...(c.removed ?? [])] } : {}),
            ...(c.entry ? { baselineLine: lines.get(entryKey('programs', programKey(c.entry))) } : {}),
            commands: c.commands,
        });
    }
    const baseEndpoints = all(base.endpoints);
    for (const e of current.endpoints)
        if (!baseEndpoints.has(e))
            drafts.push({ kind: 'new-endpoint', subject: e, outputs: reachNow.get(e) ?? [], result: current.endpointResults?.[e] });
    // Reported every run, not only when new: what ioana cannot see, it cannot compare.
    for (const u of current.untraced ?? [])
        drafts.push({ kind: 'untraced-io', subject: u, outputs: [] });
    for (const t of current.tampered ?? [])
        drafts.push({ kind: 'tampering', subject: t, outputs: [] });
    const baseFrom = new Map(base.outputs.map((o) => [o.path, o]));
    for (const o of current.outputs) {
        const b = baseFrom.get(o.path);
        if (!b)
            continue;
        const now = new Set(o.from);
        const added = minus(o.from, all(b.from));
        const removed = minus(always(b.from, b.seen), now);
        if (added.length + removed.length > 0)
            drafts.push({ kind: 'changed-provenance', subject: o.path, outputs: [o.path], added, removed });
    }
    return finish(group(withPackages(drafts)), new SeverityPolicy(config));
}
/**
 * A new package's build products are reported with the package: the new output
 * `{workspace}/target/debug/itoa.crate` goes into the finding about the new input
 * `{cargo}/itoa@1.0.1` (as an output it reaches), so that adding a dependency is one
 * finding that names it.
 */
function withPackages(drafts) {
    const packages = new Map();
    for (const d of drafts) {
        const m = d.kind === 'new-input' ? /^\{cargo\}\/([^@/]+)@/.exec(d.subject) : null;
        if (m)
            packages.set(m[1].replace(/-/g, '_'), d);
    }
    if (packages.size === 0)
        return drafts;
    return drafts.filter((d) => {
        const crate = d.kind === 'new-output' ? /\/([A-Za-z0-9_]+)\.crate$/.exec(d.subject)?.[1] : undefined;
        const from = crate === undefined ? undefined : packages.get(crate);
        if (!from)
            return true;
        if (!from.outputs.includes(d.subject))
            from.outputs.push(d.subject);
        return false;
    });
}
/** Many findings of one kind in one directory → one finding about the directory. */
function group(drafts) {
    const buckets = new Map();
    const out = [];
    for (const d of drafts) {
        if (!GROUPED.has(d.kind)) {
            out.push(d);
            continue;
        }
        const dir = d.subject.slice(0, d.subject.lastIndexOf('/') + 1);
        const key = `${d.kind}\u0000${dir}`;
        append(buckets, key, d);
    }
    for (const [key, list] of buckets) {
        if (list.length < GROUP_MIN) {
            out.push(...list);
            continue;
        }
        const [kind, dir] = key.split('\u0000');
        const members = list.map((d) => d.subject).sort(byCodeUnit);
        out.push({
            kind,
            subject: dir,
            outputs: [...new Set(list.flatMap((d) => d.outputs))].sort(byCodeUnit),
            baselineLine: list.map((d) => d.baselineLine).find((l) => l !== undefined),
            members,
        });
    }
    return out;
}
/** At most three commands, quoted, and how many more. */
function quoteList(commands) {
    const shown = commands.slice(0, 3).map((c) => `\`${c}\``);
    return commands.length > 3 ? `${shown.join(', ')} and ${commands.length - 3} more` : shown.join(', ');
}
function message(d) {
    const what = d.members ? `${d.members.length} files under ${d.subject}` : d.subject;
    let text = `${KIND_TEXT[d.kind].verb} ${what}`;
    if (d.kind === 'changed-arguments') {
        const parts = [];
        if (d.added?.length)
            parts.push(`now also ${quoteList(d.added)}`);
        if (d.removed?.length)
            parts.push(`no longer ${quoteList(d.removed)}`);
        text += ` (${parts.join('; ')})`;
    }
    else if ((d.kind === 'new-program' || d.kind === 'vanished-program') && (d.commands ?? 1) > 1) {
        text += ` (and ${d.commands - 1} other command${d.commands > 2 ? 's' : ''} of it)`;
    }
    else if (d.kind === 'changed-provenance') {
        const parts = [];
        if (d.added?.length)
            parts.push(`now also from ${d.added.join(', ')}`);
        if (d.removed?.length)
            parts.push(`no longer from ${d.removed.join(', ')}`);
        text += ` (${parts.join('; ')})`;
    }
    else if (d.outputs.length > 0 && d.kind !== 'new-output' && d.kind !== 'vanished-output' && d.kind !== 'source-modified') {
        text += d.outputs.length === 1 ? `, which reaches ${d.outputs[0]}` : `, which reaches ${d.outputs.length} outputs`;
    }
    if (d.by !== undefined)
        text += ` (by \`${d.by}\`)`;
    if (d.result === 'sent')
        text += ' (datagrams sent to it without a connect)';
    else if (d.result !== undefined && d.result !== 'connected')
        text += ` (the attempt: ${d.result})`;
    return text + '.';
}
/** Failing errors, failing warnings, then what does not fail (errors, warnings, notices). */
function rank(f) {
    const severity = f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2;
    return f.failing ? severity : 3 + severity;
}
/**
 * Drafts → findings with severities, in the order every report shows them: what fails
 * the check first (a reader of 77 findings must not miss the two errors), then by kind
 * and subject.
 */
function finish(drafts, policy) {
    return orderFindings(drafts.map((d) => {
        const severity = policy.severity(d.kind, d.subject);
        const f = {
            kind: d.kind,
            severity,
            subject: d.subject,
            outputs: [...new Set(d.outputs)].sort(byCodeUnit),
            message: message(d),
            failing: policy.failing(d.kind, severity),
            ...(d.members ? { count: d.members.length, members: d.members.slice(0, 20) } : {}),
            ...(d.added ? { added: d.added, removed: d.removed ?? [] } : {}),
            ...(d.baselineLine !== undefined ? { baselineLine: d.baselineLine } : {}),
        };
        return f;
    }));
}
/** Findings in the order every report shows them: by `rank`, then kind, then subject. */
function orderFindings(findings) {
    const order = (k) => FINDING_KINDS.indexOf(k);
    return [...findings].sort((a, b) => rank(a) - rank(b) || order(a.kind) - order(b.kind) || byCodeUnit(a.subject, b.subject));
}

/**
 * The terminal report: pure, so that it can be tested; the CLI decides about colour.
 * Findings in the report's order (failing first, then the rest); one closing line says where the check
 * stands, and when something changed, the exact command that accepts it.
 */
const paint = (on, code) => (s) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
/** A long line of text shows its start and its end (a command line's last arguments name its files). */
const MAX_TEXT_WIDTH = 300;
/** `(a 1 500-character ld command, 300)` → its first 200 and last 99 characters around `…`. */
function shorten(text, max = MAX_TEXT_WIDTH) {
    if (text.length <= max)
        return text;
    const tail = Math.floor(max / 3);
    return `${text.slice(0, max - tail - 1)}…${text.slice(text.length - tail)}`;
}
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** `ioana: 3 findings, 2 failing (1 error, 1 warning), 1 notice, against baselines/b.yml.` */
function closingLine(r) {
    if (r.findings.length === 0)
        return 'ioana: clean — the build read, wrote, ran and connected to what the baseline says.';
    const failing = r.findings.filter((f) => f.failing);
    const count = (xs, s) => xs.filter((f) => f.severity === s).length;
    const detail = ['error', 'warning'].filter((s) => count(failing, s) > 0).map((s) => plural(count(failing, s), s));
    const rest = r.findings.length - failing.length;
    const head = `ioana: ${plural(r.findings.length, 'finding')}`;
    const parts = failing.length > 0 ? [`${head}, ${failing.length} failing (${detail.join(', ')})`] : [`${head}, none failing`];
    if (failing.length > 0 && rest > 0)
        parts.push(`${rest} not failing`);
    return `${parts.join(', ')}, against ${r.baseline}.`;
}
function renderText(r, opts = {}) {
    const c = opts.color ?? false;
    const red = paint(c, '31');
    const yellow = paint(c, '33');
    const dim = paint(c, '2');
    const bold = paint(c, '1');
    const lines = [];
    if (r.build.interrupted) {
        lines.push(red(bold(`ioana: the build was interrupted (${r.build.interrupted}): this report is partial, of what it did until then.`)));
    }
    else if (r.status === 'build-failed') {
        const how = r.build.signal ? `killed by ${r.build.signal}` : `exit status ${r.build.exitCode}`;
        lines.push(red(bold(`ioana: the build failed (${how}); the report below is of what it did before it stopped.`)));
    }
    if (r.build.leftRunning)
        lines.push(yellow(`ioana: ${r.build.leftRunning} process(es) the build started were left running when tracing stopped.`));
    if (!opts.quiet) {
        // In the report's order: failing first (see diff's `finish`).
        for (const f of r.findings) {
            const mark = f.severity === 'error' ? red('error  ') : f.severity === 'warning' ? yellow('warning') : dim('notice ');
            lines.push(`  ${mark} ${f.kind.padEnd(18)} ${shorten(terminal(f.message))}${f.failing ? '' : dim(' (not failing)')}`);
            if (f.members)
                for (const m of f.members.slice(0, 5))
                    lines.push(dim(`            ${shorten(terminal(m))}`));
        }
    }
    lines.push(bold(terminal(closingLine(r))));
    if (r.findings.length > 0 && opts.accept)
        lines.push(`To accept this change as the new baseline (from a clean tree): ${terminal(opts.accept)}`);
    return lines.join('\n') + '\n';
}

/**
 * The one command that accepts a change: `ioana update` with the options of the check
 * that found it, so that it records the build exactly as the check traced it. Pure.
 */
/**
 * `{program: 'ioana', baseline: 'baselines/b.yml', command: ['make', '-j2']}` →
 * `ioana update --baseline baselines/b.yml -- make -j2`.
 */
function acceptCommand(p) {
    const parts = [p.program, 'update', '--baseline', shellQuote(p.baseline)];
    if (p.config)
        parts.push('--config', shellQuote(p.config));
    if (p.workspace)
        parts.push('--workspace', shellQuote(p.workspace));
    if (p.cwd && p.cwd !== '.')
        parts.push('--cwd', shellQuote(p.cwd));
    if (p.trace !== undefined)
        parts.push('--trace', shellQuote(p.trace));
    else if (p.command)
        parts.push('--', ...p.command.map(shellQuote));
    return parts.join(' ');
}

function buildReport(p) {
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

/**
 * The one pipeline (DESIGN §1): a log's lines, with the baseline, the configuration and
 * the run's context, in; the canonical graph, the findings and the report out. The
 * action and every CLI command are thin adapters around these functions: they read
 * files and the environment, start strace, and write what comes back.
 */
/**
 * strace could not start the command at all (it is not there, not executable, or the
 * log could not be created): strace printed why on stderr and exited, and the log holds
 * no program. That is strace's failure, not the build's: no finding is made of it.
 */
function assertStarted(run, outcome, command) {
    const started = run.analysis.dataflow.images.some((im) => im.process === 0 && im.origin === 'exec');
    if (started || outcome.interrupted)
        return;
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit status ${outcome.exitCode}`;
    throw new TraceSetupError(`strace could not start ${JSON.stringify(command[0] ?? '')} (strace: ${how}); its own message is above. Nothing was compared or written.`, {
        hint: 'Check that the command exists and may be executed here, and that the directory of the trace log exists and is writable.',
    });
}
/** The log read to its canonical graph while the build (if any) runs; a build strace could not start is an error. */
async function runLog(input) {
    const [run, outcome] = await Promise.all([canonicalRun(input.source, input.context, input.config, input.hooks), input.build?.outcome]);
    if (input.build && outcome)
        assertStarted(run, outcome, input.build.command);
    return { run, outcome };
}
/** The check (DESIGN §1.7, §1.8): the run compared with the baseline, as findings and a report. */
async function check(input) {
    const { run, outcome } = await runLog(input);
    const untrusted = untrustedTrace(runFacts(run.analysis));
    if (untrusted && !outcome?.interrupted) {
        throw new InputError(`${input.logName ?? 'the trace'}: ${untrusted} Nothing was compared.`, {
            hint: 'Give the log strace wrote for the build (ioana trace --out LOG, or --trace-out).',
        });
    }
    const compared = input.baseline ? diff(input.baseline.baseline, run.canonical.graph, input.config, input.baseline.lines) : [];
    const findings = input.edits?.length ? orderFindings([...compared, ...input.edits]) : compared;
    const report = buildReport({
        findings,
        failed: outcome !== undefined && !succeeded(outcome),
        build: input.build &&
            outcome && {
            command: input.context.redactor.argv(input.build.command[0] ?? '', input.build.command),
            exitCode: outcome.exitCode,
            signal: outcome.signal,
            interrupted: outcome.interrupted,
            leftRunning: outcome.detached ? run.analysis.dataflow.stats.stillRunning : undefined,
        },
        baseline: input.baselineName,
        baselineMissing: input.baseline === undefined,
        stats: reportStats(run.analysis),
    });
    return { run, outcome, findings, report, proposed: () => mergeRun(input.baseline?.baseline, run.canonical.graph) };
}

/**
 * Recording runs into a baseline (pure): the guard that refuses a run that would weaken
 * it, the merge, and the line that says what changed. The edge holds the file's lock
 * and reads and writes it around this.
 */
/**
 * `current` (what the file holds now, if anything) with `runs` merged in. A run the
 * guard refuses (`refusal`) is an error with nothing to write, unless `force`.
 */
function proposeUpdate(current, runs, opts) {
    let merged = opts.fresh ? undefined : current;
    for (const run of runs) {
        const next = mergeRun(merged, run.graph);
        const why = opts.force ? undefined : refusal(run.graph, run.facts, merged ?? (opts.fresh ? current : undefined), next);
        if (why) {
            throw new IoanaError(`refusing to update ${opts.shown}: ${why}`, {
                hint: 'Nothing was written. If this run is what the baseline should say, run the same command with --force.',
            });
        }
        merged = next;
    }
    const baseline = merged ?? baselineOf([]);
    return { baseline, change: describeUpdate(current, baseline) };
}
/** `wrote baselines/b.yml (4 runs): +1 input, 4 entries now seen in 3 of 4 runs` */
function describeWrite(shown, r) {
    return `wrote ${shown} (${r.baseline.runs} run${r.baseline.runs === 1 ? '' : 's'}): ${r.change}`;
}

/**
 * Files at the edge: reading a baseline or config with a clear error, and writing
 * atomically (a temporary file in the same directory, then rename), so that an
 * interrupted write never leaves half a file.
 */
/** The text of a file, or undefined when it does not exist; other failures are errors. */
function readTextIfExists(path, what) {
    try {
        return readFileSync(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            return undefined;
        if (code === 'EISDIR')
            throw new IoanaError(`${what} ${path} is a directory.`, { hint: `Give the path of a ${what} file.` });
        throw new IoanaError(`cannot read ${what} ${path}: ${error.message}`, { hint: "Check the file's permissions." });
    }
}
/** A write error in words: `the directory /x does not exist`, `/x is on a read-only file system`. */
function whyNotWritable(path, error) {
    const code = error.code;
    return code === 'ENOENT'
        ? `the directory ${dirname(path)} does not exist`
        : code === 'EACCES' || code === 'EPERM'
            ? `no permission to write in ${dirname(path)}`
            : code === 'EROFS'
                ? `${dirname(path)} is on a read-only file system`
                : code === 'ENOSPC'
                    ? `the disk of ${dirname(path)} is full`
                    : error.message;
}
/** Writes `text` to `path` through a temporary file and a rename. */
function writeAtomic(path, text) {
    const tmp = join(dirname(path), `.${basename$1(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    let fd;
    try {
        fd = openSync(tmp, 'wx', 0o644);
        writeSync(fd, text);
        fsyncSync(fd);
        closeSync(fd);
        fd = undefined;
        renameSync(tmp, path);
    }
    catch (error) {
        if (fd !== undefined)
            closeSync(fd);
        try {
            unlinkSync(tmp);
        }
        catch {
            // never created, or already renamed
        }
        throw new IoanaError(`cannot write ${path}: ${whyNotWritable(path, error)}.`, {
            hint: 'Nothing was written; the previous file, if any, is unchanged.',
        });
    }
}
/** How long `withLock` waits for another ioana before giving up. */
const LOCK_TIMEOUT_MS = 60_000;
function sleepSync(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
function alive$1(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
/**
 * Runs `fn` holding `PATH.lock` (created exclusively, holding our pid), so that two
 * ioana processes updating one baseline take turns: each reads what the other wrote
 * and merges into it, and no run is lost. A lock whose process is gone is taken over.
 */
function withLock(path, fn, timeoutMs = LOCK_TIMEOUT_MS) {
    const lock = `${path}.lock`;
    const deadline = Date.now() + timeoutMs;
    while (true) {
        try {
            const fd = openSync(lock, 'wx', 0o644);
            writeSync(fd, `${process.pid}\n`);
            closeSync(fd);
            break;
        }
        catch (error) {
            const code = error.code;
            if (code !== 'EEXIST') {
                throw new IoanaError(`cannot write ${path}: ${whyNotWritable(lock, error)}.`, {
                    hint: 'Nothing was written; the previous file, if any, is unchanged.',
                });
            }
            let holder = NaN;
            try {
                holder = parseInt(readFileSync(lock, 'utf8'), 10);
            }
            catch {
                // removed meanwhile: try again
            }
            if (Number.isInteger(holder) && !alive$1(holder)) {
                try {
                    unlinkSync(lock);
                }
                catch {
                    // another process took it over first
                }
                continue;
            }
            if (Date.now() > deadline) {
                throw new IoanaError(`${path} is locked by another ioana (process ${holder}, ${lock}).`, {
                    hint: 'Wait for it to finish, or remove the lock file if that process is gone.',
                });
            }
            sleepSync(25 + Math.floor(Math.random() * 25));
        }
    }
    try {
        return fn();
    }
    finally {
        try {
            unlinkSync(lock);
        }
        catch {
            // already gone
        }
    }
}

/**
 * The project's files ioana reads and writes (an edge): the configuration and the
 * baseline, read with errors that name them, and a baseline updated under its lock,
 * merged into what it holds at that moment. Shared by the CLI and the action.
 */
/**
 * The configuration at `path`; the defaults when it does not exist, unless it was given
 * explicitly. `shown` is how errors name the file (repository-relative in the action).
 */
function loadConfigFile(path, given, shown = path) {
    const text = readTextIfExists(path, 'configuration');
    if (text === undefined) {
        if (given)
            throw new UsageError(`configuration file not found: ${shown}`, { hint: 'Check the path of the configuration.' });
        return DEFAULT_CONFIG;
    }
    return parseConfig(text, shown);
}
/** The baseline at `path`, or undefined when there is none; an invalid one is an error. */
function loadBaselineFile(path, shown = path) {
    const text = readTextIfExists(path, 'baseline');
    return text === undefined ? undefined : parseBaseline(text, shown);
}
/**
 * Merges runs into the baseline file under its lock: what another ioana wrote while
 * these builds ran is read again and kept. `fresh` starts over from these runs (an
 * unreadable file is still refused, never overwritten). A run the guard refuses stops
 * the update with nothing written, unless `force`.
 */
function recordRuns(path, runs, opts = {}) {
    const shown = opts.shown ?? path;
    return withLock(path, () => {
        const current = loadBaselineFile(path, shown);
        const result = proposeUpdate(current?.baseline, runs, { ...opts, shown });
        writeAtomic(path, renderBaseline(result.baseline));
        return result;
    });
}

/**
 * Where the CLI writes, and how: the console (tests pass their own), colour as the
 * conventions say, `-` meaning standard output, and a progress line on a terminal.
 */
const processConsole = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
};
/**
 * Colours: never with `NO_COLOR` (no-color.org), always with `FORCE_COLOR` (other than
 * `0`/`false`), else only on a terminal that is not `TERM=dumb`.
 */
function useColor(env = process.env, tty = Boolean(process.stdout.isTTY)) {
    if (env.NO_COLOR)
        return false;
    const force = env.FORCE_COLOR;
    if (force !== undefined && force !== '')
        return force !== '0' && force !== 'false';
    return tty && env.TERM !== 'dumb';
}
/** `-` is standard output, for options that name a file to write (`--json -`). */
const STDOUT = '-';
/**
 * Checks, before anything runs, that a file can be written where `option` says: its
 * directory exists and is writable. `-` (standard output) always can.
 */
function assertWritable(option, path) {
    if (path === undefined || path === STDOUT)
        return;
    const dir = dirname(resolve(path));
    let isDir = false;
    try {
        isDir = statSync(dir).isDirectory();
    }
    catch {
        // missing: said below
    }
    if (!isDir)
        throw new UsageError(`--${option} ${path}: the directory ${dir} does not exist.`, {
            hint: `Create it first (mkdir -p ${dir}), or give another path.`,
        });
    try {
        accessSync(dir, constants$1.W_OK);
    }
    catch (error) {
        const why = error.code === 'EROFS' ? `${dir} is on a read-only file system` : `no permission to write in ${dir}`;
        throw new UsageError(`--${option} ${path}: ${why}.`, { hint: 'Nothing was written. Give a path in a directory you can write to.' });
    }
}
/** Writes `text` to `path` (atomically), or to standard output for `-`. */
function writeOutput(path, text, io) {
    if (path === STDOUT)
        io.out(text);
    else
        writeAtomic(resolve(path), text);
}
/**
 * A progress line on stderr while a long log is analyzed, on a terminal only:
 * `ioana: analyzing the trace… 48 MB, 412,000 lines`, erased when done.
 */
function progressLine(io) {
    if (!process.stderr.isTTY)
        return { done: () => undefined };
    let last = 0;
    let shown = false;
    return {
        onProgress: (p) => {
            const now = Date.now();
            if (now - last < 250 || p.bytes < 8 * 1024 * 1024)
                return;
            last = now;
            shown = true;
            io.err(`\rioana: analyzing the trace… ${(p.bytes / 1e6).toFixed(0)} MB, ${p.lines.toLocaleString('en')} lines`);
        },
        done: () => {
            if (shown)
                io.err('\r\u001b[K');
        },
    };
}

/**
 * The machine ioana runs on, read once at the edge: the roots that canonicalization
 * replaces by tokens (home, temporary directories, the runner's tool cache, resolved
 * through symlinks as strace reports them) and the secrets of the environment.
 */
function real(p) {
    if (!p)
        return undefined;
    try {
        return realpathSync(p);
    }
    catch {
        return p.replace(/\/+$/, '') || undefined;
    }
}
/**
 * Environment variables whose values are secrets: their names say so (`GITHUB_TOKEN`,
 * `PGPASSWORD`, `MYSQL_PWD`, `AWS_SECRET_ACCESS_KEY`, `NODE_AUTH_TOKEN`, `GH_PAT`…), the same
 * rule as for `NAME=value` arguments. Not `PWD`/`OLDPWD` (the working directory),
 * `XAUTHORITY` and `SSH_AUTH_SOCK` (paths), `GPG_KEY` (a public fingerprint in official
 * Docker images), `GIT_AUTHOR_NAME`, nor names that say where a secret is or what shape it
 * has (`PGPASSFILE`, `ACTIONS_ID_TOKEN_REQUEST_URL`, `AWS_ACCESS_KEY_ID`, `KEY_SIZE`).
 */
const SECRET_NAME = isSecretName;
/**
 * The values of secret-named variables, longest first (so that one containing another is
 * redacted whole), each once; 6 characters or more: shorter ones would redact ordinary words.
 */
function secretValues(env) {
    const values = Object.entries(env)
        .filter(([name, value]) => SECRET_NAME(name) && typeof value === 'string' && value.length >= 6)
        .map(([, value]) => value);
    return [...new Set(values)].sort((a, b) => b.length - a.length);
}
/** `$HOME`, `/tmp`, `/var/tmp`, `/dev/shm`, `$TMPDIR`, `$RUNNER_TEMP`, `$RUNNER_TOOL_CACHE`, real paths. */
function machineRoots(env = process.env) {
    const tmp = new Set(['/tmp', '/var/tmp', '/dev/shm']);
    for (const t of [env.TMPDIR, env.RUNNER_TEMP]) {
        const r = real(t);
        if (r)
            tmp.add(r);
    }
    return { home: real(env.HOME ?? homedir()), tmp: [...tmp], toolcache: real(env.RUNNER_TOOL_CACHE) };
}
/** Credentials out of everything ioana writes: the known formats, and this environment's secrets. */
function environmentRedactor(env = process.env) {
    return new Redactor(secretValues(env));
}

/**
 * Reading a log file as lines, at the edge. Chunks of 256 KiB are split by hand: this
 * is faster than node's readline and lets the parser run synchronously per chunk
 * instead of awaiting once per line. Chunks stay below 1 MiB, where node would hand
 * them over as external strings, whose memory V8 gives back later than its own (a
 * 2.4 M-line log peaked at 416 MB resident with 1 MiB chunks, 365 MB with these).
 *
 * Lines are decoded as latin1: one character per byte. strace escapes every byte it
 * does not print as ASCII, so a log is ASCII; a stray byte ≥ 0x80 stays that byte
 * (the parser's string decoder turns byte sequences into UTF-8 where they are), and
 * no time goes into UTF-8 decoding of what is ASCII anyway.
 */
/** A line longer than this (no newline in 16 MiB: not a strace log) is cut and passed on. */
const MAX_LINE = 16 * 1024 * 1024;
const CHUNK = 256 * 1024;
/** Chunks in, lines out: the unfinished end of a chunk waits for the next one. */
class LineSplitter {
    onLine;
    partial = '';
    lines = 0;
    constructor(onLine) {
        this.onLine = onLine;
    }
    push(chunk) {
        let from = 0;
        let nl = chunk.indexOf('\n');
        if (nl >= 0 && this.partial !== '') {
            this.emit(this.partial + chunk.slice(0, nl));
            this.partial = '';
            from = nl + 1;
            nl = chunk.indexOf('\n', from);
        }
        while (nl >= 0) {
            this.emit(chunk.slice(from, nl));
            from = nl + 1;
            nl = chunk.indexOf('\n', from);
        }
        this.partial += chunk.slice(from);
        if (this.partial.length > MAX_LINE) {
            this.emit(this.partial.slice(0, MAX_LINE));
            this.partial = '';
        }
    }
    /** A last line without a newline is a line too. */
    end() {
        if (this.partial !== '')
            this.emit(this.partial);
        this.partial = '';
    }
    emit(line) {
        this.lines++;
        this.onLine(line);
    }
}
/**
 * Calls `onLine` for every line of the file, without the newline; a last line without
 * a newline is a line too. `onChunk` is called after each chunk (for a progress line).
 */
async function forEachLine(path, onLine, onChunk) {
    const splitter = new LineSplitter(onLine);
    let bytes = 0;
    const stream = createReadStream(path, { encoding: 'latin1', highWaterMark: CHUNK });
    try {
        for await (const chunk of stream) {
            bytes += chunk.length;
            splitter.push(chunk);
            onChunk?.({ bytes, lines: splitter.lines });
        }
    }
    catch (error) {
        throw readError(path, error);
    }
    splitter.end();
}
function readError(path, error) {
    const code = error.code;
    if (code === 'ENOENT')
        return new InputError(`trace log not found: ${path}`, { hint: 'Check the path given to --trace.' });
    if (code === 'EISDIR')
        return new InputError(`trace log is a directory: ${path}`, { hint: 'Give the path of a strace log file.' });
    if (code === 'EACCES')
        return new InputError(`trace log is not readable: ${path}`, { hint: "Check the file's permissions." });
    return new InputError(`could not read trace log ${path}: ${error.message}`);
}
/** A log file that is complete, as the pipeline reads lines. */
const logFile = (path) => (onLine, onChunk) => forEachLine(path, onLine, onChunk);

/**
 * Keeping a long analysis's memory near what it really holds. V8 lets the heap grow
 * past the live data before it collects; between the analysis's phases (the model's
 * state is dropped once the graph is built, the provenance memo once the document is
 * made) a full collection lets the next phase reuse that space (on a 600 000-line log:
 * 408 MB → 325 MB resident at the peak).
 */
let collect;
/** `global.gc`, obtained without a command-line flag; null where the runtime refuses. */
function collector() {
    if (collect !== undefined)
        return collect;
    try {
        setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc');
        collect = typeof gc === 'function' ? gc : null;
    }
    catch {
        collect = null;
    }
    return collect;
}
/** Below this heap size a collection costs more time than the memory is worth. */
const COLLECT_ABOVE_BYTES = 192 * 1024 * 1024;
/** A full collection between two phases of the analysis, on a large heap, when the runtime allows it. */
function collectGarbage() {
    if (process.memoryUsage().heapTotal < COLLECT_ABOVE_BYTES)
        return;
    collector()?.();
}

/**
 * The sources of a run: in a git work tree, the files git tracks, listed before the build
 * starts (a build that writes one modifies a source, whatever it did before). Elsewhere
 * there is no list, and a source is a file of the workspace that existed before the
 * build (the model's judgement).
 */
/** The absolute paths of the tracked files of the work tree that holds `workspace`; undefined when it is not in one (or git is missing). */
function trackedFiles(workspace) {
    const git = (...args) => execFileSync('git', ['-C', workspace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
    let top;
    try {
        if (git('rev-parse', '--is-inside-work-tree').trim() !== 'true')
            return undefined;
        top = git('rev-parse', '--show-toplevel').trim();
    }
    catch {
        return undefined;
    }
    try {
        // -z: names as they are, without quoting; relative to the top of the work tree.
        const names = execFileSync('git', ['-C', top, 'ls-files', '-z'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
            maxBuffer: 1 << 30,
        });
        return new Set(names
            .split('\0')
            .filter((n) => n !== '')
            .map((n) => join(top, n)));
    }
    catch {
        return undefined;
    }
}

/**
 * The strace command line ioana runs (DESIGN §1.1). Pure: builds arrays of strings.
 * Which system calls are traced comes from the one syscall table (src/decode/syscalls.ts).
 */
/**
 * `(opts, ['make', '-j2'])` → `['-f', '-yy', '-qq', …, '-o', LOG, '--', 'make', '-j2']`,
 * the arguments that follow `strace`.
 */
function straceArgs(opts, command) {
    const calls = [...DATAFLOW_SYSCALLS];
    if (opts.probes)
        calls.push(...PROBE_SYSCALLS);
    if (opts.detailed)
        calls.push(...DETAIL_SYSCALLS);
    const args = ['-f', '-yy', '-qq', '-s', String(opts.stringLimit ?? 4096)];
    if (opts.seccomp ?? true)
        args.push('--seccomp-bpf');
    args.push('-E', opts.callerLocale === undefined ? 'LC_ALL' : `LC_ALL=${opts.callerLocale}`);
    args.push('-e', `trace=${calls.join(',')}`, '-o', opts.logPath, '--', ...command);
    return args;
}
/**
 * The environment strace starts with: the caller's, in the C locale (the command gets
 * the caller's locale back through `-E`, see `callerLocale`) and with libuv's io_uring
 * off (its I/O would bypass the traced calls).
 */
function traceEnv(base) {
    return { ...base, LC_ALL: 'C', UV_USE_IO_URING: '0' };
}

/**
 * Before a build is traced: is strace there, which version, may it trace, can it
 * install its seccomp filter? Each failure becomes a TraceSetupError that names the
 * cause and the fix.
 */
const INSTALL_HINT = 'Install strace: `sudo apt-get install -y strace` (Debian, Ubuntu, GitHub runners), `sudo dnf install strace` (Fedora), `apk add strace` (Alpine).';
const PTRACE_HINT = 'strace needs ptrace. In a container, run it with `--cap-add=SYS_PTRACE` (Docker) or `securityContext.capabilities.add: [SYS_PTRACE]` (Kubernetes); ' +
    'on a host with Yama, `kernel.yama.ptrace_scope` must be 0 or 1 (`sudo sysctl kernel.yama.ptrace_scope=1`).';
/** `strace -- version 6.1` → `6.1`; `strace version 4.26` → `4.26`. */
function parseStraceVersion(text) {
    return /strace\s+(?:--\s+)?version\s+(\d+(?:\.\d+)+)/.exec(text)?.[1];
}
/** `('5.2', '5.3')` → -1. */
function compareVersions(a, b) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0)
            return Math.sign(d);
    }
    return 0;
}
/** `--seccomp-bpf` arrived in strace 5.3. Older versions trace without it, more slowly. */
const SECCOMP_MIN_VERSION = '5.3';
/** `-yy` socket endpoints and `-qq` need at least this version. */
const MIN_VERSION = '4.22';
function yamaScope() {
    try {
        return readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim();
    }
    catch {
        return undefined;
    }
}
/**
 * Runs `strace -V`, then traces `true` once with the flags ioana uses. Throws a
 * TraceSetupError when strace is missing, too old or cannot trace.
 */
function preflight(strace = process.env.IOANA_STRACE || 'strace', wantSeccomp = true) {
    const v = spawnSync(strace, ['-V'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    if (v.error) {
        const code = v.error.code;
        if (code === 'ENOENT') {
            throw new TraceSetupError(`strace was not found (looked for "${strace}" on PATH); ioana runs your build under strace.`, {
                hint: INSTALL_HINT,
            });
        }
        throw new TraceSetupError(`could not run ${strace}: ${v.error.message}`, { hint: INSTALL_HINT });
    }
    const version = parseStraceVersion(v.stdout + v.stderr);
    if (!version) {
        throw new TraceSetupError(`"${strace} -V" did not print a strace version; is "${strace}" really strace?`, { hint: INSTALL_HINT });
    }
    if (compareVersions(version, MIN_VERSION) < 0) {
        throw new TraceSetupError(`strace ${version} is too old: ioana needs strace ${MIN_VERSION} or newer (for -yy and -qq).`, {
            hint: INSTALL_HINT,
        });
    }
    const probe = (flags) => spawnSync(strace, ['-f', '-qq', ...flags, '-e', 'trace=execve', '-o', '/dev/null', '--', 'true'], {
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C' },
        timeout: 30_000,
    });
    let seccomp = false;
    let seccompNote;
    if (wantSeccomp && compareVersions(version, SECCOMP_MIN_VERSION) >= 0) {
        const r = probe(['--seccomp-bpf']);
        if (r.status === 0 && !/seccomp/i.test(r.stderr))
            seccomp = true;
        else
            seccompNote = `strace ${version} could not install its seccomp filter (${firstLine(r.stderr) || `exit ${r.status}`}); tracing without it is slower.`;
    }
    else if (wantSeccomp) {
        seccompNote = `strace ${version} has no --seccomp-bpf (it needs ${SECCOMP_MIN_VERSION}); tracing without it is slower.`;
    }
    const r = seccomp ? { status: 0, stderr: '' } : probe([]);
    if (r.status !== 0) {
        const message = firstLine(r.stderr);
        if (/ptrace|Operation not permitted|EPERM/i.test(r.stderr)) {
            const scope = yamaScope();
            const cause = scope === '2' || scope === '3'
                ? `kernel.yama.ptrace_scope is ${scope}`
                : 'the process lacks CAP_SYS_PTRACE or a seccomp/AppArmor profile forbids ptrace (common in containers)';
            throw new TraceSetupError(`strace is not permitted to trace here: ${message} (${cause}).`, { hint: PTRACE_HINT });
        }
        throw new TraceSetupError(`strace could not trace a test command: ${message || `exit status ${r.status}`}.`, { hint: PTRACE_HINT });
    }
    return { path: strace, version, seccomp, seccompNote };
}
function firstLine(text) {
    return ((text ?? '')
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim() ?? '');
}

/**
 * Runs a command under strace (the capture edge: it spawns processes). The build keeps
 * its terminal output; strace writes its log to a file, never to the build's stderr.
 */
const FORWARDED = ['SIGINT', 'SIGTERM'];
/**
 * Runs `strace … -- command` and resolves when it ends. strace exits with the
 * command's status, or dies of the command's signal, so its end is the command's end.
 * SIGINT and SIGTERM sent to ioana are passed on to the whole traced process group.
 */
function runTraced(opts) {
    const env = opts.env ?? process.env;
    const args = straceArgs({ ...opts, seccomp: opts.strace.seccomp, callerLocale: env.LC_ALL }, opts.command);
    return new Promise((resolve, reject) => {
        let interrupted;
        // Its own process group, so that one kill() reaches strace and every tracee; strace
        // run on a command blocks fatal signals itself (-I3) and reports the tracees' ends.
        const child = spawn(opts.strace.path, args, {
            cwd: opts.cwd,
            env: traceEnv(env),
            stdio: opts.stdio ?? 'inherit',
            detached: true,
        });
        const forward = (signal) => {
            interrupted = signal;
            try {
                if (child.pid !== undefined)
                    process.kill(-child.pid, signal);
            }
            catch {
                // The group is already gone: the build ended on its own.
            }
        };
        let detached = false;
        void opts.stop?.then(() => {
            if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
                return;
            detached = true;
            // strace blocks fatal signals while it runs a command (-I3); only SIGKILL stops it.
            child.kill('SIGKILL');
        });
        const handlers = FORWARDED.map((s) => [s, () => forward(s)]);
        for (const [s, h] of handlers)
            process.on(s, h);
        const cleanup = () => {
            for (const [s, h] of handlers)
                process.off(s, h);
        };
        child.on('error', (error) => {
            cleanup();
            reject(error.code === 'ENOENT'
                ? new TraceSetupError(`strace was not found ("${opts.strace.path}").`, { hint: INSTALL_HINT })
                : new TraceSetupError(`could not start strace: ${error.message}`));
        });
        child.on('exit', (exitCode, signal) => {
            cleanup();
            resolve(detached ? { exitCode: null, signal: null, interrupted, detached } : { exitCode, signal, interrupted });
        });
    });
}

/**
 * The trace log as a named pipe (FIFO) in a private directory: strace writes into it
 * and ioana reads it as it comes, so the log never reaches a disk. A build cannot cut
 * the trace by filling the disk for a moment, and no raw log (which holds every
 * argument unredacted) is left behind by a killed run. A copy is written only when one
 * is asked for (`--trace-out`), and a copy that could not be written whole says so.
 *
 * Reading a FIFO without hanging: the reader is opened non-blocking, and ioana holds a
 * writer of its own (close-on-exec, so the build never gets it) until strace has ended;
 * only then can the reader see the end of the log, after everything strace wrote.
 */
/**
 * A FIFO `trace.fifo` in `dir` (a private directory of the run), read as lines;
 * every byte is also written to `copyTo` when given.
 */
function pipeLog(dir, copyTo) {
    const path = join(dir, 'trace.fifo');
    try {
        execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    catch (error) {
        throw new IoanaError(`could not make the trace pipe ${path}: ${error.stderr?.toString().trim() || error.message}`, {
            hint: 'ioana needs mkfifo (coreutils) and a writable temporary directory (TMPDIR).',
        });
    }
    const reader = openSync(path, constants$1.O_RDONLY | constants$1.O_NONBLOCK);
    let guard = openSync(path, constants$1.O_WRONLY | constants$1.O_NONBLOCK);
    let copy = copyTo === undefined ? undefined : openSync(copyTo, 'w', 0o600);
    let problem;
    const tee = (chunk) => {
        if (copy === undefined)
            return;
        try {
            writeSync(copy, chunk, null, 'latin1');
        }
        catch (error) {
            const code = error.code;
            problem = code === 'ENOSPC' ? 'no space left on its disk' : error.message;
            closeSync(copy);
            copy = undefined;
        }
    };
    const source = (onLine, onChunk) => new Promise((resolve, reject) => {
        const splitter = new LineSplitter(onLine);
        const stream = new Socket({ fd: reader, readable: true, writable: false });
        stream.setEncoding('latin1');
        let bytes = 0;
        stream.on('data', (chunk) => {
            bytes += chunk.length;
            tee(chunk);
            splitter.push(chunk);
            onChunk?.({ bytes, lines: splitter.lines });
        });
        stream.on('end', () => {
            splitter.end();
            if (copy !== undefined)
                closeSync(copy);
            copy = undefined;
            resolve();
        });
        stream.on('error', reject);
    });
    return {
        path,
        source,
        writerDone: () => {
            if (guard !== undefined)
                closeSync(guard);
            guard = undefined;
        },
        copyProblem: () => problem,
    };
}

/**
 * Private scratch directories: one per run, mode 0700, named after the ioana process
 * that made it, removed when the run ends. A run killed with SIGKILL cannot remove its
 * own; the next run removes every scratch directory that is provably ioana's (its name,
 * its owner, its marker file) and whose process is gone.
 */
const NAME = /^ioana-(\d+)-[A-Za-z0-9]{6}$/;
const MARKER = '.ioana-scratch';
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
/** Removes the scratch directories of dead ioana processes in `base`; returns their paths. */
function removeLeftovers(base = tmpdir()) {
    const removed = [];
    let names;
    try {
        names = readdirSync(base);
    }
    catch {
        return removed;
    }
    const uid = process.getuid?.();
    for (const name of names) {
        const m = NAME.exec(name);
        if (!m || alive(Number(m[1])))
            continue;
        const dir = join(base, name);
        try {
            const st = lstatSync(dir);
            if (!st.isDirectory() || (uid !== undefined && st.uid !== uid))
                continue;
            lstatSync(join(dir, MARKER));
            rmSync(dir, { recursive: true, force: true });
            removed.push(dir);
        }
        catch {
            // not ours, or gone meanwhile
        }
    }
    return removed;
}
/** A new private scratch directory in `base` (after removing dead runs' leftovers there). */
function scratchDir(base = tmpdir()) {
    removeLeftovers(base);
    const path = mkdtempSync(join(base, `ioana-${process.pid}-`));
    writeFileSync(join(path, MARKER), `${process.pid}\n`, { mode: 0o600 });
    return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A build traced while it is analyzed (the capture edge): strace writes the log into a
 * pipe in a private scratch directory, and the pipeline reads it as it comes. When the
 * build's command exits but processes it started keep running (daemons), tracing stops
 * after a grace period, and the command's own exit status is the build's.
 */
/** How long processes may outlive the build's command before tracing stops. */
const DAEMON_GRACE_MS = 2000;
/** Starts `command` under strace; `copyTo` keeps a copy of the raw log. */
function traceBuild(opts) {
    const scratch = scratchDir();
    let log;
    try {
        log = pipeLog(scratch.path, opts.copyTo);
    }
    catch (error) {
        scratch.remove();
        throw error;
    }
    let root;
    let stopTracing;
    const stop = new Promise((resolve) => (stopTracing = resolve));
    const tracing = runTraced({
        command: opts.command,
        logPath: log.path,
        strace: opts.strace,
        cwd: opts.cwd,
        env: opts.env,
        stop,
        probes: opts.probes,
        detailed: opts.detailed,
    });
    const onRootExit = (status) => {
        root = status;
        setTimeout(stopTracing, opts.graceMs ?? DAEMON_GRACE_MS).unref();
    };
    const ended = tracing.finally(() => log.writerDone());
    const outcome = ended.then((o) => {
        stopTracing();
        if (o.detached && root)
            return {
                exitCode: root.signal ? null : (root.exitCode ?? 0),
                signal: root.signal ?? null,
                interrupted: o.interrupted,
                detached: true,
            };
        return o;
    });
    return {
        source: log.source,
        build: { command: opts.command, outcome },
        hooks: { onRootExit },
        own: [scratch.path],
        copyProblem: () => log.copyProblem(),
        done: () => scratch.remove(),
    };
}

/**
 * Before anything runs: does the command exist and may it be executed? Looked up the
 * way bash looks a command up (a name with a slash is a path, relative to where it
 * runs; any other name is searched along PATH, an empty entry meaning the current
 * directory), so that a typo is one clear line before the build, not strace's
 * message after it.
 */
function executable(path) {
    let st;
    try {
        st = statSync(path);
    }
    catch {
        return 'missing';
    }
    if (st.isDirectory())
        return 'directory';
    try {
        accessSync(path, constants$1.X_OK);
        return 'ok';
    }
    catch {
        return 'not-executable';
    }
}
/** `make` → `/usr/bin/make`; `./build.sh` → `/w/build.sh`. Throws a UsageError naming the problem. */
function resolveCommand(name, cwd, env = process.env) {
    if (name === '')
        throw new UsageError('the command to run is empty.', { hint: 'Give the command after "--", e.g. `-- make -j2`.' });
    if (name.includes('/')) {
        const path = resolve(cwd, name);
        const state = executable(path);
        if (state === 'ok')
            return path;
        const why = state === 'missing' ? 'does not exist' : state === 'directory' ? 'is a directory' : 'is not executable (no x permission)';
        throw new UsageError(`cannot run ${name}: ${path} ${why}.`, {
            hint: state === 'not-executable'
                ? `Make it executable (chmod +x ${name}) or run it through its interpreter (e.g. -- bash ${name}).`
                : 'Check the path of the command after "--".',
        });
    }
    let found;
    for (const dir of (env.PATH ?? '').split(delimiter)) {
        const path = resolve(cwd, dir || '.', name);
        const state = executable(path);
        if (state === 'ok')
            return path;
        if (state === 'not-executable')
            found ??= path;
    }
    if (found)
        throw new UsageError(`cannot run ${name}: ${found} is not executable.`, {
            hint: `Make it executable (chmod +x ${found}), or fix PATH.`,
        });
    throw new UsageError(`command not found: ${name} (looked along PATH).`, {
        hint: 'Check the spelling, install it, or give its path (e.g. -- ./build.sh).',
    });
}

/**
 * What `check`, `update` and `explain` share (the CLI's edge): the configuration, the
 * run's context read from this machine, every path and the command checked before
 * anything runs, and the log's lines, from a recorded file or from strace as it writes.
 */
/** `--config FILE`, else `.ioana.yml` in the workspace when it exists, else the defaults. */
function loadConfig(opts) {
    return loadConfigFile(opts.config ? resolve(opts.config) : join(opts.workspace, DEFAULT_CONFIG_FILE), opts.config !== undefined);
}
/** This machine's roots and secrets, with the run's workspace and ioana's own files of the run. */
function runContext(opts, run) {
    return {
        workspace: opts.workspace,
        roots: machineRoots(),
        redactor: environmentRedactor(),
        control: opts.control,
        own: run?.own,
        sources: run?.sources,
    };
}
/**
 * Everything that can be checked before the build runs, so that a mistake costs no
 * build: the command exists and may run, the log's directory exists.
 */
function preflightRun(opts) {
    if (opts.trace !== undefined)
        return;
    if (!existsSync(opts.cwd))
        throw new UsageError(`directory not found: ${opts.cwd}`, {
            hint: 'The command runs in the workspace (or --cwd, relative to it): give an existing directory.',
        });
    assertWritable('trace-out', opts.traceOut);
    resolveCommand(opts.command[0], opts.cwd);
}
/** Starts the command under strace (or opens `--trace LOG`); the pipeline reads the lines. */
function startRun(opts, io) {
    const progress = progressLine(io);
    const hooks = { onProgress: progress.onProgress, betweenPhases: collectGarbage };
    if (opts.trace !== undefined) {
        return { source: logFile(resolve(opts.trace)), hooks, logName: opts.trace, sources: trackedFiles(opts.workspace), done: progress.done };
    }
    const strace = preflight(undefined, opts.seccomp);
    if (strace.seccompNote && !opts.quiet)
        io.err(`ioana: note: ${strace.seccompNote}\n`);
    // The analysis reads the log while strace writes it: the check ends soon after the build.
    const copy = opts.traceOut === undefined ? undefined : resolve(opts.traceOut);
    const sources = trackedFiles(opts.workspace);
    const tracing = traceBuild({ command: opts.command, cwd: opts.cwd, strace, copyTo: copy, probes: opts.probes, detailed: opts.detailed });
    return {
        source: tracing.source,
        build: tracing.build,
        hooks: { ...hooks, ...tracing.hooks },
        logName: copy ?? 'the trace',
        own: tracing.own,
        sources,
        done: () => {
            progress.done();
            tracing.done();
            const problem = tracing.copyProblem();
            if (problem)
                io.err(`ioana: warning: the copy of the log in ${copy} is incomplete (${problem}); the analysis read the whole log.\n`);
        },
    };
}
/** Says when tracing stopped while processes the build started kept running (daemons). */
function noteDetached(result, io) {
    if (!result.outcome?.detached)
        return;
    const n = result.run.analysis.dataflow.stats.stillRunning;
    io.err(`ioana: the command exited but ${n} process(es) it started were still running ${DAEMON_GRACE_MS / 1000} s later; tracing stopped and they were left running.\n`);
}
/** Runs `fn` on a started run and cleans up after it, whatever happens. */
async function withRun(opts, io, fn) {
    const run = startRun(opts, io);
    try {
        return await fn(run);
    }
    finally {
        run.done();
    }
}
/**
 * The `ioana update` command that records what this check saw, with the same options;
 * credentials in the command are redacted like everything else ioana prints.
 */
function acceptFor(opts) {
    return environmentRedactor().text(acceptCommand({
        program: 'ioana',
        baseline: opts.baseline,
        config: opts.config,
        workspace: opts.workspaceArg,
        cwd: opts.cwdArg,
        trace: opts.trace,
        command: opts.command,
    }));
}

/**
 * `ioana check`: trace (or read) a build and compare it with the baseline, through the
 * one pipeline (`check`). The baseline, the configuration and every path are read and
 * checked before the build runs: a mistake there costs nothing and writes nothing.
 */
/** The report where the options say: a JSON file, and standard output as text or JSON. */
function emitReport(report, opts, io, accept) {
    const json = JSON.stringify(report, null, 2) + '\n';
    if (opts.json !== undefined && opts.json !== STDOUT)
        writeOutput(opts.json, json, io);
    if (opts.format === 'json')
        io.out(json);
    else
        io.out(renderText(report, { color: useColor(), quiet: opts.quiet, accept }));
}
/** The exit status of a check: interrupted (130/143), the build failed (3), failing findings (1), or 0. */
function checkStatus(report, outcome) {
    if (outcome?.interrupted)
        return signalExit(outcome.interrupted);
    if (report.status === 'build-failed')
        return EXIT.buildFailed;
    return report.failing > 0 ? EXIT.findings : EXIT.ok;
}
async function checkCommand(opts, io) {
    assertWritable('json', opts.json);
    const config = loadConfig(opts);
    const baseline = loadBaselineFile(resolve(opts.baseline));
    if (!baseline)
        throw new UsageError(`baseline not found: ${resolve(opts.baseline)}`, {
            hint: `Record one first, from a clean tree: ${acceptFor(opts)}`,
        });
    preflightRun(opts);
    const result = await withRun(opts, io, (run) => check({
        source: run.source,
        build: run.build,
        hooks: run.hooks,
        logName: run.logName,
        context: runContext(opts, run),
        config,
        baseline,
        baselineName: opts.baseline,
    }));
    noteDetached(result, io);
    emitReport(result.report, opts, io, acceptFor(opts));
    return checkStatus(result.report, result.outcome);
}

const traceOptions = {
    'no-seccomp': { takesValue: false, help: 'trace without --seccomp-bpf (slower; keeps daemons the build leaves running alive)' },
    probes: { takesValue: false, help: 'also trace stat/access probes (what the build looked for)' },
    detailed: { takesValue: false, help: 'also trace read/write calls (slower)' },
};
const checkOptions = {
    baseline: { takesValue: true, valueName: 'FILE', help: 'the baseline file (required)' },
    config: { takesValue: true, valueName: 'FILE', help: 'the configuration (default: .ioana.yml in the workspace, if any)' },
    trace: { takesValue: true, valueName: 'LOG', help: 'analyze this strace log instead of running a command' },
    'trace-out': { takesValue: true, valueName: 'LOG', help: 'keep the raw strace log here (it holds every argument unredacted)' },
    workspace: { takesValue: true, valueName: 'DIR', help: 'the repository root (default: the current directory)' },
    cwd: { takesValue: true, valueName: 'DIR', help: 'where the command runs, relative to the workspace (default: the workspace)' },
    provenance: { takesValue: true, valueName: 'MODE', help: 'data (default) or control' },
    quiet: { takesValue: false, help: 'print only the closing line (and errors)' },
    ...traceOptions,
};
const reportOptions$1 = {
    json: { takesValue: true, valueName: 'FILE', help: 'also write the report as JSON (- for standard output)' },
    format: { takesValue: true, valueName: 'FORMAT', help: 'what goes to standard output: text (default) or json' },
};
const COMMANDS = {
    check: {
        summary: 'trace a build and report what changed against the baseline',
        usage: 'ioana check --baseline FILE [--config FILE] [--json FILE|-] [--format text|json] [--quiet] [--trace-out LOG] (-- COMMAND... | --trace LOG)',
        takesCommand: true,
        options: { ...checkOptions, ...reportOptions$1 },
    },
    update: {
        summary: 'trace a clean build and record it into the baseline',
        usage: 'ioana update --baseline FILE [--config FILE] [--runs N --clean CMD] [--fresh] [--force] (-- COMMAND... | --trace LOG)',
        takesCommand: true,
        options: {
            ...checkOptions,
            runs: { takesValue: true, valueName: 'N', help: 'record N clean runs (entries not seen in all of them are tolerated when absent)' },
            clean: { takesValue: true, valueName: 'CMD', help: 'run by sh before each run, to make the tree clean (needed with --runs)' },
            fresh: { takesValue: false, help: 'start a new baseline instead of merging into the existing one' },
            force: { takesValue: false, help: 'record even a run the guard refuses (no outputs, not a strace log, most entries missing)' },
        },
    },
    diff: {
        summary: 'compare two baselines',
        usage: 'ioana diff OLD.yml NEW.yml [--config FILE] [--json FILE|-] [--format text|json] [--quiet]',
        takesCommand: false,
        positionals: { min: 2, max: 2, names: 'two baseline files (OLD NEW)' },
        options: {
            config: checkOptions.config,
            workspace: checkOptions.workspace,
            quiet: checkOptions.quiet,
            ...reportOptions$1,
        },
    },
    explain: {
        summary: 'show which rules turned a path into its canonical form',
        usage: 'ioana explain --trace LOG [--workspace DIR] [--config FILE] PATH',
        takesCommand: false,
        positionals: { min: 1, max: 1, names: 'a PATH (raw or canonical)' },
        options: { trace: checkOptions.trace, workspace: checkOptions.workspace, config: checkOptions.config },
    },
    trace: {
        summary: 'run a command under strace and keep the raw log',
        usage: 'ioana trace --out LOG [--no-seccomp] [--probes] [--detailed] -- COMMAND...',
        takesCommand: true,
        options: {
            out: { takesValue: true, valueName: 'LOG', help: 'where strace writes its log (required)' },
            ...traceOptions,
        },
    },
    graph: {
        summary: 'print the dataflow graph of a strace log',
        usage: 'ioana graph --trace LOG [--workspace DIR] [--format json|yaml|mermaid|dot] [--verbose]',
        takesCommand: false,
        options: {
            trace: { takesValue: true, valueName: 'LOG', help: 'the strace log to read (required)' },
            workspace: { takesValue: true, valueName: 'DIR', help: 'the repository root (default: the current directory)' },
            format: { takesValue: true, valueName: 'FORMAT', help: 'json (default), yaml, mermaid or dot' },
            provenance: { takesValue: true, valueName: 'MODE', help: 'data (default) or control: whether spawning passes inputs on' },
            verbose: { takesValue: false, help: 'list unparsed lines, with their numbers, on stderr' },
            'parse-only': { takesValue: false, help: 'only parse the log and print its statistics (measures the parser alone)' },
        },
    },
};

/** `ioana diff OLD NEW`: what changed between two baselines, as findings. */
async function diffCommand(opts, io) {
    assertWritable('json', opts.json);
    const config = loadConfig(opts);
    const [older, newer] = [opts.older, opts.newer].map((p) => {
        const b = loadBaselineFile(resolve(p));
        if (!b)
            throw new UsageError(`baseline not found: ${resolve(p)}`);
        return b;
    });
    const findings = diff(older.baseline, graphOf(newer.baseline), config, older.lines);
    const report = buildReport({ findings, failed: false, baseline: opts.older, stats: {} });
    emitReport(report, opts, io);
    return report.failing > 0 ? EXIT.findings : EXIT.ok;
}

/** `ioana explain --trace LOG PATH`: the raw forms of PATH and the rules that made it canonical. */
async function explainCommand(opts, io) {
    const asked = opts.path;
    // What is printed is escaped for the terminal, and credentials in it (a file named after a token) redacted.
    const redactor = environmentRedactor();
    const terminal$1 = (text) => terminal(redactor.text(text));
    const config = loadConfig(opts);
    const { run } = await withRun(opts, io, (log) => runLog({ source: log.source, build: log.build, hooks: log.hooks, context: runContext(opts, log), config }));
    const rawAsked = resolve(opts.workspace, asked);
    const hits = [...run.canonical.explanations.entries()].filter(([raw, steps]) => {
        const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
        return raw === asked || raw === rawAsked || final === asked;
    });
    if (hits.length === 0) {
        io.err(`ioana: ${terminal$1(asked)} is not an input, output, program or endpoint of this trace (neither raw nor canonical).\n`);
        return EXIT.findings;
    }
    for (const [raw, steps] of hits.sort(([a], [b]) => (a < b ? -1 : 1))) {
        const final = steps.length > 0 ? steps[steps.length - 1].after : raw;
        io.out(`${terminal$1(raw)}\n`);
        if (steps.length === 0)
            io.out('  (no rule applies: the raw form is canonical)\n');
        for (const s of steps)
            io.out(`  ${terminal$1(s.rule.padEnd(16))} ${terminal$1(s.before)}  →  ${terminal$1(s.after)}\n`);
        io.out(`  = ${terminal$1(final)}\n`);
    }
    return EXIT.ok;
}

/** `ioana graph --trace LOG`: the dataflow graph of a log, as JSON, YAML, Mermaid or DOT. */
/** `--verbose`: every unparsed line kept, with its number, on stderr. */
function reportUnparsed(opts, parsed, io) {
    if (!opts.verbose)
        return;
    for (const u of parsed.unparsed)
        io.err(`${terminal(opts.trace)}:${u.line}: unparsed (${terminal(u.reason)}): ${terminal(u.text)}\n`);
    if (parsed.stats.unparsed > parsed.unparsed.length) {
        io.err(`${opts.trace}: … and ${parsed.stats.unparsed - parsed.unparsed.length} more unparsed lines\n`);
    }
}
async function graphCommand(opts, io) {
    const source = logFile(opts.trace);
    if (opts.parseOnly) {
        const parsed = await parseLog(source);
        reportUnparsed(opts, parsed, io);
        io.out(JSON.stringify({ stats: parsed.stats }, null, 2) + '\n');
        return EXIT.ok;
    }
    const analysis = await analyzeLog(source, { betweenPhases: collectGarbage });
    reportUnparsed(opts, analysis, io);
    const draw = { workspace: opts.workspace, control: opts.control, redactor: environmentRedactor() };
    const sets = horizonSets(analysis.graph, draw);
    if (opts.format === 'mermaid') {
        io.out(toMermaid(analysis.graph, sets, draw));
        return EXIT.ok;
    }
    if (opts.format === 'dot') {
        io.out(toDot(analysis.graph, sets, draw));
        return EXIT.ok;
    }
    const doc = graphDocument(analysis.graph, draw, sets);
    collectGarbage();
    const m = analysis.dataflow.stats;
    const p = analysis.stats;
    const out = {
        inputs: doc.inputs,
        outputs: doc.outputs,
        programs: doc.programs,
        endpoints: doc.endpoints,
        temporaries: doc.temporaries,
        // In this order (the document's layout): the parser's counts, with the model's
        // processes (thread groups) where the parser's pids would be, then the model's.
        stats: {
            lines: p.lines,
            blank: p.blank,
            unparsed: p.unparsed,
            syscalls: p.syscalls,
            processes: m.processes,
            signals: p.signals,
            messages: p.messages,
            dumps: p.dumps,
            resumed: p.resumed,
            orphanResumed: p.orphanResumed,
            incomplete: p.incomplete,
            threads: p.pids,
            images: m.images,
            execs: m.execs,
            failedExecs: m.failedExecs,
            probes: m.probes,
            orphanProcesses: m.orphanProcesses,
            ioUring: m.ioUring,
        },
        figures: doc.figures,
    };
    io.out(opts.format === 'yaml' ? distExports.stringify(out) : JSON.stringify(out, null, 2) + '\n');
    return EXIT.ok;
}

/**
 * The command line, read once into typed options per command: every value checked
 * here (formats, numbers, the one-source rule), so that commands and the pipeline never
 * go back to the words the user typed.
 */
function required(args, name) {
    const value = optionValue(args, name);
    if (value === undefined || value === '') {
        throw new UsageError(`"ioana ${args.command}" needs --${name}.`, { hint: `usage: ${COMMANDS[args.command].usage}` });
    }
    return value;
}
function oneOf(args, name, allowed, fallback, hint) {
    const value = optionValue(args, name) ?? fallback;
    if (!allowed.includes(value))
        throw new UsageError(`unknown --${name} "${value}".`, { hint });
    return value;
}
/**
 * The workspace: `--workspace`, else the current directory, with symlinks resolved
 * (strace reports real paths). A recorded log may come from a machine where the
 * directory does not exist here: then the path is taken as given.
 */
function workspaceOf(args) {
    const dir = resolve(optionValue(args, 'workspace') ?? process.cwd());
    try {
        return realpathSync(dir);
    }
    catch {
        return dir;
    }
}
const traceFlags = (args) => ({
    seccomp: !args.flags.has('no-seccomp'),
    probes: args.flags.has('probes'),
    detailed: args.flags.has('detailed'),
});
function runOptions(args) {
    const trace = optionValue(args, 'trace');
    if (trace !== undefined && args.run.length > 0)
        throw new UsageError('give either --trace LOG or a command after "--", not both.');
    if (trace === undefined && args.run.length === 0)
        throw new UsageError(`"ioana ${args.command}" needs a command after "--" or --trace LOG.`, {
            hint: `usage: ${COMMANDS[args.command].usage}`,
        });
    const traceOut = optionValue(args, 'trace-out');
    if (traceOut === STDOUT)
        throw new UsageError('--trace-out needs a file: strace writes its log there.', { hint: 'Give a path such as build.strace.' });
    const workspace = workspaceOf(args);
    const provenance = oneOf(args, 'provenance', ['data', 'control'], 'data', 'Use "data" (spawning passes nothing on) or "control".');
    return {
        ...traceFlags(args),
        workspace,
        workspaceArg: optionValue(args, 'workspace'),
        config: optionValue(args, 'config'),
        command: args.run,
        trace,
        traceOut,
        cwd: resolve(workspace, optionValue(args, 'cwd') ?? '.'),
        cwdArg: optionValue(args, 'cwd'),
        control: provenance === 'control',
        quiet: args.flags.has('quiet'),
    };
}
function reportOptions(args) {
    const json = optionValue(args, 'json');
    const format = oneOf(args, 'format', ['text', 'json'], json === STDOUT ? 'json' : 'text', 'Formats: text, json.');
    return { json, format, quiet: args.flags.has('quiet') };
}
/** argv → the command and its typed options; a UsageError for anything wrong. */
function readCommandLine(argv) {
    const args = parseArgs(argv, COMMANDS);
    switch (args.command) {
        case 'check':
            return { command: 'check', options: { ...runOptions(args), ...reportOptions(args), baseline: required(args, 'baseline') } };
        case 'update': {
            const baseline = required(args, 'baseline');
            const run = runOptions(args);
            const runs = Number(optionValue(args, 'runs') ?? '1');
            if (!Number.isInteger(runs) || runs < 1 || runs > 100)
                throw new UsageError(`--runs must be a whole number from 1 to 100, not "${optionValue(args, 'runs')}".`);
            const clean = optionValue(args, 'clean');
            if (runs > 1 && run.trace !== undefined)
                throw new UsageError('--runs needs a command to run; a --trace log is one run.');
            if (runs > 1 && !clean)
                throw new UsageError('--runs N needs --clean CMD, the command that makes the tree clean before each run (e.g. "make clean").');
            return {
                command: 'update',
                options: { ...run, baseline, runs, clean, fresh: args.flags.has('fresh'), force: args.flags.has('force') },
            };
        }
        case 'diff':
            return {
                command: 'diff',
                options: {
                    ...reportOptions(args),
                    older: args.positionals[0],
                    newer: args.positionals[1],
                    workspace: workspaceOf(args),
                    config: optionValue(args, 'config'),
                },
            };
        case 'explain':
            required(args, 'trace');
            return { command: 'explain', options: { ...runOptions(args), path: args.positionals[0] } };
        case 'graph':
            return {
                command: 'graph',
                options: {
                    trace: required(args, 'trace'),
                    workspace: workspaceOf(args),
                    format: oneOf(args, 'format', ['json', 'yaml', 'mermaid', 'dot'], 'json', 'Formats: json, yaml, mermaid, dot.'),
                    control: oneOf(args, 'provenance', ['data', 'control'], 'data', 'Use "data" (spawning passes nothing on) or "control".') ===
                        'control',
                    verbose: args.flags.has('verbose'),
                    parseOnly: args.flags.has('parse-only'),
                },
            };
        case 'trace': {
            const out = required(args, 'out');
            if (args.run.length === 0)
                throw new UsageError('"ioana trace" needs a command to run after "--".', { hint: `usage: ${COMMANDS.trace.usage}` });
            if (out === STDOUT)
                throw new UsageError('--out needs a file: strace writes its log there.', { hint: 'Give a path such as build.strace.' });
            return { command: 'trace', options: { ...traceFlags(args), out, command: args.run } };
        }
        default:
            throw new UsageError(`unknown command "${args.command}".`);
    }
}

/** `ioana trace --out LOG -- COMMAND...`: only run the command under strace and keep the raw log. */
async function traceCommand(opts, io) {
    assertWritable('out', opts.out);
    resolveCommand(opts.command[0], process.cwd());
    const strace = preflight(undefined, opts.seccomp);
    if (strace.seccompNote)
        io.err(`ioana: note: ${strace.seccompNote}\n`);
    const tracing = traceBuild({
        command: opts.command,
        cwd: process.cwd(),
        strace,
        copyTo: opts.out,
        probes: opts.probes,
        detailed: opts.detailed,
    });
    let lines = 0;
    let outcome;
    try {
        [, outcome] = await Promise.all([tracing.source(() => void lines++), tracing.build.outcome]);
    }
    finally {
        tracing.done();
    }
    const problem = tracing.copyProblem();
    if (problem)
        throw new IoanaError(`the log ${opts.out} is incomplete: ${problem}.`, {
            hint: 'Free some space there, or give --out a disk with room.',
        });
    if (lines === 0) {
        throw new TraceSetupError(`strace could not start ${JSON.stringify(opts.command[0])} (strace: ${describeOutcome(outcome)}); its own message is above.`, {
            hint: 'Check that the command exists and may be executed here.',
        });
    }
    if (outcome.exitCode !== 0)
        io.err(`ioana: the traced command failed: ${describeOutcome(outcome)}; the log is in ${opts.out}\n`);
    if (outcome.interrupted)
        return signalExit(outcome.interrupted);
    if (outcome.signal)
        return signalExit(outcome.signal);
    return outcome.exitCode ?? 1;
}

/**
 * `ioana update`: trace a build (or read a log) and record it into the baseline,
 * merged into what the file holds, under its lock. Every path, the command and the
 * existing baseline are checked before the build runs; a run that would weaken the
 * baseline is refused unless `--force`.
 */
async function updateCommand(opts, io) {
    const config = loadConfig(opts);
    // An unreadable baseline is never overwritten, not even with --fresh: checked now,
    // before the build, and again under the lock before writing.
    loadBaselineFile(resolve(opts.baseline));
    assertWritable('baseline', opts.baseline);
    preflightRun(opts);
    const recorded = [];
    for (let i = 0; i < opts.runs; i++) {
        if (opts.clean) {
            const r = spawnSync('sh', ['-c', opts.clean], { cwd: opts.workspace, stdio: 'inherit' });
            if (r.status !== 0)
                throw new IoanaError(`the clean command failed (${r.status ?? r.signal}): ${opts.clean}`, { hint: 'Nothing was written.' });
        }
        const result = await withRun(opts, io, (log) => runLog({ source: log.source, build: log.build, hooks: log.hooks, context: runContext(opts, log), config }));
        const { run, outcome } = result;
        noteDetached(result, io);
        if (outcome?.interrupted) {
            io.err(`ioana: interrupted (${outcome.interrupted}); the baseline was not changed.\n`);
            return signalExit(outcome.interrupted);
        }
        if (outcome && !succeeded(outcome)) {
            io.err(`ioana: the build failed (${describeOutcome(outcome)}); the baseline was not changed.\n`);
            return EXIT.buildFailed;
        }
        recorded.push({ graph: run.canonical.graph, facts: runFacts(run.analysis) });
    }
    // Merged into what the file holds now: another ioana may have written it meanwhile.
    const result = recordRuns(resolve(opts.baseline), recorded, { fresh: opts.fresh, force: opts.force, shown: opts.baseline });
    if (!opts.quiet)
        io.err(`ioana: ${describeWrite(opts.baseline, result)}.\n`);
    return EXIT.ok;
}

/**
 * The `ioana` command line: parses arguments, runs one command, and is the one place
 * that turns errors into messages and exit statuses.
 */
const EXIT_STATUS_HELP = [
    'Exit status: 0 clean (no failing findings), 1 failing findings, 2 usage, configuration, baseline',
    'or strace error (nothing was written), 3 the traced command failed, 130/143 interrupted by SIGINT/SIGTERM.',
].join('\n');
function usageText() {
    const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
    return [
        'ioana — what your build reads, writes, runs and connects to, and what changed',
        '',
        'usage: ioana COMMAND [options] [-- COMMAND...]',
        '',
        ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width + 2)}${c.summary}`),
        '',
        "Run `ioana help COMMAND` (or `ioana COMMAND --help`) for a command's options.",
        EXIT_STATUS_HELP,
        '',
    ].join('\n');
}
function help(topic, io) {
    if (topic === undefined) {
        io.out(usageText());
        return EXIT.ok;
    }
    const spec = COMMANDS[topic];
    if (!spec)
        throw unknownCommand(topic, COMMANDS);
    io.out(`${commandHelp(topic, spec)}\n\n${EXIT_STATUS_HELP}\n`);
    return EXIT.ok;
}
async function main(argv, io = processConsole) {
    try {
        if (argv.length === 0) {
            io.err(usageText());
            return EXIT.usage;
        }
        if (argv[0] === '--help' || argv[0] === '-h')
            return help(undefined, io);
        if (argv[0] === 'help')
            return help(argv[1], io);
        if (argv[0] === '--version' || argv[0] === '-V') {
            io.out(`ioana ${ioanaVersion()}\n`);
            return EXIT.ok;
        }
        const dashes = argv.indexOf('--');
        const ours = dashes < 0 ? argv.slice(1) : argv.slice(1, dashes);
        if (COMMANDS[argv[0]] && ours.some((a) => a === '--help' || a === '-h'))
            return help(argv[0], io);
        const call = readCommandLine(argv);
        switch (call.command) {
            case 'trace':
                return await traceCommand(call.options, io);
            case 'graph':
                return await graphCommand(call.options, io);
            case 'check':
                return await checkCommand(call.options, io);
            case 'update':
                return await updateCommand(call.options, io);
            case 'diff':
                return await diffCommand(call.options, io);
            case 'explain':
                return await explainCommand(call.options, io);
            default: {
                const never = call;
                throw new Error(`cli/main: unhandled command ${JSON.stringify(never)}`);
            }
        }
    }
    catch (error) {
        io.err(`ioana: ${describeError(error)}\n`);
        return error instanceof IoanaError ? error.exitCode : EXIT.usage;
    }
}

/** The `ioana` executable (dist/cli.js). */
// `ioana graph … | head`: a reader that stops early is not an error.
process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE')
        process.exit(process.exitCode ?? 0);
    throw error;
});
main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
}, (error) => {
    process.stderr.write(`ioana: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
});
