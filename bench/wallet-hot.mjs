// One hot wallet: a single member's stored value spent by 64 concurrent requests per round through
// POST /api/members/:memberId/wallet/spends, until the balance runs out in the last round. Checks
// afterwards that nothing was overdrawn (ledger + GET /api/reconcile). Baseline in the same run:
// the same deductions as a conditional UPDATE + INSERT per transaction on 64 raw pg connections.
import { randomUUID } from 'node:crypto';
import { fmt, ownerSession, percentiles, pg, startSystem, time } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_WALLET_ROUNDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_WALLET_CONCURRENCY ?? 64);
const SPEND_FEN = 100;
// Enough for all rounds but the last, and half of the last: that round gets refusals.
const BALANCE_FEN = SPEND_FEN * (CONCURRENCY * (ROUNDS - 1) + Math.floor(CONCURRENCY / 2));

export async function run() {
  const sys = await startSystem({ env: { DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '20' } });
  try {
    const { storeId, headers } = await ownerSession(sys);
    const post = (path, body) =>
      fetch(`${sys.base}${path}`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(body) });

    // Counter money needs the owner's open shift at the store.
    const shiftRes = await post('/shifts', { storeId, floatFen: 0 });
    if (shiftRes.status !== 201) throw new Error(`open shift: ${shiftRes.status} ${JSON.stringify(await shiftRes.json())}`);
    const memberRes = await post('/members', { name: '热点会员', phone: '13900000001', homeStoreId: storeId });
    const member = await memberRes.json();
    if (memberRes.status !== 201) throw new Error(`create member: ${memberRes.status} ${JSON.stringify(member)}`);
    const topUpRes = await post(`/members/${member.id}/wallet/top-ups`, { storeId, amountFen: BALANCE_FEN, paymentMethod: 'cash' });
    const topUp = await topUpRes.json();
    if (topUpRes.status !== 201) throw new Error(`top up: ${topUpRes.status} ${JSON.stringify(topUp)}`);
    const initial = topUp.balance.totalFen;
    if (topUp.balance.pendingBonusFen) console.log(`note: ${topUp.balance.pendingBonusFen} fen of bonus pending (not spendable)`);

    // Warm the route (and its connections) on a second member so the hot member's figures stay exact.
    const warm = await (await post('/members', { name: '预热', phone: '13900000002', homeStoreId: storeId })).json();
    await post(`/members/${warm.id}/wallet/top-ups`, { storeId, amountFen: 100_000, paymentMethod: 'cash' });
    await Promise.all(Array.from({ length: CONCURRENCY }, () => post(`/members/${warm.id}/wallet/spends`, { storeId, amountFen: 1, memo: '预热' })));
    // One at a time, for the cost of a spend without contention.
    const serial = [];
    for (let i = 0; i < 100; i++) serial.push((await time(() => post(`/members/${warm.id}/wallet/spends`, { storeId, amountFen: 1, memo: '预热' }).then((r) => r.json()))).ms);

    // ---- API
    const latencies = [];
    const statuses = new Map();
    let successes = 0;
    let refusals = 0;
    let spentFen = 0;
    let observedMin = Infinity;
    const other = [];
    const apiRun = await time(async () => {
      for (let r = 0; r < ROUNDS; r++) {
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            const t = process.hrtime.bigint();
            const res = await post(`/members/${member.id}/wallet/spends`, { storeId, amountFen: SPEND_FEN, memo: '基准消费' });
            const body = await res.json();
            latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 201) {
              successes++;
              spentFen += body.amountFen;
              observedMin = Math.min(observedMin, body.balance.totalFen);
            } else if (body.error?.code === 'WALLET_INSUFFICIENT_BALANCE') refusals++;
            else other.push(`${res.status} ${body.error?.code ?? JSON.stringify(body).slice(0, 120)}`);
          }),
        );
      }
    });

    // ---- Checks: no overdraw
    const final = await (await fetch(`${sys.base}/members/${member.id}/wallet`, { headers })).json();
    const reconcile = await (await fetch(`${sys.base}/reconcile`, { headers })).json();
    const [ledger] = (
      await sys.db.query(
        `SELECT count(*) FILTER (WHERE reason = 'spend' AND amount < 0)::int AS spend_entries,
                COALESCE(min(balance_after), 0)::bigint AS min_after,
                count(*) FILTER (WHERE balance_after < 0)::int AS negative_after
           FROM ledger_entry WHERE member_id = $1 AND kind IN ('wallet_principal', 'wallet_bonus')`,
        [member.id],
      )
    ).rows;
    const [{ n: spendRows, fen: spendRowsFen }] = (
      await sys.db.query(`SELECT count(*)::int AS n, COALESCE(sum(amount_fen), 0)::bigint AS fen FROM wallet_spend WHERE member_id = $1`, [member.id])
    ).rows;
    const [{ balance: accountBalance }] = (
      await sys.db.query(`SELECT COALESCE(sum(balance), 0)::bigint AS balance FROM account WHERE member_id = $1 AND kind IN ('wallet_principal', 'wallet_bonus')`, [member.id])
    ).rows;
    const expectedFinal = initial - spentFen;
    const allowed = Math.floor(initial / SPEND_FEN);
    const overdraws =
      Math.max(0, successes - allowed) +
      ledger.negative_after +
      (final.totalFen !== expectedFinal ? 1 : 0) +
      (Number(accountBalance) !== expectedFinal ? 1 : 0) +
      (Number(spendRowsFen) !== spentFen ? 1 : 0) +
      (reconcile.ok ? 0 : 1);

    // ---- Raw pg baseline: scratch tables, the same balance, the same rounds.
    await sys.db.query(`CREATE TABLE bench_account (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), balance bigint NOT NULL CHECK (balance >= 0))`);
    await sys.db.query(
      `CREATE TABLE bench_spend (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id uuid NOT NULL, amount bigint NOT NULL, balance_after bigint NOT NULL, memo text, created_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [{ id: accountId }] = (await sys.db.query(`INSERT INTO bench_account (balance) VALUES ($1) RETURNING id`, [initial])).rows;
    const clients = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const c = new pg.Client({ connectionString: sys.url });
        await c.connect();
        return c;
      }),
    );
    const rawSpend = async (c) => {
      await c.query('BEGIN');
      try {
        const u = await c.query('UPDATE bench_account SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance', [SPEND_FEN, accountId]);
        if (u.rowCount !== 1) {
          await c.query('ROLLBACK');
          return false;
        }
        await c.query('INSERT INTO bench_spend (account_id, amount, balance_after, memo) VALUES ($1, $2, $3, $4)', [accountId, -SPEND_FEN, u.rows[0].balance, '基准消费']);
        await c.query('COMMIT');
        return true;
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    };
    const rawLatencies = [];
    const rawSerial = [];
    let rawSuccesses = 0;
    let rawRefusals = 0;
    let rawRun;
    try {
      // Warm-up on a separate account row.
      const [{ id: warmId }] = (await sys.db.query(`INSERT INTO bench_account (balance) VALUES (0) RETURNING id`)).rows;
      await Promise.all(clients.map((c) => c.query('UPDATE bench_account SET balance = balance - $1 WHERE id = $2 AND balance >= $1', [1, warmId])));
      await sys.db.query(`UPDATE bench_account SET balance = 1000 WHERE id = $1`, [warmId]);
      for (let i = 0; i < 100; i++) {
        rawSerial.push(
          (
            await time(async () => {
              await clients[0].query('BEGIN');
              const u = await clients[0].query('UPDATE bench_account SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance', [1, warmId]);
              await clients[0].query('INSERT INTO bench_spend (account_id, amount, balance_after, memo) VALUES ($1, $2, $3, $4)', [warmId, -1, u.rows[0].balance, '预热']);
              await clients[0].query('COMMIT');
            })
          ).ms,
        );
      }
      rawRun = await time(async () => {
        for (let r = 0; r < ROUNDS; r++) {
          await Promise.all(
            clients.map(async (c) => {
              const t = process.hrtime.bigint();
              const ok = await rawSpend(c);
              rawLatencies.push(Number(process.hrtime.bigint() - t) / 1e6);
              if (ok) rawSuccesses++;
              else rawRefusals++;
            }),
          );
        }
      });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const [{ balance: rawFinal }] = (await sys.db.query(`SELECT balance::bigint FROM bench_account WHERE id = $1`, [accountId])).rows;

    const n = ROUNDS * CONCURRENCY;
    const A = percentiles(latencies);
    const R = percentiles(rawLatencies);
    const apiPerSec = (n / apiRun.ms) * 1000;
    const rawPerSec = (n / rawRun.ms) * 1000;
    console.log(`one member, ${ROUNDS} rounds × ${CONCURRENCY} concurrent spends of ${SPEND_FEN} fen, balance ${initial} fen (runs out in the last round)`);
    console.log(
      `API    ${Math.round(apiPerSec)} deductions/s | p50 ${fmt(A.p50)} p99 ${fmt(A.p99)} | successes ${successes} refusals ${refusals}${other.length ? ` other ${other.length}` : ''} | statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    console.log(`raw pg ${Math.round(rawPerSec)} deductions/s | p50 ${fmt(R.p50)} p99 ${fmt(R.p99)} | successes ${rawSuccesses} refusals ${rawRefusals} | final ${rawFinal} fen`);
    const S = percentiles(serial);
    const RS = percentiles(rawSerial);
    console.log(`uncontended (one at a time, 100 spends): API p50 ${fmt(S.p50)} p99 ${fmt(S.p99)} | raw pg p50 ${fmt(RS.p50)} p99 ${fmt(RS.p99)}`);
    console.log(`ratio API/raw throughput ×${(apiPerSec / rawPerSec).toFixed(2)} | p50 ×${(A.p50 / R.p50).toFixed(1)} p99 ×${(A.p99 / R.p99).toFixed(1)}`);
    console.log(
      `overdraws ${overdraws}: final ${final.totalFen} fen (account rows ${accountBalance}) = initial ${initial} − spent ${spentFen} → ${expectedFinal}; ` +
        `ledger spend entries ${ledger.spend_entries}, wallet_spend rows ${spendRows} (${spendRowsFen} fen), min balance_after ${ledger.min_after}, ` +
        `lowest balance seen in responses ${observedMin === Infinity ? '-' : observedMin}; reconcile ok ${reconcile.ok}`,
    );
    if (!reconcile.ok) console.log(`reconcile: ${JSON.stringify(reconcile.checks.filter((c) => c.violations))}`);
    if (other.length) console.log(`unexpected responses (first 5): ${other.slice(0, 5).join(' | ')}`);
    return { rounds: ROUNDS, concurrency: CONCURRENCY, api: { perSec: apiPerSec, ...A, successes, refusals }, raw: { perSec: rawPerSec, ...R, successes: rawSuccesses, refusals: rawRefusals }, overdraws };
  } finally {
    await sys.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
