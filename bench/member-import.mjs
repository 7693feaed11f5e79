// Member import throughput: a 100,000-row CSV imported through the API (validation, encryption
// where given, ledger entries for opening balances, audit) against COPY of the same rows into
// the member table, the floor of what PostgreSQL can take.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { copyFrom, ownerSession, startSystem, time } from './lib.mjs';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

export async function run() {
  const sys = await startSystem();
  try {
    const { storeId, headers } = await ownerSession(sys);
    const lines = ['姓名,手机号,储值余额,积分'];
    for (let i = 1; i <= ROWS; i++) lines.push(`导入${i},1${String(4000000000 + i)},${(i % 500) + 0.5},${i % 1000}`);
    const csv = lines.join('\n');
    const api = await time(async () => {
      const res = await fetch(`${sys.base}/members/imports?storeId=${storeId}`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: csv });
      const job = await res.json();
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        const s = await (await fetch(`${sys.base}/members/imports/${job.id}`, { headers })).json();
        if (s.status === 'done' || s.status === 'failed') return s;
      }
    });
    if (api.result.rowsImported !== ROWS) throw new Error(`import incomplete: ${JSON.stringify(api.result)}`);
    await sys.db.query('CREATE TABLE member_copy (LIKE member INCLUDING ALL)');
    const copy = await time(async () => {
      function* rows() {
        for (let i = 1; i <= ROWS; i++) yield `9${String(i).padStart(9, '0')}\t导入${i}\t1${String(5000000000 + i)}\t${storeId}\n`;
      }
      await pipeline(Readable.from(rows()), sys.db.query(copyFrom('COPY member_copy (member_no, name, phone, home_store_id) FROM STDIN')));
    });
    const perSec = (ROWS / api.ms) * 1000;
    console.log(
      `import ${ROWS.toLocaleString()} rows: API ${(api.ms / 1000).toFixed(1)} s (${Math.round(perSec)} rows/s, with ledger + audit) | COPY ${(copy.ms / 1000).toFixed(2)} s | ratio ×${(api.ms / copy.ms).toFixed(0)}`,
    );
    const mem = process.memoryUsage().rss / 1024 / 1024;
    console.log(`process RSS after import: ${mem.toFixed(0)} MiB (the file is streamed, not loaded)`);
    return { rows: ROWS, apiMs: api.ms, copyMs: copy.ms };
  } finally {
    await sys.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
