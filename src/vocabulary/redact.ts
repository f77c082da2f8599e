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
import { passwordProgram, SCRIPT_RULES, userPassword, WORD } from './password-programs.js';
import { isSecretName } from './secret-names.js';
import { TOKEN } from './tokens.js';

const R = TOKEN.redacted;

/**
 * Known token formats, a vendor prefix and a length each: `ghp_…`, `AKIA…`, `eyJ….eyJ….…` → `{redacted}`.
 * Lengths are minimums where the vendor may lengthen its tokens, exact where gitleaks has
 * them exact and a prefix alone would be common (`ASIAPACIFIC…` is not an AWS key).
 */
const TOKEN_FORMATS = new RegExp(
  [
    String.raw`gh[pousr]_[A-Za-z0-9]{20,}`, // GitHub personal, OAuth, user-to-server, server-to-server, refresh (36 today)
    String.raw`github_pat_[A-Za-z0-9]{20,}_[A-Za-z0-9]{40,}`, // GitHub fine-grained (22_59 today)
    String.raw`(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])`, // AWS access key id
    String.raw`xox[abeoprs]-(?=[A-Za-z0-9-]{0,20}\d)[A-Za-z0-9-]{10,}`, // Slack bot, user, workspace, refresh…: numbered segments
    String.raw`xapp-\d-[A-Za-z0-9-]{10,}`, // Slack app-level
    String.raw`[rs]k_(?:live|test)_[A-Za-z0-9]{20,}`, // Stripe secret and restricted keys (pk_ keys are public)
    String.raw`AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`, // Google API key, 39 characters
    String.raw`npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, // npm
    String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_=-]*`, // JWT: `{"` header, `{"` payload, signature (empty for alg none)
  ].join('|'),
  'g',
);

/**
 * `-----BEGIN RSA PRIVATE KEY-----\nMII…\n-----END RSA PRIVATE KEY-----` →
 * `-----BEGIN RSA PRIVATE KEY-----{redacted}-----END RSA PRIVATE KEY-----`, with real or
 * escaped newlines. A block without its end (strace cut it) goes up to its closing quote, or the end.
 */
