import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createTestApp } from '../../support/test-app';

// packages/api-client is generated from the document this API builds; CI fails here when the
// checked-in copy drifts. `UPDATE_API_CLIENT=1` rewrites it instead of comparing.
const CLIENT = join(__dirname, '../../../../../packages/api-client');
const CLIENT_SRC = join(CLIENT, 'src');
const REGENERATE = 'UPDATE_API_CLIENT=1 npm test -- api-client';
const update = process.env.UPDATE_API_CLIENT === '1';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Operation {
  summary?: string;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** The document as JSON text: `undefined` members dropped, 2-space indent, trailing newline. */
function documentText(document: OpenAPIObject): string {
  // Nothing in Nest's document depends on time or randomness today; if that changes, normalise it here.
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** src/schema.ts as packages/api-client's generator prints it (openapi-typescript is ESM-only underneath, so not in Jest). */
function schemaText(openapiJson: string): string {
  // Through a file, not stdin: a non-blocking stdin pipe makes readFileSync(0) fail with EAGAIN under load.
  const dir = mkdtempSync(join(tmpdir(), 'chaincard-openapi-'));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, openapiJson);
  try {
    return execFileSync(process.execPath, [join(CLIENT, 'scripts/generate-schema.mjs'), file], { cwd: CLIENT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function operations(document: OpenAPIObject): { name: string; op: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] as Operation })),
  );
}

function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, n) => line !== e[n]);
  const line = i === -1 ? a.length : i;
  return `first difference at line ${line + 1}:\n  checked in: ${JSON.stringify(a[line])}\n  generated:  ${JSON.stringify(e[line])}`;
}

function checkFile(name: string, generated: string): void {
  const path = join(CLIENT_SRC, name);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === generated) return;
  if (update) {
    writeFileSync(path, generated);
    return;
  }
  const why = current === undefined ? 'is missing' : `is out of date (${firstDifference(current, generated)})`;
  throw new Error(`packages/api-client/src/${name} ${why}.\nRegenerate it from the repository root: ${REGENERATE}`);
}

describe('API client', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    const t = await createTestApp();
    document = JSON.parse(documentText(t.document)) as OpenAPIObject;
    await t.close();
  });

  it('has the checked-in OpenAPI document and TypeScript types the API generates now', () => {
    const json = documentText(document);
    checkFile('openapi.json', json);
    checkFile('schema.ts', schemaText(json));
  });

  it('gives every operation a summary', () => {
    const missing = operations(document).filter(({ op }) => !op.summary?.trim()).map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('documents a success response for every operation', () => {
    const missing = operations(document).filter(({ op }) => !Object.keys(op.responses ?? {}).some((s) => /^2\d\d$/.test(s))).map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('gives every success response except 204 a schema, so front ends get real types', () => {
    // A success response with no content at all is untyped too (Nest's default when a route has no @ApiResult).
    const untyped = operations(document).flatMap(({ name, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
        .flatMap(([status, res]) => {
          const media = Object.entries(res.content ?? {});
          if (media.length === 0) return [`${name} → ${status}: no body documented`];
          return media.filter(([type, m]) => /[/+]json\b/.test(type) && !m.schema).map(([type]) => `${name} → ${status} ${type}: no schema`);
        }),
    );
    expect(untyped).toEqual([]);
  });
});
