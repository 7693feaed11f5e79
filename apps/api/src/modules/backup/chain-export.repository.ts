import { Injectable } from '@nestjs/common';
import type { ClientBase, FieldDef } from 'pg';
import { ident } from './catalog.repository';

export interface ExportDataset {
  name: string;
  title: string;
  sql: string;
  /** Column names in order, each with its zh-CN label (shown beside the name in the XLSX header). */
  labels: Record<string, string>;
}

/**
 * The whole-chain export (整体数据导出, for leaving the system or auditing it): one dataset per kind
 * of record, with ids resolved to the numbers people use (member no., store code). Money columns
 * end in _fen and stay integer fen; times are ISO 8601 UTC. ID-card numbers stay masked, as in
 * every export; payment-password hashes and encrypted PII are never exported.
 *
 * Like the backup, this reads other capabilities' tables directly (read-only, in one snapshot): it
 * is a view of everything at one instant, which no set of per-module calls could give.
 */
const CURATED: ExportDataset[] = [
  {
    name: 'members',
    title: '会员 Members',
    sql: `SELECT mb.member_no, mb.name, mb.gender, mb.phone, mb.birthday::text AS birthday, mb.id_card_masked,
                 s.code AS home_store_code, s.name AS home_store_name, t.name AS tier, array_to_string(mb.tags, ';') AS tags,
                 mb.attributes::text AS attributes, mb.valid_until::text AS valid_until, mb.status, mb.remark,
                 ref.member_no AS referrer_member_no, merged.member_no AS merged_into_member_no,
                 COALESCE((SELECT balance FROM account a WHERE a.member_id = mb.id AND a.kind = 'wallet_principal' AND a.ref_id IS NULL), 0) AS principal_fen,
                 COALESCE((SELECT balance FROM account a WHERE a.member_id = mb.id AND a.kind = 'wallet_bonus' AND a.ref_id IS NULL), 0) AS bonus_fen,
                 COALESCE((SELECT balance FROM account a WHERE a.member_id = mb.id AND a.kind = 'points' AND a.ref_id IS NULL), 0) AS points,
                 mb.last_visit_at, mb.created_at, mb.id AS member_id
            FROM member mb
            JOIN store s ON s.id = mb.home_store_id
            LEFT JOIN tier t ON t.id = mb.tier_id
            LEFT JOIN member ref ON ref.id = mb.referrer_id
            LEFT JOIN member merged ON merged.id = mb.merged_into_id
           ORDER BY mb.member_no`,
    labels: {
      member_no: '会员号', name: '姓名', gender: '性别', phone: '手机', birthday: '生日', id_card_masked: '身份证(脱敏)', home_store_code: '门店编码',
      home_store_name: '门店', tier: '等级', tags: '标签', attributes: '自定义属性', valid_until: '有效期至', status: '状态', remark: '备注',
      referrer_member_no: '推荐人', merged_into_member_no: '合并到', principal_fen: '储值本金(分)', bonus_fen: '赠送金(分)', points: '积分',
      last_visit_at: '最近到店', created_at: '注册时间', member_id: '会员ID',
    },
  },
  {
    name: 'cards',
    title: '会员卡 Cards',
    sql: `SELECT c.card_no, mb.member_no, c.status, s.code AS issued_store_code, prev.card_no AS replaces_card_no,
                 c.created_at AS issued_at, c.lost_at, c.closed_at, c.id AS card_id
            FROM card c
            JOIN member mb ON mb.id = c.member_id
            JOIN store s ON s.id = c.issued_store_id
            LEFT JOIN card prev ON prev.id = c.replaces_card_id
           ORDER BY c.created_at, c.id`,
    labels: { card_no: '卡号', member_no: '会员号', status: '状态', issued_store_code: '发卡门店', replaces_card_no: '补卡替换', issued_at: '发卡时间', lost_at: '挂失时间', closed_at: '注销时间', card_id: '卡ID' },
  },
  {
    name: 'balances',
    title: '余额 Balances',
    sql: `SELECT mb.member_no, mb.name AS member_name, a.kind, a.ref_id, a.balance, a.created_at AS opened_at, a.id AS account_id
            FROM account a JOIN member mb ON mb.id = a.member_id
           ORDER BY mb.member_no, a.kind, a.ref_id NULLS FIRST`,
    labels: { member_no: '会员号', member_name: '姓名', kind: '账户类型', ref_id: '关联(次卡)', balance: '余额(分/积分/次)', opened_at: '开户时间', account_id: '账户ID' },
  },
  {
    name: 'ledger',
    title: '账户流水 Ledger',
    sql: `SELECT e.id AS entry_id, e.created_at, mb.member_no, e.kind, e.amount, e.balance_after, e.reason, e.ref_type, e.ref_id,
                 s.code AS store_code, e.operator_kind, e.operator_id, e.operation_id, e.memo, e.account_id
            FROM ledger_entry e
            JOIN member mb ON mb.id = e.member_id
            LEFT JOIN store s ON s.id = e.store_id
           ORDER BY e.id`,
    labels: {
      entry_id: '流水号', created_at: '时间', member_no: '会员号', kind: '账户类型', amount: '变动', balance_after: '变动后余额', reason: '原因', ref_type: '业务类型',
      ref_id: '业务单号', store_code: '门店', operator_kind: '操作人类型', operator_id: '操作人', operation_id: '操作ID', memo: '备注', account_id: '账户ID',
    },
  },
  {
    name: 'count_cards',
    title: '次卡 Count cards',
    sql: `SELECT mb.member_no, cc.name, cc.kind, array_to_string(cc.service_codes, ';') AS service_codes, cc.units_total,
                 (SELECT balance FROM account a WHERE a.member_id = cc.member_id AND a.kind = 'count_card' AND a.ref_id = cc.id) AS units_left,
                 cc.period_days, cc.daily_limit, cc.price_fen, cc.payment_method, cc.valid_from, cc.valid_until, cc.status,
                 s.code AS sold_store_code, cc.id AS count_card_id
            FROM member_count_card cc
            JOIN member mb ON mb.id = cc.member_id
            JOIN store s ON s.id = cc.sold_store_id
           ORDER BY cc.valid_from, cc.id`,
    labels: {
      member_no: '会员号', name: '名称', kind: '类型', service_codes: '适用服务', units_total: '总次数/分钟', units_left: '剩余', period_days: '周期天数',
      daily_limit: '每日上限', price_fen: '售价(分)', payment_method: '支付方式', valid_from: '生效', valid_until: '到期', status: '状态', sold_store_code: '售卡门店', count_card_id: '次卡ID',
    },
  },
];

