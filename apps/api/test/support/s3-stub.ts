import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal S3-compatible server on 127.0.0.1 for tests: path-style addressing, the calls the
 * backup store makes (PutObject, multipart upload, ListObjectsV2 with paging, GetObject,
 * DeleteObject), objects in memory. Signatures are not checked, but every request must carry a
 * SigV4 Authorization header, as a real server would insist. `failing` makes every call answer 500.
 */
export interface S3Stub {
  endpoint: string;
  bucket: string;
  objects: Map<string, Buffer>;
  requests: string[];
  failing: boolean;
  /** Keys per ListObjectsV2 page, small so that paging is exercised. */
  pageSize: number;
  close(): Promise<void>;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  const raw = Buffer.concat(parts);
  // aws-chunked bodies (streaming signatures): "<hex size>;chunk-signature=…\r\n<data>\r\n" … "0;…\r\n"
  if (String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-') || String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) {
    const out: Buffer[] = [];
    let at = 0;
    for (;;) {
      const eol = raw.indexOf('\r\n', at);
      const size = parseInt(raw.subarray(at, eol).toString('ascii').split(';')[0], 16);
      if (!size) break;
      out.push(raw.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    return Buffer.concat(out);
  }
  return raw;
}

export async function startS3Stub(bucket = 'chaincard-test'): Promise<S3Stub> {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const stub: S3Stub = { endpoint: '', bucket, objects, requests: [], failing: false, pageSize: 25, close: async () => undefined };

  const send = (res: ServerResponse, status: number, payload?: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...(payload ? { 'Content-Type': 'application/xml' } : {}), ...headers });
    res.end(payload);
  };
  const error = (res: ServerResponse, status: number, code: string) =>
    send(res, status, xml(`<Error><Code>${code}</Code><Message>${code}</Message><RequestId>stub</RequestId></Error>`));

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const [, b, ...rest] = decodeURIComponent(url.pathname).split('/');
      const key = rest.join('/');
      const q = url.searchParams;
      stub.requests.push(`${req.method} ${key || '/'}${q.toString() ? `?${q.toString()}` : ''}`);
      const data = await body(req);
      if (!/^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? ''))) return error(res, 403, 'AccessDenied');
      if (stub.failing) return error(res, 500, 'InternalError');
      if (b !== bucket) return error(res, 404, 'NoSuchBucket');

      if (req.method === 'GET' && !key && q.get('list-type') === '2') {
        const prefix = q.get('prefix') ?? '';
        const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
        const all = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
        const page = all.slice(0, stub.pageSize);
        const truncated = all.length > page.length;
        return send(
          res,
          200,
          xml(
            `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
              `<MaxKeys>${stub.pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
              (truncated ? `<NextContinuationToken>${esc(page[page.length - 1])}</NextContinuationToken>` : '') +
              page
                .map((k) => `<Contents><Key>${esc(k)}</Key><LastModified>2026-11-23T00:00:00.000Z</LastModified><ETag>${etag(objects.get(k)!)}</ETag><Size>${objects.get(k)!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
                .join('') +
              `</ListBucketResult>`,
          ),
        );
      }
      if (!key) return error(res, 400, 'InvalidRequest');
      if (req.method === 'POST' && q.has('uploads')) {
        const uploadId = randomUUID();
        uploads.set(uploadId, { key, parts: new Map() });
        return send(res, 200, xml(`<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${esc(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`));
      }
      if (req.method === 'PUT' && q.has('uploadId')) {
        const up = uploads.get(q.get('uploadId')!);
        if (!up) return error(res, 404, 'NoSuchUpload');
        up.parts.set(Number(q.get('partNumber')), data);
        return send(res, 200, undefined, { ETag: etag(data) });
      }
      if (req.method === 'POST' && q.has('uploadId')) {
        const up = uploads.get(q.get('uploadId')!);
        if (!up) return error(res, 404, 'NoSuchUpload');
        const numbers = [...data.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        const whole = Buffer.concat(numbers.map((n) => up.parts.get(n)!));
        objects.set(up.key, whole);
        uploads.delete(q.get('uploadId')!);
        return send(res, 200, xml(`<CompleteMultipartUploadResult><Location>${stub.endpoint}/${bucket}/${esc(key)}</Location><Bucket>${bucket}</Bucket><Key>${esc(key)}</Key><ETag>${etag(whole)}</ETag></CompleteMultipartUploadResult>`));
      }
      if (req.method === 'DELETE' && q.has('uploadId')) {
        uploads.delete(q.get('uploadId')!);
        return send(res, 204);
      }
      if (req.method === 'PUT') {
        objects.set(key, data);
        return send(res, 200, undefined, { ETag: etag(data) });
      }
      if (req.method === 'GET') {
        const obj = objects.get(key);
        if (!obj) return error(res, 404, 'NoSuchKey');
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(obj.length), ETag: etag(obj) });
        return void res.end(obj);
      }
      if (req.method === 'DELETE') {
        objects.delete(key);
        return send(res, 204);
      }
      return error(res, 405, 'MethodNotAllowed');
    })().catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}
