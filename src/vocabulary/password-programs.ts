/**
 * Programs that take a password through options of their own (`mysql -pX`, `sshpass -p X`,
 * `docker login -p X`, `curl -u user:pw`), as arguments and as commands in a script; and
 * the shell word the script rules read a value as.
 */
import { TOKEN } from './tokens.js';

const R = TOKEN.redacted;

/** A shell word, quoted parts and plain characters: `hunter2`, `'a b'`, `"$PW"`, `pa'ss'`; an unclosed quote runs to the end (strace cuts long strings). */
export const WORD = String.raw`(?:[^\s'";&|<>()]|'[^']*'?|"[^"]*"?)+`;

/** `user:pw` → `user:{redacted}`, `'user:p w'` → `'user:{redacted}'`; a user alone (curl asks for the password) stays. */
export function userPassword(value: string): string {
  const m = /^(['"]?)([^:'"]*:)(.+)$/s.exec(value);
  if (!m) return value;
  const [, quote, user, password] = m;
  return quote + user + R + (quote && password.length > 1 && password.endsWith(quote) ? quote : '');
}

/** How a program takes a password through its own options. */
export interface PasswordProgram {
  /** Program names, also as the last component of a path. */
  readonly names: readonly string[];
  /**
   * `-pX` is a password. `glued-or-next`: `-p X` too (`sshpass -p X`). `glued`: `-p` alone
   * asks for one, but a word after it is taken for a password given the wrong way
   * (`mysql -u root -p hunter2 db`, a common mistake; MySQL reads it as the database).
   */
  readonly p?: 'glued' | 'glued-or-next';
  /** `-u user:pw`, `--user user:pw`, `-U`/`--proxy-user` (curl): the part after the first colon. */
  readonly user?: boolean;
  /** `--password` alone asks for the password (psql's `-W`): the next argument is not one. */
  readonly prompts?: boolean;
  /** Only after this subcommand: `docker login -p X`, while `docker run -p 8080:80` publishes a port. */
  readonly after?: string;
  /** A wrapper (`sshpass -p X ssh -p 22 host`): its options end where its command starts. */
  readonly wraps?: boolean;
}

const MYSQL = ['mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'mariadb-dump', 'mysqlimport', 'mysqlshow'];

const PASSWORD_PROGRAMS: readonly PasswordProgram[] = [
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
const programName = (names: readonly string[]): RegExp => new RegExp(`(^|/)(${names.join('|')})$`);

const PROGRAM_NAMES = PASSWORD_PROGRAMS.map((p) => ({ program: p, name: programName(p.names) }));

/** `/usr/bin/curl` → curl's entry; `cc` → undefined. */
export const passwordProgram = (arg: string): PasswordProgram | undefined => PROGRAM_NAMES.find((p) => p.name.test(arg))?.program;

/** A program as a command of a script: `mysql`, `/usr/bin/mysql`, `sudo mysql`; not `-I/usr/include/mysql`. */
const command = (p: PasswordProgram): string =>
  String.raw`(?<=^|[\s;&|(\x60'"])(?:[^\s;&|'"\x60-][^\s;&|'"\x60]*/)?(?:${p.names.join('|')})(?=[ \t])` +
  (p.after ? String.raw`[^;&|\n]{0,200}?[ \t]${p.after}(?=[ \t])` : '');

/**
 * The rest of the command up to an option, within one command of the script (`a; b`,
 * `a | b`, `a && b`). Bounded: every mention of the program starts a search, and a
 * thousand characters of options is more than a command has (`mysql mysql mysql …` would
 * otherwise take quadratic time).
 */
const IN_COMMAND = String.raw`[^;&|\n]{0,1000}?[ \t]`;

interface ScriptRule {
  /** The program's names followed by a blank: cheap to look for, and most strings have none. */
  readonly hint: RegExp;
  readonly rule: RegExp;
  readonly redact: (all: string, head: string, value: string) => string;
}

/** Passwords in scripts (`sh -c '… mysql -psecret …'`), program by program. */
export const SCRIPT_RULES: readonly ScriptRule[] = PASSWORD_PROGRAMS.flatMap((p) => {
  const hint = new RegExp(`(?:${p.names.join('|')})[ \\t]`);
  const head = (_: string, h: string) => h + R;
  const rules: ScriptRule[] = [];
  if (p.p === 'glued')
    rules.push({ hint, rule: new RegExp(`(${command(p)}${IN_COMMAND}-p(?:[ \\t]+(?!-))?)(${WORD})`, 'g'), redact: head });
  if (p.p === 'glued-or-next') rules.push({ hint, rule: new RegExp(`(${command(p)}${IN_COMMAND}-p[ \\t]*)(${WORD})`, 'g'), redact: head });
  if (p.user) {
    const user = String.raw`(?:-[uU][ \t]*|--(?:proxy-)?user(?:[ \t]+|=))`;
    const rule = new RegExp(`(${command(p)}${IN_COMMAND}${user})(${WORD})`, 'g');
    rules.push({ hint, rule, redact: (_, h, value) => h + userPassword(value) });
  }
  return rules;
});
