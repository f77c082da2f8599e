/**
 * dpkg's database read as `ioana attest` reads it: `status` stanzas (as dpkg writes
 * them, fields trimmed to those read), `info/<package>[:<arch>].list` files, and
 * merged-/usr names. The database is a directory in the test; the real one is not read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distroOf, loadDebianIndex, parseStatus } from '../../src/host/packages.js';
import { tempDir } from '../helpers/trace.js';

const STATUS = `Package: cpp-12
Status: install ok installed
Priority: optional
Section: interpreters
Installed-Size: 33848
Architecture: amd64
Source: gcc-12
Version: 12.2.0-14+deb12u1
Description: GNU C preprocessor

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u10

Package: gcc-13
Status: install reinstreq half-installed
Architecture: amd64
Version: 13.1.0-1

Package: old-tool
Status: deinstall ok config-files
Architecture: all
Version: 1.0-1

Package: gone
Status: purge ok not-installed
Architecture: amd64
Version: 2.0-1
`;

describe("dpkg's status file", () => {
  const versions = parseStatus(STATUS);

  it('gives each installed package its version and architecture, by name and by name:arch', () => {
    expect(versions.get('cpp-12')).toEqual({ version: '12.2.0-14+deb12u1', architecture: 'amd64' });
    expect(versions.get('libc6:amd64')).toEqual({ version: '2.36-9+deb12u10', architecture: 'amd64' });
  });

  // Regression: `\binstalled$` matched `half-installed` and `not-installed`.
  it('leaves out packages that are half-installed, not installed, or only configuration files', () => {
    expect(versions.has('gcc-13')).toBe(false);
    expect(versions.has('gone')).toBe(false);
    expect(versions.has('old-tool')).toBe(false);
  });
});

describe('the distribution a purl names', () => {
  it.each([
    ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n', 'debian'],
    ['NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', 'ubuntu'],
    [undefined, 'debian'],
  ])('%j → %s', (text, distro) => expect(distroOf(text)).toBe(distro));
});

describe('the package index', () => {
  function database(): { root: string; osRelease: string } {
    const root = tempDir('ioana-dpkg-');
    mkdirSync(join(root, 'info'));
    writeFileSync(join(root, 'status'), STATUS);
    writeFileSync(join(root, 'info', 'cpp-12.list'), '/.\n/usr\n/usr/lib/gcc/x86_64-linux-gnu/12/cc1\n');
    writeFileSync(join(root, 'info', 'libc6:amd64.list'), '/.\n/usr\n/lib/x86_64-linux-gnu/libc.so.6\n/usr/include/stdio.h\n');
    writeFileSync(join(root, 'info', 'gcc-13.list'), '/usr/lib/gcc/x86_64-linux-gnu/13/cc1\n');
    const osRelease = join(root, 'os-release');
    writeFileSync(osRelease, 'ID=debian\n');
    return { root, osRelease };
  }

  it('names the package, version and architecture that own a file, as a purl', async () => {
    const { root, osRelease } = database();
    const index = (await loadDebianIndex(root, osRelease))!;
    expect(index.owner('/usr/lib/gcc/x86_64-linux-gnu/12/cc1')).toEqual({
      package: 'cpp-12',
      version: '12.2.0-14+deb12u1',
      architecture: 'amd64',
      purl: 'pkg:deb/debian/cpp-12@12.2.0-14%2Bdeb12u1?arch=amd64',
    });
  });

  it('finds a file listed under /lib when it is opened under /usr/lib (merged /usr), and the other way round', async () => {
    const { root, osRelease } = database();
    const index = (await loadDebianIndex(root, osRelease))!;
    expect(index.owner('/usr/lib/x86_64-linux-gnu/libc.so.6')?.package).toBe('libc6');
    expect(index.owner('/lib/x86_64-linux-gnu/libc.so.6')?.package).toBe('libc6');
  });

  it('owns no file for a package that is not installed, nor a file no list names', async () => {
    const { root, osRelease } = database();
    const index = (await loadDebianIndex(root, osRelease))!;
    expect(index.owner('/usr/lib/gcc/x86_64-linux-gnu/13/cc1')).toBeUndefined();
    expect(index.owner('/etc/ld.so.cache-not-listed')).toBeUndefined();
  });

  // Regression: the first list read took it, so the purl depended on which read finished first.
  it('gives a directory several packages list no owner, whatever order the lists are read in', async () => {
    const { root, osRelease } = database();
    const index = (await loadDebianIndex(root, osRelease))!;
    expect(index.owner('/usr')).toBeUndefined();
    expect(index.owner('/usr/include/stdio.h')?.package).toBe('libc6');
  });

  it('is undefined where there is no dpkg database (not Debian)', async () => {
    expect(await loadDebianIndex(join(tempDir(), 'none'))).toBeUndefined();
  });
});
