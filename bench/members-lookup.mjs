// Member lookup at scale: seed 1,000,000 members with COPY, then look members up by phone, by
// member number and by dynamic member code through the API, and the same queries through raw pg
// as the baseline.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { copyFrom, dist, fmt, ownerSession, percentiles, startSystem, time } from './lib.mjs';

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

    // Dynamic member code (会员动态码): every member gets its code key row the way the API makes
    // it (member_code_key, index from member_code_index_seq), so the key index is at full size.
    const keys = await time(async () => {
      await sys.db.query(`INSERT INTO member_code_key (member_id, code_index) SELECT id, nextval('member_code_index_seq') FROM member ON CONFLICT (member_id) DO NOTHING`);
      await sys.db.query('ANALYZE member_code_key');
    });
    console.log(`code keys for ${MEMBERS.toLocaleString()} members in ${(keys.ms / 1000).toFixed(1)} s`);
    const { MemberCodeService } = dist('modules/cards/member-code.service.js');
    const { parseCode } = dist('modules/cards/domain/member-code.js');
    const codes = sys.app.get(MemberCodeService);
    const idOf = async (k) => (await sys.db.query('SELECT id FROM member WHERE member_no = $1', [noOf(k)])).rows[0].id;
    const findSql = 'SELECT m.* FROM member_code_key k JOIN member m ON m.id = k.member_id WHERE k.code_index = $1';
    // The whole resolve in raw SQL, for reference: the same statements the repository runs.
    const rawResolve = async (code) => {
      const c = sys.db;
      await c.query('BEGIN');
      try {
        await c.query('SELECT 1 FROM store WHERE id = $1', [storeId]);
        const [key] = (await c.query('SELECT * FROM member_code_key WHERE code_index = $1', [parseCode(code).codeIndex])).rows;
        const window = Math.floor(Date.now() / 60000);
        await c.query(
          `INSERT INTO member_code_use (member_id, code, "window", uses, store_id, staff_id) VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (member_id, "window", uses) DO NOTHING RETURNING id`,
          [key.member_id, code, window, key.uses, storeId],
        );
        await c.query('UPDATE member_code_key SET uses = uses + 1 WHERE member_id = $1 AND uses = $2', [key.member_id, key.uses]);
        const r = await c.query('SELECT * FROM member WHERE id = $1', [key.member_id]);
        await c.query('COMMIT');
        return r;
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    };
    const resolveOnce = async (memberId) => {
      const { code } = await codes.issue(memberId); // what the member app shows; not timed
      const a = await time(() =>
        fetch(`${sys.base}/member-codes/resolve`, { method: 'POST', headers, body: JSON.stringify({ code, storeId }) }).then(async (r) => ({ status: r.status, body: await r.json() })),
      );
      if (a.result.status !== 200 || a.result.body.id !== memberId) throw new Error(`resolve by code: expected ${memberId}, got ${a.result.status} ${JSON.stringify(a.result.body).slice(0, 200)}`);
      return { ms: a.ms, code };
    };
    for (let i = 0; i < 50; i++) {
      const id = await idOf(pick());
      const { code } = await resolveOnce(id);
      await sys.db.query(findSql, [parseCode(code).codeIndex]);
      await rawResolve((await codes.issue(id)).code);
    }
    {
      const api = [];
      const raw = [];
      const rawTx = [];
      for (let i = 0; i < LOOKUPS; i++) {
        const id = await idOf(pick());
        const { ms, code } = await resolveOnce(id);
        api.push(ms);
        const r = await time(() => sys.db.query(findSql, [parseCode(code).codeIndex]));
        if (r.result.rows[0]?.id !== id) throw new Error('raw code lookup found another member');
        raw.push(r.ms);
        // A fresh code for the raw resolve transaction (the API one is used up).
        const fresh = (await codes.issue(id)).code;
        rawTx.push((await time(() => rawResolve(fresh))).ms);
      }
      const A = percentiles(api);
      const R = percentiles(raw);
      const T = percentiles(rawTx);
      console.log(
        `${'resolve by code'.padEnd(22)} API p50 ${fmt(A.p50)} p99 ${fmt(A.p99)} | raw pg p50 ${fmt(R.p50)} p99 ${fmt(R.p99)} | ratio p50 ×${(A.p50 / R.p50).toFixed(1)} p99 ×${(A.p99 / R.p99).toFixed(1)}`,
      );
      console.log(
        `${''.padEnd(22)} (raw resolve transaction — key, use row, counter bump, member: p50 ${fmt(T.p50)} p99 ${fmt(T.p99)} | ratio p50 ×${(A.p50 / T.p50).toFixed(1)} p99 ×${(A.p99 / T.p99).toFixed(1)})`,
      );
      results.push({ label: 'resolve by code', api: A, raw: R, rawTransaction: T });
    }
    return { members: MEMBERS, lookups: LOOKUPS, seedMs: seed.ms, results };
  } finally {
    await sys.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
