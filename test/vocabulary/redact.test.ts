/** The one redactor: token formats, secret-bearing options, the environment's secret values. */
import fc from 'fast-check';
import { Redactor } from '../../src/vocabulary/redact.js';
import { isSecretName } from '../../src/vocabulary/secret-names.js';
import { FORMAT_REDACTOR } from '../../src/vocabulary/index.js';

/*
 * Test tokens are put together from parts, so that this file holds no string a secret
 * scanner (GitHub push protection, gitleaks) would take for a leaked credential.
 */
const X = (s: string, n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const T = {
  ghp: 'ghp_' + X('a1B2c3D4', 36),
  ghs: 'ghs_' + X('Zy9Xw8', 36),
  pat: 'github_pat_' + X('11AbC9', 22) + '_' + X('qR5sT7uV', 59),
  akia: 'AKIA' + X('Q7ZP3X', 16),
  asia: 'ASIA' + X('Y34FZKB', 16),
  slack: 'xoxb-' + X('2635942', 12) + '-' + X('2343594', 13) + '-' + X('FGqddMF8t0', 24),
  slackUser: 'xoxp-' + X('4168437', 11) + '-' + X('1320496', 10) + '-' + X('4560996', 11) + '-' + X('e708ba56', 32),
  stripe: 'sk_' + 'live_' + X('4eC39HqLyjWDarjtT1zdp7dc', 24),
  restricted: 'rk_' + 'live_' + X('51H8sk2Tq', 30),
  google: 'AIza' + X('SyD3a-b_2pEZVqMk', 35),
  npm: 'npm_' + X('Fd9kQ2xL7', 36),
  jwt:
    'eyJ' +
    'hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
    '.eyJ' +
    'zdWIiOiIxMjM0NTY3ODkwIn0' +
    '.' +
    X('SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 43),
};
const PEM_BODY = X('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw', 64);
const BEGIN = '-----BEGIN RSA ' + 'PRIVATE KEY-----';
const END = '-----END RSA ' + 'PRIVATE KEY-----';

describe('Redactor.text', () => {
  const r = new Redactor(['s3cr3t-value', 's3cr3t']);

  test.each([
    // known token formats, anywhere in a string
    [T.ghp, '{redacted}'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ', '{redacted}'],
    [`--token=${T.ghp}`, '--token={redacted}'],
    [`/home/runner/.cache/${T.ghs}/index`, '/home/runner/.cache/{redacted}/index'],
    [`https://x-access-token:${T.ghs}@github.com/o/r.git`, 'https://x-access-token:{redacted}@github.com/o/r.git'],
    [`gh_token_${T.ghs}.txt`, 'gh_token_{redacted}.txt'],
    [T.pat, '{redacted}'],
    [`aws_access_key_id=${T.akia}`, 'aws_access_key_id={redacted}'],
    [`--key-id ${T.asia} --region eu-west-1`, '--key-id {redacted} --region eu-west-1'],
    [`SLACK=${T.slack}`, 'SLACK={redacted}'],
    [`"${T.slackUser}"`, '"{redacted}"'],
    [`stripe:${T.stripe}`, 'stripe:{redacted}'],
    [T.restricted, '{redacted}'],
    [`https://maps.googleapis.com/maps/api/js?key=${T.google}&v=3`, 'https://maps.googleapis.com/maps/api/js?key={redacted}&v=3'],
    [`//registry.npmjs.org/:_authToken=${T.npm}`, '//registry.npmjs.org/:_authToken={redacted}'],
    [`x-jwt=${T.jwt}`, 'x-jwt={redacted}'],
    // private keys: real newlines, escaped ones, and a block strace cut before its end
    [`${BEGIN}\n${PEM_BODY}\n${END}\n`, `${BEGIN}{redacted}${END}\n`],
    [`--key='${BEGIN}\\n${PEM_BODY}\\n${END}\\n' --out x`, `--key='${BEGIN}{redacted}${END}\\n' --out x`],
    [`--key=${BEGIN}\\n${PEM_BODY.slice(0, 20)}`, `--key=${BEGIN}{redacted}`],
    [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----{redacted}-----END OPENSSH PRIVATE KEY-----',
    ],
    // secret-bearing options, joined and (in a script) separate
    ['--token=abcdef123456', '--token={redacted}'],
    ['--password=hunter2', '--password={redacted}'],
    ['--db-pass=hunter2', '--db-pass={redacted}'],
    ['--client-secret=abc', '--client-secret={redacted}'],
    ['--api-key=abc', '--api-key={redacted}'],
    ['--apikey=abc', '--apikey={redacted}'],
    ['-apiKey=abc', '-apiKey={redacted}'],
    ['--registry-password=abc', '--registry-password={redacted}'],
    ['--private-key=/keys/deploy.pem', '--private-key={redacted}'],
    ['--auth=user:pw', '--auth={redacted}'],
    ['--token:abc', '--token:{redacted}'],
    ["sh -c './deploy --password hunter2 --host db'", "sh -c './deploy --password {redacted} --host db'"],
    [
      `tool --password="a b" --secret-key 'x y' --access-key K`,
      'tool --password={redacted} --secret-key {redacted} --access-key {redacted}',
    ],
    ['keytool -importkeystore -storepass changeit -keypass changeit', 'keytool -importkeystore -storepass {redacted} -keypass {redacted}'],
    ['openssl rsa -in k.pem -passin pass:hunter2 -out k2.pem', 'openssl rsa -in k.pem -passin {redacted} -out k2.pem'],
    // programs that take passwords their own way, in scripts
    ["sh -c 'mysql -uroot -phunter2 db'", "sh -c 'mysql -uroot -p{redacted} db'"],
    ["sh -c 'mysql -u root -p hunter2 db'", "sh -c 'mysql -u root -p {redacted} db'"],
    ["sh -c 'mysql -p -h db.internal app'", "sh -c 'mysql -p -h db.internal app'"],
    ["/usr/bin/mysqldump -p'a b' db > d.sql", '/usr/bin/mysqldump -p{redacted} db > d.sql'],
    ['sshpass -p hunter2 ssh -p 22 ci@host', 'sshpass -p {redacted} ssh -p 22 ci@host'],
    [
      'docker login -u bot -p hunter2 ghcr.io && docker run -p 8080:80 app',
      'docker login -u bot -p {redacted} ghcr.io && docker run -p 8080:80 app',
    ],
    ['docker login --password hunter2 ghcr.io', 'docker login --password {redacted} ghcr.io'],
    ['curl -fsS -u bot:hunter2 https://example.invalid', 'curl -fsS -u bot:{redacted} https://example.invalid'],
    ['curl --user-agent x --user "bot:p w" https://example.invalid', 'curl --user-agent x --user "bot:{redacted}" https://example.invalid'],
    ['curl -ubot:hunter2 https://example.invalid', 'curl -ubot:{redacted} https://example.invalid'],
    // headers
    ['Authorization: Bearer abcdefghijkl', 'Authorization: Bearer {redacted}'],
    ['Authorization: Bearer abc', 'Authorization: Bearer {redacted}'],
    ['authorization: token abc123', 'authorization: token {redacted}'],
    ['Authorization: Basic dXNlcjpwdw==', 'Authorization: Basic {redacted}'],
    ['Authorization: abc123', 'Authorization: {redacted}'],
    ['Proxy-Authorization: Digest username=u, response=6629', 'Proxy-Authorization: Digest {redacted}'],
    [
      "curl -H 'Authorization: Bearer abc' https://api.example.invalid",
      "curl -H 'Authorization: Bearer {redacted}' https://api.example.invalid",
    ],
    ['AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hz', 'AUTHORIZATION: basic {redacted}'],
    ['X-Api-Key: abc', 'X-Api-Key: {redacted}'],
    ['x-auth-token:abc', 'x-auth-token:{redacted}'],
    ['PRIVATE-TOKEN: glpat-abc', 'PRIVATE-TOKEN: {redacted}'],
    ['Cookie: sid=abc; theme=dark', 'Cookie: {redacted}'],
    ['--header=Bearer abcdefgh.ijkl', '--header=Bearer {redacted}'],
    // URLs
    ['https://bot:pw123@example.invalid/repo.git', 'https://bot:{redacted}@example.invalid/repo.git'],
    ['postgres://app:p@ss:w0rd@db:5432/app', 'postgres://app:{redacted}@db:5432/app'],
    ['redis://:hunter2@cache:6379/0', 'redis://:{redacted}@cache:6379/0'],
    ['https://api.example.invalid/v1?access_token=abc&page=2', 'https://api.example.invalid/v1?access_token={redacted}&page=2'],
    // assignments whose names say secret
    ['PGPASSWORD=hunter2', 'PGPASSWORD={redacted}'],
    ['env PGPASSWORD=hunter2 psql -h db', 'env PGPASSWORD={redacted} psql -h db'],
    ['sh -c \'DB_PASS=hunter2 GITHUB_TOKEN="abc" make deploy\'', "sh -c 'DB_PASS={redacted} GITHUB_TOKEN={redacted} make deploy'"],
    ['-Djavax.net.ssl.keyStorePassword=changeit', '-Djavax.net.ssl.keyStorePassword={redacted}'],
    ['-Dsonar.token=abc', '-Dsonar.token={redacted}'],
    ['-ldflags=-X main.apiKey=abc -X main.version=1.2', '-ldflags=-X main.apiKey={redacted} -X main.version=1.2'],
    // a password may hold a comma: the value runs to the end of the word
    ['--set auth.password=abc,image.tag=1.2', '--set auth.password={redacted}'],
    ['--build-arg=NPM_TOKEN=abc', '--build-arg=NPM_TOKEN={redacted}'],
    // JSON
    ['{"password":"x","token":"y","user":"bot"}', '{"password":"{redacted}","token":"{redacted}","user":"bot"}'],
    ['{"auths": {"ghcr.io": {"auth": "Ym90OnB3"}}}', '{"auths": {"ghcr.io": {"auth": "{redacted}"}}}'],
    ['{"apiKey": "a\\"b", "n": 1}', '{"apiKey": "{redacted}", "n": 1}'],
    ['{"headers": {"Authorization": "Bearer abc"}}', '{"headers": {"Authorization": "{redacted}"}}'],
    ['{"user": "bot", "token": "abc', '{"user": "bot", "token": "{redacted}'],
    ['sh -c "echo {\\"client_secret\\":\\"abc\\"} > c.json"', 'sh -c "echo {\\"client_secret\\":\\"{redacted}\\"} > c.json"'],
    // the environment's secret values, the longer first
    ['x=s3cr3t-value', 'x={redacted}'],
    ['a s3cr3t-value b s3cr3t', 'a {redacted} b {redacted}'],
  ])('%s → %s', (raw, redacted) => {
    expect(r.text(raw)).toBe(redacted);
  });

  /** Ordinary build arguments: a redactor that eats these makes baselines noisy. */
  test.each([
    '-pipe',
    '-pthread',
    '-print-file-name=libgcc.a',
    '-print-prog-name=ld',
    '-passes=mem2reg,instcombine',
    'mkdir -p build/obj',
    'cp -p a.o b.o',
    'docker run -p 8080:80 app',
    'ssh -p 22 ci@host',
    'gcc -I/usr/include/mysql -pipe -c db.c',
    'mysql_config --cflags; gcc -pipe -c db.c',
    '/usr/lib/x86_64-linux-gnu/libkeyutils.so.1',
    '/usr/lib/x86_64-linux-gnu/libsecret-1.so.0',
    'src/auth/password_reset.c',
    'src/tokenizer.c',
    'include/openssl/pem.h',
    '--token-limit=3',
    '--max-tokens=100',
    '--tokenizer=bpe',
    '--auth-type=basic',
    '--jobserver-auth=3,4',
    '--jobserver-auth=fifo:/tmp/GMfifo123',
    '--jobserver-auth={jobserver}',
    '--password-stdin',
    '--password-file=/run/secrets/db',
    '--no-password',
    '--ask-pass',
    'CFLAGS=-O2 -g',
    'PREFIX=/usr/local',
    'KEY_SIZE=2048',
    'TOKEN_TYPE=Bearer',
    '-DUSE_AUTH=ON',
    '-DHAVE_KEYUTILS_H=1',
    '-DOPENSSL_ROOT_DIR=/usr',
    'SSH_AUTH_SOCK=/tmp/ssh-agent.sock',
    '4196919fb12cc4aa8ec0159a746c1e03b4ffa89c',
    '{workspace}/out/{hex}.o',
    'objects/pack/pack-4196919fb12cc4aa8ec0159a746c1e03b4ffa89c.idx',
    'dGhpcyBpcyBqdXN0IGJhc2U2NA==.bin',
    'ghp_test.go',
    'AKIA_README.md',
    'ASIAPACIFICREGION2024X',
    'npm_config_cache=/home/runner/.npm',
    'git@github.com:org/repo.git',
    'https://github.com/org/repo.git',
    'https://user@example.invalid/x',
    'https://example.invalid:8443/a@b',
    '-Wl,--as-needed,-z,relro',
    'docker build --secret id=npmrc,src=.npmrc .',
    '--secret=id=npmrc,src=.npmrc',
    'pytest -k test_token_refresh',
    '{"user":"bot","tag":"1.2"}',
  ])('%s stays', (ordinary) => {
    expect(r.text(ordinary)).toBe(ordinary);
  });

  test('the longer of two overlapping secrets is redacted whole', () => {
    expect(r.text('a s3cr3t-value b')).toBe('a {redacted} b');
  });

  test('an empty secret is ignored, not redacted between every character', () => {
    expect(new Redactor(['']).text('abc')).toBe('abc');
  });

  /** Planted secrets of every format, in random text: none survives, however it is surrounded. */
  test('a planted secret never survives, wherever it is put', () => {
    const alnum = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: n, maxLength: n });
    const upper = (n: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: n, maxLength: n });
    const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const b64url = (n: number) =>
      fc.string({
        unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
        minLength: n,
        maxLength: n,
      });
    // [what stays, the secret, what follows it]: the secret must be gone
    type Plant = [string, string, string];
    const format: fc.Arbitrary<Plant> = fc.oneof(
      fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), alnum(36), fc.constant('')),
      fc.tuple(alnum(22), alnum(59)).map(([a, b]): Plant => ['github_pat_', `${a}_${b}`, '']),
      fc.tuple(fc.constantFrom('AKIA', 'ASIA'), upper(16), fc.constant('')),
      fc.tuple(digits(12), digits(13), alnum(24)).map(([a, b, c]): Plant => ['xoxb-', `${a}-${b}-${c}`, '']),
      fc.tuple(fc.constantFrom('sk_live_', 'rk_live_'), alnum(24), fc.constant('')),
      fc.tuple(fc.constant('AIza'), b64url(35), fc.constant('')),
      fc.tuple(fc.constant('npm_'), alnum(36), fc.constant('')),
      fc.tuple(b64url(20), b64url(30), b64url(43)).map(([h, p, s]): Plant => ['eyJ', `${h}.eyJ${p}.${s}`, '']),
      fc
        .tuple(fc.array(alnum(64), { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\\n'))
        .map(([lines, nl]): Plant => [BEGIN, nl + lines.join(nl) + nl, END]),
      fc.tuple(fc.constant('https://u:'), alnum(12), fc.constant('@example.invalid/x')),
    );
    // options, headers and assignments begin a word
    const worded: fc.Arbitrary<Plant> = fc.tuple(
      fc.constantFrom('--password=', '--token ', '--api-key=', 'Authorization: Bearer ', 'X-Api-Key: ', 'DB_PASSWORD=', '{"token": "'),
      alnum(12),
      fc.constant(''),
    );
    const text = fc.string({ maxLength: 30 });
    const anyGap = fc.constantFrom(' ', '=', '/', ':', "'", '"', ',', ';', '\n', '\t');
    const wordGap = fc.constantFrom(' ', "'", '"', ';', '\n', '\t');
    const planted = fc.oneof(fc.tuple(anyGap, format), fc.tuple(wordGap, worded));
    fc.assert(
      fc.property(text, planted, anyGap, text, (before, [gap, [visible, secret, follows]], after, rest) => {
        const out = FORMAT_REDACTOR.text(before + gap + visible + secret + follows + after + rest);
        expect(out).not.toContain(secret);
      }),
      { seed: 20240611, numRuns: 2000 },
    );
  });

  test('redacting twice changes nothing more', () => {
    const piece = fc.constantFrom(
      T.ghp,
      T.jwt,
      '--password=x',
      '--token y',
      'Authorization: Bearer z',
      'https://u:p@h/',
      'PGPASSWORD=q',
      '{"token":"t"}',
      'mysql -pX',
      'curl -u a:b',
      `${BEGIN}\n${PEM_BODY}`,
      ' ',
      "'",
      '"',
      ';',
      'cc -c a.c',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const once = FORMAT_REDACTOR.text(pieces.join(''));
        expect(FORMAT_REDACTOR.text(once)).toBe(once);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  test('a long argument is redacted in linear time, without a catastrophic backtrack', () => {
    const long = [
      `--token=${'a'.repeat(200_000)}`,
      `--password=${"'a'".repeat(50_000)}"`,
      'a.'.repeat(100_000),
      `${'-a'.repeat(100_000)}=x`,
      '-Da-Da'.repeat(30_000),
      'A=B='.repeat(50_000),
      '"k": "'.repeat(30_000),
      `${BEGIN}${'A'.repeat(200_000)}`,
      'xoxb-'.repeat(40_000),
      'mysql '.repeat(20_000),
      'docker x '.repeat(20_000),
      `curl ${'-v '.repeat(50_000)}-u a:b`,
    ];
    const start = Date.now();
    for (const s of long) FORMAT_REDACTOR.text(s);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('Redactor.argv', () => {
  const r = FORMAT_REDACTOR;

  test.each([
    ['/usr/bin/mysql', ['mysql', '-psecret', 'db'], ['mysql', '-p{redacted}', 'db']],
    // `-p` alone asks for the password; a word after it is a password given the wrong way
    ['/usr/bin/mysql', ['mysql', '-u', 'root', '-p', 'hunter2', 'db'], ['mysql', '-u', 'root', '-p', '{redacted}', 'db']],
    ['/usr/bin/mysql', ['mysql', '-p', '-h', 'db.internal', 'app'], ['mysql', '-p', '-h', 'db.internal', 'app']],
    ['/usr/bin/sudo', ['sudo', 'mysql', '-psecret'], ['sudo', 'mysql', '-p{redacted}']],
    ['/usr/bin/psql', ['psql', '--password', '-h', 'db', 'app'], ['psql', '--password', '-h', 'db', 'app']],
    ['/usr/bin/cc', ['cc', '-pipe', '-c', 'a.c'], ['cc', '-pipe', '-c', 'a.c']],
    ['/usr/bin/mkdir', ['mkdir', '-p', 'out'], ['mkdir', '-p', 'out']],
    [
      '/usr/bin/sshpass',
      ['sshpass', '-p', 'hunter2', 'ssh', '-p', '22', 'ci@host'],
      ['sshpass', '-p', '{redacted}', 'ssh', '-p', '22', 'ci@host'],
    ],
    ['/usr/bin/sshpass', ['sshpass', '-phunter2', 'scp', 'a', 'h:b'], ['sshpass', '-p{redacted}', 'scp', 'a', 'h:b']],
    [
      '/usr/bin/docker',
      ['docker', 'login', '-u', 'bot', '-p', 'hunter2', 'ghcr.io'],
      ['docker', 'login', '-u', 'bot', '-p', '{redacted}', 'ghcr.io'],
    ],
    ['/usr/bin/docker', ['docker', 'login', '--password', 'hunter2'], ['docker', 'login', '--password', '{redacted}']],
    ['/usr/bin/docker', ['docker', 'login', '--password-stdin', 'ghcr.io'], ['docker', 'login', '--password-stdin', 'ghcr.io']],
    ['/usr/bin/docker', ['docker', 'run', '-p', '8080:80', 'app'], ['docker', 'run', '-p', '8080:80', 'app']],
    [
      '/usr/bin/docker',
      ['docker', 'build', '--secret', 'id=npmrc,src=.npmrc', '.'],
      ['docker', 'build', '--secret', 'id=npmrc,src=.npmrc', '.'],
    ],
    ['/usr/bin/curl', ['curl', '-u', 'bot:hunter2', 'https://x.invalid'], ['curl', '-u', 'bot:{redacted}', 'https://x.invalid']],
    ['/usr/bin/curl', ['curl', '--user', 'bot:p:w', 'https://x.invalid'], ['curl', '--user', 'bot:{redacted}', 'https://x.invalid']],
    ['/usr/bin/curl', ['curl', '--user=bot:hunter2', '-ubot:pw'], ['curl', '--user=bot:{redacted}', '-ubot:{redacted}']],
    ['/usr/bin/curl', ['curl', '-u', 'bot', 'https://x.invalid'], ['curl', '-u', 'bot', 'https://x.invalid']],
    [
      '/usr/bin/curl',
      ['curl', '-H', 'Authorization: Bearer abc', 'https://x.invalid'],
      ['curl', '-H', 'Authorization: Bearer {redacted}', 'https://x.invalid'],
    ],
    [
      '/usr/bin/curl',
      ['curl', '-H', 'Authorization: Digest username="u", response="6629"'],
      ['curl', '-H', 'Authorization: Digest {redacted}'],
    ],
    ['/usr/bin/curl', ['curl', '-H', "Cookie: sid='a b'"], ['curl', '-H', 'Cookie: {redacted}']],
    [
      '/usr/bin/tool',
      ['tool', '--password', 'a b', '--token', 'abc', '--secret-key', '-x9'],
      ['tool', '--password', '{redacted}', '--token', '{redacted}', '--secret-key', '{redacted}'],
    ],
    ['/usr/bin/tool', ['tool', '--token', '--verbose'], ['tool', '--token', '--verbose']],
    ['/usr/bin/tool', ['tool', '--password=a b', '--db-password=it\'s "x"'], ['tool', '--password={redacted}', '--db-password={redacted}']],
    ['/usr/bin/env', ['env', 'PGPASSWORD=a b', 'CC=gcc', 'psql'], ['env', 'PGPASSWORD={redacted}', 'CC=gcc', 'psql']],
    [
      '/usr/bin/java',
      ['java', '-Dgpg.passphrase=a b', '-Dfile.encoding=UTF-8'],
      ['java', '-Dgpg.passphrase={redacted}', '-Dfile.encoding=UTF-8'],
    ],
    [
      '/usr/bin/git',
      ['git', '-c', 'http.extraheader=AUTHORIZATION: basic eC1hY2Nlc3M=', 'fetch'],
      ['git', '-c', 'http.extraheader=AUTHORIZATION: basic {redacted}', 'fetch'],
    ],
    ['/usr/bin/make', ['make', '-j4', '--jobserver-auth=3,4', 'V=1'], ['make', '-j4', '--jobserver-auth=3,4', 'V=1']],
  ])('%s %j', (exe, argv, redacted) => {
    expect(r.argv(exe, argv)).toEqual(redacted);
  });

  /** A secret in every argument form, among ordinary arguments: none survives, whatever the secret holds. */
  test('a planted secret never survives in an argument list', () => {
    const ordinary = fc.array(fc.constantFrom('-c', 'a.c', '-o', 'a.o', '-v', '--verbose', 'build', '-j4', 'V=1', '--', '-p', 'login'), {
      maxLength: 4,
    });
    // [exe, the arguments holding the secret]
    const forms = (s: string): [string, string[]][] => [
      ['/usr/bin/tool', ['--password', s]],
      ['/usr/bin/tool', ['--token', s]],
      ['/usr/bin/tool', [`--api-key=${s}`]],
      ['/usr/bin/env', [`PGPASSWORD=${s}`]],
      ['/usr/bin/curl', ['-H', `Authorization: Bearer ${s}`]],
      ['/usr/bin/curl', ['-u', `bot:${s}`]],
      ['/usr/bin/mysql', [`-p${s}`]],
      ['/usr/bin/sshpass', ['-p', s]],
      ['/usr/bin/docker', ['login', '-p', s]],
    ];
    const secret = fc.string({ minLength: 6, maxLength: 20 }).filter((s) => !s.startsWith('--') && !'{redacted}'.includes(s));
    fc.assert(
      fc.property(secret, fc.nat(8), ordinary, ordinary, (s, which, before, after) => {
        const [exe, planted] = forms(s)[which];
        fc.pre(![exe, ...before, ...after].some((a) => a.includes(s)));
        const argv = [exe.slice(exe.lastIndexOf('/') + 1), ...planted, ...after];
        // wrapped ones keep their program first; the others take ordinary arguments before it too
        if (!['mysql', 'sshpass', 'docker'].includes(argv[0])) argv.splice(1, 0, ...before);
        expect(FORMAT_REDACTOR.argv(exe, argv).some((a) => a.includes(s))).toBe(false);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  test('each argument is redacted before `each` sees it, so a rewrite cannot split a token', () => {
    const seen: string[] = [];
    const out = r.argv('/usr/bin/git', ['git', 'push', `https://x:${T.ghs}@github.com/o/r`], (a) => {
      seen.push(a);
      return a.replace(/\d{3}/g, '{pid}');
    });
    expect(seen).toEqual(['git', 'push', 'https://x:{redacted}@github.com/o/r']);
    expect(out[2]).toBe('https://x:{redacted}@github.com/o/r');
  });

  test('a secret value in the next argument skips `each`; other arguments go through it', () => {
    expect(r.argv('/usr/bin/tool', ['tool', '--token', 'abc', 'a.c'], (a) => a.toUpperCase())).toEqual([
      'TOOL',
      '--TOKEN',
      '{redacted}',
      'A.C',
    ]);
  });
});

describe('isSecretName', () => {
  test.each([
    'GITHUB_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'PGPASSWORD',
    'MYSQL_PWD',
    'DB_PASS',
    'SSHPASS',
    'API_KEY',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'NODE_AUTH_TOKEN',
    'GH_PAT',
    'GPG_PRIVATE_KEY',
    'GPG_PASSPHRASE',
    'AZURE_CREDENTIALS',
    'DOCKER_AUTH_CONFIG',
    'keyStorePassword',
    'apiKey',
    '_authToken',
    'npm_config__auth',
    'sonar.token',
    'client_secret',
    'Authorization',
    'Cookie',
  ])('%s is secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each([
    'PWD',
    'OLDPWD',
    'XAUTHORITY',
    'SSH_AUTH_SOCK',
    'GPG_KEY',
    'GIT_AUTHOR_NAME',
    'GIT_ASKPASS',
    'PGPASSFILE',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'AWS_ACCESS_KEY_ID',
    'NEXT_PUBLIC_API_KEY',
    'SSH_PUBLIC_KEY',
    'CREDENTIALS_DIRECTORY',
    'TOKENIZERS_PARALLELISM',
    'KEY_SIZE',
    'TOKEN_TYPE',
    'PATH',
    'HOME',
    'CFLAGS',
    'KEYTIMEOUT',
    'AUTH_DOMAIN',
    'COOKIE_DOMAIN',
    'TOKEN_ENDPOINT',
    'SECRETS_MANAGER_REGION',
  ])('%s is not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});
