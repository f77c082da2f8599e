/**
 * GitHub's artifact service, faked at the edge on localhost: the Twirp calls
 * `CreateArtifact` and `FinalizeArtifact` that @actions/artifact makes, and the blob
 * storage it uploads the zip to (Azure's block-blob protocol: staged blocks, then the
 * block list). What was uploaded is kept, unzipped, so that tests can read every byte
 * the action published.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { inflateRawSync } from 'node:zlib';

export interface UploadedArtifact {
  readonly name: string;
  /** File name in the zip → its content. */
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface ArtifactService {
  /** `ACTIONS_RESULTS_URL`. */
  readonly url: string;
  /** `ACTIONS_RUNTIME_TOKEN`: a JWT whose `scp` names a run and a job, as the runner's does. */
  readonly token: string;
  readonly artifacts: UploadedArtifact[];
  /** Every request's method and path, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const b64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A runtime token shaped like the runner's (unsigned: the fake service does not check it). */
export function runtimeToken(): string {
  const claims = {
    scp: 'Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:11111111-1111-1111-1111-111111111111:22222222-2222-2222-2222-222222222222',
    exp: 4102444800,
  };
  return `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url(claims)}.${b64url('signature')}`;
}

/** The entries of a zip file (central directory, stored or deflated). */
export function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    if (!name.endsWith('/')) files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startArtifactService(): Promise<ArtifactService> {
  const artifacts: UploadedArtifact[] = [];
  const requests: string[] = [];
  const blocks = new Map<string, Map<string, Buffer>>();
  const blobs = new Map<string, Buffer>();
  let base = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      requests.push(`${req.method} ${url.pathname}`);
      const data = await body(req);
      const json = (value: object) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'POST' && url.pathname.endsWith('/CreateArtifact')) {
        const { name } = JSON.parse(data.toString('utf8')) as { name: string };
        return json({ ok: true, signed_upload_url: `${base}/blob/${encodeURIComponent(name)}?sig=fake` });
      }
      if (req.method === 'POST' && url.pathname.endsWith('/FinalizeArtifact')) {
        const { name } = JSON.parse(data.toString('utf8')) as { name: string };
        artifacts.push({ name, files: unzip(blobs.get(name) ?? Buffer.alloc(0)) });
        return json({ ok: true, artifact_id: String(artifacts.length) });
      }
      if (req.method === 'PUT' && url.pathname.startsWith('/blob/')) {
        const name = decodeURIComponent(url.pathname.slice('/blob/'.length));
        const comp = url.searchParams.get('comp');
        if (comp === 'block') {
          const staged = blocks.get(name) ?? new Map<string, Buffer>();
          staged.set(url.searchParams.get('blockid') ?? '', data);
          blocks.set(name, staged);
        } else if (comp === 'blocklist') {
          const ids = [...data.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1]);
          const staged = blocks.get(name) ?? new Map<string, Buffer>();
          blobs.set(name, Buffer.concat(ids.map((id) => staged.get(id) ?? Buffer.alloc(0))));
        } else {
          blobs.set(name, data);
        }
        res.writeHead(201, {
          'x-ms-request-id': 'fake',
          'x-ms-version': '2023-11-03',
          etag: '"0x1"',
          'last-modified': new Date(0).toUTCString(),
        });
        return res.end();
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'not_found', msg: `no fake for ${req.method} ${url.pathname}` }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: `${base}/`,
    token: runtimeToken(),
    artifacts,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