/** Orders and their lines, payments and refunds, whatever the orders capability names its tables (order, order_line, …). */
const ORDER_TABLES = /^(order|orders|sales_order)(_[a-z0-9_]+)?$/;

@Injectable()
export class ChainExportRepository {
  /** The curated datasets, then every orders table that exists, exported column for column. */
  async datasets(c: ClientBase): Promise<ExportDataset[]> {
    const { rows } = await c.query(
      `SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS names, array_agg(c.data_type::text ORDER BY c.ordinal_position) AS types
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema()
        GROUP BY c.table_name ORDER BY c.table_name`,
    );
    const orders = (rows as { table_name: string; names: string[]; types: string[] }[])
      .filter((t) => ORDER_TABLES.test(t.table_name))
      .map((t) => ({
        name: t.table_name,
        title: `订单 ${t.table_name}`,
        // Dates as text: a JavaScript Date would shift a calendar date by the time zone.
        sql: `SELECT ${t.names.map((n, i) => (t.types[i] === 'date' ? `${ident(n)}::text AS ${ident(n)}` : ident(n))).join(', ')} FROM ${ident(t.table_name)} ORDER BY 1`,
        labels: Object.fromEntries(t.names.map((n) => [n, ''])),
      }));
    return [...CURATED, ...orders];
  }

  async openCursor(c: ClientBase, sql: string): Promise<void> {
    await c.query(`DECLARE chain_export NO SCROLL CURSOR FOR ${sql}`);
  }

  async fetch(c: ClientBase, size: number): Promise<{ rows: Record<string, unknown>[]; fields: FieldDef[] }> {
    const res = await c.query(`FETCH ${size} FROM chain_export`);
    return { rows: res.rows, fields: res.fields };
  }

  async closeCursor(c: ClientBase): Promise<void> {
    await c.query('CLOSE chain_export');
  }
}
