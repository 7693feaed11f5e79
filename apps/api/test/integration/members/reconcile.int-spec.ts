import { giveBalance, makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('reconcile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports every ledger invariant holding, and names the account when one breaks', async () => {
    const store = await makeStore(t.ds);
    const owner = await signedIn(t.ds, t.http, 'owner');
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 1000 }, { kind: 'points', amount: 5 }]);
    const ok = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checks.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['balance_equals_entries', 'no_negative_balance', 'running_balance_consistent', 'entries_reference_operation']),
    );
    // A balance changed behind the ledger's back (the trigger only guards entries) is caught.
    const [account] = await t.ds.query(`UPDATE account SET balance = balance + 1 WHERE member_id = $1 AND kind = 'wallet_principal' RETURNING id`, [m.id]);
    const bad = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(bad.body.ok).toBe(false);
    const broken = bad.body.checks.find((c: { name: string }) => c.name === 'balance_equals_entries');
    expect(broken.violations).toBe(1);
    expect(broken.samples[0]).toMatchObject({ account_id: account[0].id, balance: '1001', entries_sum: '1000' });
  });

  it('refuses direct changes to ledger entries and negative balances at the database', async () => {
    const store = await makeStore(t.ds);
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    await giveBalance(t.ds, m.id, [{ kind: 'points', amount: 5 }]);
    await expect(t.ds.query(`UPDATE ledger_entry SET amount = 500 WHERE member_id = $1`, [m.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM ledger_entry WHERE member_id = $1`, [m.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`UPDATE account SET balance = -1 WHERE member_id = $1`, [m.id])).rejects.toThrow(/account_balance_non_negative/);
  });

  it('is for HQ only', async () => {
    const store = await makeStore(t.ds);
    const manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    await t.http.get('/api/reconcile').set(manager.auth).expect(403);
  });
});
