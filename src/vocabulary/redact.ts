/**
 * The one redactor: credentials out of every argument, path and command ioana stores,
 * prints or uploads, applied before anything is written. It knows token formats and
 * secret-bearing options, and the values of the environment's secrets (given by the
 * edge that read the environment).
 */
import { TOKEN } from './tokens.js';

const R = TOKEN.redacted;

/** Programs that take a password glued to `-p` (`mysql -psecret`); for others `-p…` is an ordinary flag (`-pipe`). */
export const PASSWORD_P_PROGRAMS = /(^|\/)(mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mysqlimport|mysqlshow)$/;

export class Redactor {
  /** Longest first, so that a secret that contains another is redacted whole. */
  private readonly secrets: readonly string[];

  /** @param secrets values that are secret wherever they appear (the environment's tokens). */
  constructor(secrets: readonly string[] = []) {
    this.secrets = [...secrets].sort((a, b) => b.length - a.length);
  }

  /** `--token=abc123…` → `--token={redacted}`; `https://bot:pw@host` → `https://bot:{redacted}@host`. */
  text(text: string): string {
    let t = text;
    for (const secret of this.secrets) if (t.includes(secret)) t = t.split(secret).join(R);
    return (
      t
        .replace(/\bgh[pousr]_[A-Za-z0-9]{20,}/g, R)
        .replace(/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${R}`)
        .replace(/(--?(?:password|passwd|token|secret|api-?key|access-?key|auth)[=:])\S+/gi, `$1${R}`)
        .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi, `$1${R}@`)
        // In a script (`sh -c '… mysql -psecret …'`): the password glued to -p.
        .replace(
          /(\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mysqlimport|mysqlshow)\b[^;&|\n]*?\s-p)(?!ipe\b)([^\s'";&|]+)/g,
          `$1${R}`,
        )
    );
  }

  /**
   * A program's arguments: each through `each` (default: `text`), and after a
   * mysql-like program name (the program itself, or wrapped: `sudo mysql -px`) a value
   * glued to `-p` is a password.
   */
  argv(exe: string, argv: readonly string[], each: (arg: string) => string = (a) => this.text(a)): string[] {
    let passwordP = PASSWORD_P_PROGRAMS.test(exe);
    return argv.map((a, i) => {
      if (i > 0 && passwordP && /^-p.+/.test(a)) return `-p${R}`;
      if (PASSWORD_P_PROGRAMS.test(a)) passwordP = true;
      return each(a);
    });
  }
}

/** Redacts nothing the environment holds, only the known formats. */
export const FORMAT_REDACTOR = new Redactor();
