// Member lookup at scale: seed 1,000,000 members with COPY, then look members up by phone and by
// member number through the API, and the same queries through raw pg as the baseline.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { copyFrom, fmt, ownerSession, percentiles, startSystem, time } from './lib.mjs';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 2000);

export async function run() {
  const sys = await startSystem();
  try {
    const { storeId, headers } = await ownerSession(sys);
    const seed = await time(async () => {
      await sys.db.query('ALTER TABLE member DISABLE TRIGGER ALL');
      function* rows() {
        for (let i = 1; i <= MEMBERS; i++) {
          const no = `8${String(i).padStart(9, '0')}`;
          yield `${no}\t会员${i}\t1${String(3000000000 + i)}\t${storeId}\n`;
        }
      }
      const stream = sys.db.query(copyFrom('COPY member (member_no, name, phone, home_store_id) FROM STDIN'));
      await pipeline(Readable.from(rows(), { objectMode: false }), stream);
      await sys.db.query('ALTER TABLE member ENABLE TRIGGER ALL');
      await sys.db.query(`SELECT setval('member_no_seq', $1)`, [MEMBERS]);
      await sys.db.query('ANALYZE member');
    });
    console.log(`seeded ${MEMBERS.toLocaleString()} members with COPY in ${(seed.ms / 1000).toFixed(1)} s`);

    const pick = () => 1 + Math.floor(Math.random() * MEMBERS);
    const phoneOf = (i) => `1${String(3000000000 + i)}`;
    const noOf = (i) => `8${String(i).padStart(9, '0')}`;
    const measure = async (label, apiUrl, sql, param) => {
      // Warm both paths first so that neither pays for cold caches.
      for (let i = 0; i < 50; i++) {
        await fetch(apiUrl(pick()), { headers });
        await sys.db.query(sql, [param(pick())]);
      }
      const api = [];
      const raw = [];
      for (let i = 0; i < LOOKUPS; i++) {
        const k = pick();
        const a = await time(() => fetch(apiUrl(k), { headers }).then((r) => r.json()));
        if (a.result.items?.length !== 1) throw new Error(`${label}: expected one member, got ${JSON.stringify(a.result).slice(0, 200)}`);
        api.push(a.ms);
        raw.push((await time(() => sys.db.query(sql, [param(k)]))).ms);
      }
      const A = percentiles(api);
      const R = percentiles(raw);
      console.log(
        `${label.padEnd(22)} API p50 ${fmt(A.p50)} p99 ${fmt(A.p99)} | raw pg p50 ${fmt(R.p50)} p99 ${fmt(R.p99)} | ratio p50 ×${(A.p50 / R.p50).toFixed(1)} p99 ×${(A.p99 / R.p99).toFixed(1)}`,
      );
      return { label, api: A, raw: R };
    };
    const results = [
      await measure('lookup by phone', (k) => `${sys.base}/members?phone=${phoneOf(k)}`, 'SELECT * FROM member WHERE phone = $1', phoneOf),
      await measure('lookup by member no', (k) => `${sys.base}/members?memberNo=${noOf(k)}`, 'SELECT * FROM member WHERE member_no = $1', noOf),
    ];
    return { members: MEMBERS, lookups: LOOKUPS, seedMs: seed.ms, results };
  } finally {
    await sys.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
