/** The one redactor: token formats, secret-bearing options, the environment's secret values. */
import { Redactor } from '../../src/vocabulary/index.js';

describe('Redactor', () => {
  const r = new Redactor(['s3cr3t-value', 's3cr3t']);

  test.each([
    ['--token=abcdef123456', '--token={redacted}'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ', '{redacted}'],
    ['Authorization: Bearer abcdefghijkl', 'Authorization: Bearer {redacted}'],
    ['https://bot:pw123@example.invalid/repo.git', 'https://bot:{redacted}@example.invalid/repo.git'],
    ["sh -c 'mysql -uroot -phunter2 db'", "sh -c 'mysql -uroot -p{redacted} db'"],
    ['x=s3cr3t-value', 'x={redacted}'],
    ['-pipe', '-pipe'],
  ])('%s → %s', (raw, redacted) => {
    expect(r.text(raw)).toBe(redacted);
  });

  test('a password glued to -p after a mysql-like program, also wrapped; -p elsewhere is a flag', () => {
    expect(r.argv('/usr/bin/mysql', ['mysql', '-psecret', 'db'])).toEqual(['mysql', '-p{redacted}', 'db']);
    expect(r.argv('/usr/bin/sudo', ['sudo', 'mysql', '-psecret'])).toEqual(['sudo', 'mysql', '-p{redacted}']);
    expect(r.argv('/usr/bin/cc', ['cc', '-pipe', '-c', 'a.c'])).toEqual(['cc', '-pipe', '-c', 'a.c']);
  });

  test('the longer of two overlapping secrets is redacted whole', () => {
    expect(r.text('a s3cr3t-value b')).toBe('a {redacted} b');
  });
});