const PRIVATE_KEY_BLOCK =
  /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)(?:[^'"]*?(-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)|[^'"]*)/g;

/** `Authorization: Bearer ` (any scheme, which stays) or `Authorization: ` (none). */
const AUTHORIZATION = String.raw`(?:Proxy-)?Authorization\s*:\s*(?:[A-Za-z]{2,20}\s+(?=[^\s'"]))?`;

/** `X-Api-Key: `, `Private-Token: `, `Cookie: `: headers that are all credential. */
const CREDENTIAL_HEADER = String.raw`(?:(?:X-)?(?:Api-?Key|Api-Token|Auth-Token|Access-Token)|Private-Token|Job-Token|Deploy-Token|(?:Set-)?Cookie)\s*:\s*`;

/**
 * `Authorization: Bearer abc` → `Authorization: Bearer {redacted}`, `Cookie: sid=abc` →
 * `Cookie: {redacted}`: the credential goes, however short, up to the end of the header
 * or (in a script) its closing quote. A header starts a word (`-H 'X-Auth-Token: …'`,
 * `extraheader=AUTHORIZATION: …`), so `https://x-access-token:…@` is a URL.
 */
const HEADER = new RegExp(String.raw`(?<![^\s'"=,;])(${AUTHORIZATION}|${CREDENTIAL_HEADER})[^'"\r\n]+`, 'gi');

/** A header that is a whole argument (`curl -H 'Authorization: Digest a="b"'`): the rest is its value, quotes and all. */
const HEADER_ARGUMENT = new RegExp(String.raw`^(${AUTHORIZATION}|${CREDENTIAL_HEADER})(?=.)`, 'is');

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
const SECRET_OPTION = String.raw`--?(?!no-|ask-)(?:[a-z0-9-]*?(?:password|passwd|passphrase|pass(?:in|out)?|token|secret|api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|credentials?)|auth|cookie|oauth2-bearer)`;

/** `--password=hunter2`, `--token:abc`, `--password='a b'` in a script → `--password={redacted}`. */
const OPTION_JOINED = new RegExp(String.raw`(?<![\w-])(${SECRET_OPTION})([=:])(${WORD})`, 'gi');

/** `--password hunter2` in a script → `--password {redacted}`; a following option is not its value (`--password --verbose`). */
const OPTION_SEPARATE = new RegExp(String.raw`(?<![\w-])(${SECRET_OPTION})([ \t]+)(?!--)(${WORD})`, 'gi');

/** An argument that is one such option, its value the next argument: `--password`. */
const OPTION_ALONE = new RegExp(String.raw`^${SECRET_OPTION}$`, 'i');

/** An argument that is option and value, the value all the rest (an argument is one word, spaces and all): `--password=a b`. */
const OPTION_AND_VALUE = new RegExp(String.raw`^(${SECRET_OPTION})([=:])(.+)$`, 'is');

/** `docker build --secret id=npmrc,src=.npmrc` names a secret and where it comes from; it is not one. */
const SECRET_SPEC = /^(?:id|src|source|env|type|target|required)=[^\s'"]*$/;

/** `--secret`, `id=npmrc,src=.npmrc` → true; `--token`, `abc` → false. */
const isSecretSpec = (option: string, value: string): boolean => /secret$/i.test(option) && SECRET_SPEC.test(value);

/** `PGPASSWORD=`, `-Ddb.password=`, `?access_token=`, `:_authToken=`: an assignment's name; its value follows (`ASSIGNMENT_VALUE`). */
const ASSIGNMENT_NAME = /(?<=^|[\s'"?&;,:=]|-D)([A-Za-z_][\w.-]{0,99})=/g;

const ASSIGNMENT_VALUE = new RegExp(WORD, 'y');

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
function redactAssignments(text: string): string {
  let out = '';
  let done = 0;
  for (const m of text.matchAll(ASSIGNMENT_NAME)) {
    if (m.index < done || !isSecretName(m[1])) continue;
    const at = m.index + m[0].length;
    ASSIGNMENT_VALUE.lastIndex = at;
    const value = ASSIGNMENT_VALUE.exec(text)?.[0];
    if (value === undefined || SWITCH_VALUE.test(value)) continue;
    out += text.slice(done, at) + R;
    done = at + value.length;
  }
  return out + text.slice(done);
}

/** `{"password":"x"}` member → its value redacted when the name says secret. */
const jsonMember =
  (quote: string) =>
  (all: string, name: string, colon: string, _value: string, close: string): string =>
    isSecretName(name) ? `${quote}${name}${quote}${colon}${quote}${R}${close}` : all;

/** Distinct strings remembered per redactor; past this the memo starts over (a build's distinct arguments are thousands). */
const MEMO_LIMIT = 50_000;

export class Redactor {
  /** Longest first, so that a secret that contains another is redacted whole. */
  private readonly secrets: readonly string[];
  /** Builds repeat their arguments (`-c`, `-I…`, one `-o` per object): each distinct one is redacted once. */
  private readonly memo = new Map<string, string>();

  /** @param secrets values that are secret wherever they appear (the environment's tokens); empty ones are ignored. */
  constructor(secrets: readonly string[] = []) {
    this.secrets = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  /**
   * Any string: an argument, a path, a script, a command line. `--token=abc123…` →
   * `--token={redacted}`; `https://bot:pw@host` → `https://bot:{redacted}@host`;
   * `sh -c 'mysql -psecret'` → `sh -c 'mysql -p{redacted}'`. Idempotent.
   */
  text(text: string): string {
    const known = this.memo.get(text);
    if (known !== undefined) return known;
    let t = text;
    for (const secret of this.secrets) if (t.includes(secret)) t = t.split(secret).join(R);
    // Each rule only where its marker is: this runs on every argument and path of a
    // build, and most (`-c`, `src/a.c`) have none.
    if (t.includes('-----BEGIN')) t = t.replace(PRIVATE_KEY_BLOCK, `$1${R}$2`);
    t = t.replace(TOKEN_FORMATS, R);
    if (t.includes(':')) t = t.replace(HEADER, `$1${R}`).replace(URL_PASSWORD, `$1${R}@`);
    if (t.includes('Bearer')) t = t.replace(BEARER, `Bearer ${R}`);
    for (const { hint, rule, redact } of SCRIPT_RULES) if (hint.test(t)) t = t.replace(rule, redact);
    if (t.includes('-')) {
      t = t
        .replace(OPTION_JOINED, (all, option: string, sep: string, value: string) => (isSecretSpec(option, value) ? all : option + sep + R))
        .replace(OPTION_SEPARATE, (all, option: string, gap: string, value: string) =>
          isSecretSpec(option, value) ? all : option + gap + R,
        );
    }
    if (t.includes('=')) t = redactAssignments(t);
    if (t.includes('"')) t = t.replace(JSON_MEMBER, jsonMember('"')).replace(ESCAPED_JSON_MEMBER, jsonMember('\\"'));
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
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
  argv(exe: string, argv: readonly string[], each: (arg: string) => string = (a) => a): string[] {
    let program = passwordProgram(exe);
    let active = program !== undefined && program.after === undefined;
    /** What to make of the next argument when this one takes a value: redacted, or undefined when it is not the value. */
    let next: ((arg: string) => string | undefined) | undefined;
    const plain = (a: string): string => each(this.text(a));
    return argv.map((arg, i) => {
      const taken = next?.(arg);
      next = undefined;
      if (taken !== undefined) return taken;
      if (i === 0) return plain(arg);
      const named = passwordProgram(arg);
      if (named) {
        program = named;
        active = named.after === undefined;
        return plain(arg);
      }
      if (program && !active && arg === program.after) active = true;
      else if (program?.wraps && !arg.startsWith('-')) program = undefined;
      if (program && active) {
        if (program.p && /^-p.+/s.test(arg)) return `-p${R}`;
        if (program.p && arg === '-p') {
          next = program.p === 'glued-or-next' ? () => R : (a) => (a.startsWith('-') ? undefined : R);
          return arg;
        }
        if (program.user && /^(?:-[uU]|--user|--proxy-user)$/.test(arg)) {
          next = (a) => plain(userPassword(a));
          return arg;
        }
        const user = program.user ? /^(-[uU]|--(?:proxy-)?user=)(.+)$/s.exec(arg) : null;
        if (user) return plain(user[1] + userPassword(user[2]));
      }
      const header = HEADER_ARGUMENT.exec(arg);
      if (header) return header[1] + R;
      const option = OPTION_AND_VALUE.exec(arg);
      if (option && !isSecretSpec(option[1], option[3])) return option[1] + option[2] + R;
      const assignment = ASSIGNMENT_ARGUMENT.exec(arg);
      if (assignment && isSecretName(assignment[2]) && !SWITCH_VALUE.test(assignment[3])) return `${assignment[1]}=${R}`;
      if (OPTION_ALONE.test(arg) && !(program?.prompts && /^--?pass(?:word|wd)?$/.test(arg))) {
        // `--password --verbose`: a long option is the next option, not a password.
        next = (a) => (a.startsWith('--') ? undefined : isSecretSpec(arg, a) ? plain(a) : R);
      }
      return plain(arg);
    });
  }
}

/** Redacts nothing the environment holds, only the known formats. */
export const FORMAT_REDACTOR = new Redactor();
