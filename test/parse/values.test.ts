import { decodeArgv, decodeCString, decodeFd, decodeSockaddr, splitArray, unescapeC } from '../../src/parse/index.js';

describe('C strings', () => {
  test.each([
    ['"plain"', 'plain', false],
    ['"q\\"uote"', 'q"uote', false],
    ['"nl\\nx"', 'nl\nx', false],
    ['"tab\\tx"', 'tab\tx', false],
    ['"\\303\\251"', 'é', false],
    ['"a\\x2fb"', 'a/b', false],
    ['"back\\\\slash"', 'back\\slash', false],
    ['"for f in *; do cat \\"$f\\" >/dev/nu"...', 'for f in *; do cat "$f" >/dev/nu', true],
  ])('%s', (raw, value, truncated) => {
    expect(decodeCString(raw)).toEqual({ value, truncated });
  });

  test('not a string', () => {
    expect(decodeCString('NULL')).toBeUndefined();
    expect(decodeCString('"unterminated')).toBeUndefined();
  });

  test('bytes that are not UTF-8 keep their escaped form, so distinct names stay distinct', () => {
    expect(unescapeC('\\377x')).toBe('\\377x');
    expect(unescapeC('\\376x')).not.toBe(unescapeC('\\377x'));
  });
});

describe('descriptors', () => {
  test.each([
    ['3', { fd: 3 }],
    ['AT_FDCWD</tmp/exp>', { fd: 'AT_FDCWD', target: { kind: 'path', path: '/tmp/exp', deleted: false } }],
    ['3</tmp/exp/a)b>', { fd: 3, target: { kind: 'path', path: '/tmp/exp/a)b', deleted: false } }],
    ['3</tmp/exp/lt\\74gt\\76>', { fd: 3, target: { kind: 'path', path: '/tmp/exp/lt<gt>', deleted: false } }],
    ['3</tmp/exp/q\\"uote>', { fd: 3, target: { kind: 'path', path: '/tmp/exp/q"uote', deleted: false } }],
    ['1</dev/null<char 1:3>>', { fd: 1, target: { kind: 'path', path: '/dev/null', deleted: false, device: 'char 1:3' } }],
    ['9</tmp/exp/dele>(deleted)', { fd: 9, target: { kind: 'path', path: '/tmp/exp/dele', deleted: true } }],
    ['4<pipe:[5422]>', { fd: 4, target: { kind: 'pipe', inode: 5422 } }],
    ['6<TCP:[4411]>', { fd: 6, target: { kind: 'socket', protocol: 'TCP', inode: 4411 } }],
    ['6<TCP:[127.0.0.1:54917]>', { fd: 6, target: { kind: 'socket', protocol: 'TCP', local: '127.0.0.1:54917' } }],
    [
      '8<TCP:[127.0.0.1:54917->127.0.0.1:34724]>',
      { fd: 8, target: { kind: 'socket', protocol: 'TCP', local: '127.0.0.1:54917', remote: '127.0.0.1:34724' } },
    ],
    ['4<UNIX-STREAM:[4409->4410]>', { fd: 4, target: { kind: 'socket', protocol: 'UNIX-STREAM', inode: 4409, peerInode: 4410 } }],
    [
      '3<UNIX-STREAM:[28312,"/run/systemd/journal/stdout"]>',
      { fd: 3, target: { kind: 'socket', protocol: 'UNIX-STREAM', inode: 28312, path: '/run/systemd/journal/stdout' } },
    ],
    ['5<anon_inode:[eventfd]>', { fd: 5, target: { kind: 'other', text: 'anon_inode:[eventfd]' } }],
  ])('%s', (raw, expected) => {
    expect(decodeFd(raw)).toMatchObject(expected);
  });

  test('not a descriptor', () => {
    expect(decodeFd('O_RDONLY')).toBeUndefined();
  });
});

describe('arrays and argv', () => {
  test('pipe ends', () => {
    expect(splitArray('[3<pipe:[5428]>, 4<pipe:[5428]>]')).toEqual(['3<pipe:[5428]>', '4<pipe:[5428]>']);
    expect(splitArray('[]')).toEqual([]);
  });

  test('argv, whole and elided', () => {
    expect(decodeArgv('["cat", "a)b", "x, y"]')).toEqual({ argv: ['cat', 'a)b', 'x, y'], truncated: false });
    expect(decodeArgv('[...]')).toEqual({ argv: [], truncated: true });
    expect(decodeArgv('["/root/.pyenv/versions/3.11.7/bin"..., "-c"]')).toEqual({
      argv: ['/root/.pyenv/versions/3.11.7/bin', '-c'],
      truncated: true,
    });
  });
});

describe('socket addresses', () => {
  test.each([
    ['{sa_family=AF_INET, sin_port=htons(54917), sin_addr=inet_addr("127.0.0.1")}', { family: 'inet', address: '127.0.0.1', port: 54917 }],
    [
      '{sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}',
      { family: 'inet', address: '[::1]', port: 443 },
    ],
    ['{sa_family=AF_UNIX, sun_path="/run/nonexistent.sock"}', { family: 'unix', path: '/run/nonexistent.sock', abstract: false }],
    ['{sa_family=AF_UNIX, sun_path=@"/tmp/.X11-unix/X0"}', { family: 'unix', path: '/tmp/.X11-unix/X0', abstract: true }],
    ['{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}', { family: 'other' }],
  ])('%s', (raw, expected) => {
    expect(decodeSockaddr(raw)).toMatchObject(expected);
  });
});

describe('logs read as latin1', () => {
  test('raw UTF-8 bytes in a log (one character per byte) decode to the same text as escapes', () => {
    const raw = Buffer.from('café', 'utf8').toString('latin1');
    expect(unescapeC(raw)).toBe('café');
    expect(unescapeC('caf\\303\\251')).toBe('café');
  });
});
