/**
 * Names as the eBPF back end writes and reads them, against the real strace: files whose
 * names hold quotes, backslashes, control bytes, UTF-8 and bytes that are not UTF-8 are
 * opened under strace, and for each the string argument is quoted byte for byte as strace
 * quotes it, its text is what ioana's parser reads of strace's, and the path of the
 * opened file (its `-yy` decoration) is named alike.
 */
import { writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { decodeCString, decodeFd } from '../../src/parse/index.js';
import { decoration, ipv6, quote, sockaddr, text } from '../../src/trace/ebpf/strings.js';
import { tempDir, trace } from '../helpers/trace.js';

const NAMES: readonly Buffer[] = [
  'q"uote',
  'back\\slash',
  'new\nline',
  'tab\tx',
  'caf\xe9',
  'café',
  '<angle>',
  'ctl\x01x',
  'oct\x017',
  'sp ace',
  'bell\x07',
  'del\x7f',
].map((n) => (n === 'caf\xe9' ? Buffer.from([0x63, 0x61, 0x66, 0xe9]) : Buffer.from(n, 'utf8')));

describe('strings, against the real strace', () => {
  const dir = tempDir('ioana-names-');
  for (const [i, name] of NAMES.entries()) writeFileSync(Buffer.concat([Buffer.from(dir + '/'), name]), String(i));
  let calls: Awaited<ReturnType<typeof trace>>['calls'];

  beforeAll(async () => {
    ({ calls } = await trace(['bash', '--noprofile', '--norc', '-c', 'for f in *; do cat -- "$f" > /dev/null; done'], dir));
  });

  test.each(NAMES.map((n) => [JSON.stringify(n.toString('latin1')), n] as const))('%s', (_label, name) => {
    const open = calls.find((c) => c.name === 'openat' && c.args[1] === quote(name, 0, name.length));
    // strace quoted it exactly as `quote` does (or no call has that argument).
    expect(open).toBeDefined();
    // What ioana's parser reads of strace's argument is what `text` makes of the bytes.
    expect(text(name, 0, name.length)).toBe(decodeCString(open!.args[1])!.value);
    // The opened file's decoration: the same path, written the same way.
    const path = Buffer.concat([Buffer.from(dir + '/'), name]);
    const target = decodeFd(open!.result.kind === 'ok' ? open!.result.text : '')?.target;
    const ours = text(path, 0, path.length, '<>');
    expect(target).toEqual({ kind: 'path', path: ours, deleted: false, device: undefined });
    const inner = /^\d+<(.*)>$/.exec(open!.result.kind === 'ok' ? open!.result.text : '')?.[1];
    expect(decoration(ours, isUtf8(path) ? undefined : new Set([ours]))).toBe(inner);
  });
});

describe('socket addresses, as strace writes them', () => {
  const addr = (bytes: number[]) => sockaddr(Buffer.from(bytes), 0, bytes.length);
  test('inet, inet6, unix (abstract too), netlink, and what the model reads of each', () => {
    expect(addr([2, 0, 0, 53, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual({
      addr: { family: 'inet', address: '10.0.0.1', port: 53 },
      text: '{sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.1")}',
    });
    const six = [10, 0, 1, 187, 0, 0, 0, 0, ...Array(15).fill(0), 1, 0, 0, 0, 0];
    expect(addr(six).addr).toEqual({ family: 'inet', address: '[::1]', port: 443 });
    expect(addr([1, 0, ...Buffer.from('/run/x.sock'), 0]).addr).toEqual({ family: 'unix', path: '/run/x.sock', abstract: false });
    expect(addr([1, 0, 0, ...Buffer.from('dbus')]).text).toBe('{sa_family=AF_UNIX, sun_path=@"dbus"}');
    expect(addr([16, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]).text).toBe('{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000001}');
    expect(ipv6([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 5])).toBe('2001:db8::5');
    expect(ipv6([...Array(10).fill(0), 0xff, 0xff, 1, 2, 3, 4])).toBe('::ffff:1.2.3.4');
  });
});
