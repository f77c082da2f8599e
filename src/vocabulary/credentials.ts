/**
 * Credential files: a new read of one of these is a failing finding of its own kind
 * (`credential-read`), whatever the system-path rule would say of it. Globs over
 * canonical paths (`{home}` is the build's home, `/proc/{pid}` any process): what a build
 * should not start reading without a reviewer noticing.
 *
 * Identity files (`/etc/passwd`, `/etc/group`) hold no secrets, and every program that
 * looks up a user name reads them (curl, tar, ssh at start-up): a new read of one is a
 * `credential-read` only when its content reaches an output or an endpoint, else a
 * notice (issue 22).
 */
import { inContainer } from './containers.js';
import { globToRegExp } from './glob.js';

export const IDENTITY_GLOBS: readonly string[] = ['/etc/passwd', '/etc/group'];

export const CREDENTIAL_GLOBS: readonly string[] = [
  // accounts and privileges
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/sudoers.d/**',
  // the machine's own keys
  '/etc/ssh/ssh_host_*_key',
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
const IDENTITY = IDENTITY_GLOBS.map(globToRegExp);

/** `{home}/.ssh/id_rsa` → true; `/etc/hosts`, `/etc/passwd` → false. */
export const isCredentialPath = (path: string): boolean => PATTERNS.some((re) => re.test(path));

/** `/etc/passwd`, `/etc/group` → true: identity, not secrets; a container's too (`{container:debian:12}/etc/passwd`). */
export const isIdentityPath = (path: string): boolean => {
  const inImage = inContainer(path);
  return IDENTITY.some((re) => re.test(inImage ?? path));
};

/**
 * The sockets libc's user and host lookups try before the identity files: the name-service
 * cache's and systemd's user database. A connect to one asks a question; it changes nothing.
 */
const NAME_SERVICE_SOCKET = /^(?:\/var)?\/run\/(?:nscd\/socket|systemd\/userdb\/[^/]+)$/;

/** `unix:/var/run/nscd/socket` → true: a lookup, as reading `/etc/passwd` is; a container's too (`unix:{container:debian:12}/run/nscd/socket`). */
export function isNameServiceSocket(address: string): boolean {
  if (!address.startsWith('unix:')) return false;
  const path = address.slice(5);
  return NAME_SERVICE_SOCKET.test(inContainer(path) ?? path);
}
