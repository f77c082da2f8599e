/**
 * Small tmpfs mounts for tests of full disks (root with CAP_SYS_ADMIN). Where this
 * machine cannot mount, the tests that need one are skipped, and the reason is printed.
 */
import { execFileSync } from 'node:child_process';
import { tempDir } from './trace.js';

const mounted: string[] = [];

/** A tmpfs of `options` (`size=16k`), unmounted after the suite; undefined when mounting is not allowed. */
export function mountTmpfs(options: string): string | undefined {
  const dir = tempDir('ioana-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    mounted.push(dir);
    return dir;
  } catch {
    return undefined;
  }
}

export function unmountAll(): void {
  for (const m of mounted.splice(0)) execFileSync('umount', [m], { stdio: 'ignore' });
}

const probe = mountTmpfs('size=16k');
/** Whether tests can mount a tmpfs here. */
export const canMount = probe !== undefined;
unmountAll();

/** `test` where a tmpfs can be mounted; elsewhere a skipped test, with the reason on the console. */
export const withMount = (name: string, fn: () => unknown, timeout?: number) => {
  if (canMount) return test(name, fn as () => Promise<void>, timeout);
  console.log(`skipped "${name}": this machine does not let the tests mount a tmpfs (needs root with CAP_SYS_ADMIN).`);
  return test.skip(name, fn as () => Promise<void>);
};
