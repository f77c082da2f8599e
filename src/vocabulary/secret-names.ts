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
const SECRET_WORD =
  /(?:^|[^A-Z0-9])(?:[A-Z0-9]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PWD|APIKEY)|PASS|SSHPASS|KEY|AUTH|AUTHORIZATION|COOKIE|PRIVATE|CREDENTIAL|CREDS|PAT)S?(?![A-Z0-9])/;

/**
 * Secret-sounding names that hold no secret: `PWD`/`OLDPWD` (the working directory),
 * `GPG_KEY` (the fingerprint official Docker images verify releases with),
 * `GOOGLE_APPLICATION_CREDENTIALS` (a path), public keys (`NEXT_PUBLIC_API_KEY`,
 * `SSH_PUBLIC_KEY`), and names whose last word says what they hold instead: where the
 * secret is or where it is used (`SSH_AUTH_SOCK`, `_FILE`, `_DIR`, `_URL`, `AUTH_DOMAIN`,
 * `TOKEN_ENDPOINT`), whose it is (`AWS_ACCESS_KEY_ID`, `_USER`), or its shape (`KEY_SIZE`,
 * `TOKEN_TYPE`, `TOKEN_LIMIT`).
 */
const NOT_SECRET_NAME =
  /^(?:OLD)?PWD$|^GPG_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$|(?:^|[^A-Z0-9])PUBLIC[^A-Z0-9]|[^A-Z0-9](?:FILE|PATH|DIR|DIRECTORY|SOCK|URL|HOST|DOMAIN|SERVER|ENDPOINT|REGION|PORT|ID|NAME|USER|USERNAME|EMAIL|SCOPE|MODE|TYPE|VERSION|LEN|LENGTH|SIZE|BITS|LIMIT|COUNT|MIN|MAX|TIMEOUT)S?$/;

/** `DB_PASSWORD`, `apiKey`, `sonar.token` → true; `PWD`, `SSH_AUTH_SOCK`, `CFLAGS`, `KEY_SIZE` → false. Environment variables and assignment names alike. */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return SECRET_WORD.test(words) && !NOT_SECRET_NAME.test(words);
}
