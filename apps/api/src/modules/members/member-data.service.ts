import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { formatYuan } from '@chaincard/shared';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { LedgerService } from '../ledger/ledger.service';
import type { ListMembersQuery } from './dto/member.dto';
import { MemberDataRepository } from './member-data.repository';
import { MembersRepository } from './members.repository';
import { toMemberResponse } from './members.service';

const GENDER_ZH = { male: '男', female: '女', unknown: '' } as const;

/**
 * Erases what another capability keeps about a member (contact addresses, consents) when the
 * member's personal data is deleted, in the deletion's transaction. Capabilities register at
 * start-up, so members import none of them.
 */
export interface MemberErasureHook {
  onMemberErased(m: EntityManager, memberId: string): Promise<void>;
}

/** Bulk and privacy operations on member data: export, merge, personal-data export, deletion. */
@Injectable()
export class MemberDataService {
  private readonly erasureHooks: MemberErasureHook[] = [];

  registerErasureHook(hook: MemberErasureHook): void {
    this.erasureHooks.push(hook);
  }

  constructor(
    private readonly tx: TransactionHost,
    private readonly data: MemberDataRepository,
    private readonly members: MembersRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Streams an XLSX of the members matching the filters, 1000 rows at a time (keyset pages), so
   * that memory stays flat however many members the chain has. ID-card numbers stay masked. A
   * store-level caller exports only members whose home store he reaches.
   */
  async exportXlsx(actor: StaffActor, q: ListMembersQuery, res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="members-${new Date().toISOString().slice(0, 10)}.xlsx"`);
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: false, useSharedStrings: false });
    const sheet = book.addWorksheet('会员 Members');
    sheet.columns = [
      { header: '会员号 Member no', key: 'memberNo', width: 14 },
      { header: '姓名 Name', key: 'name', width: 12 },
      { header: '手机 Phone', key: 'phone', width: 14 },
      { header: '性别 Gender', key: 'gender', width: 8 },
      { header: '生日 Birthday', key: 'birthday', width: 12 },
      { header: '身份证 ID card', key: 'idCard', width: 22 },
      { header: '门店 Store', key: 'store', width: 16 },
      { header: '标签 Tags', key: 'tags', width: 16 },
      { header: '有效期 Valid until', key: 'validUntil', width: 12 },
      { header: '储值本金(元) Principal', key: 'principal', width: 14 },
      { header: '赠送金(元) Bonus', key: 'bonus', width: 12 },
      { header: '积分 Points', key: 'points', width: 10 },
      { header: '状态 Status', key: 'status', width: 10 },
      { header: '注册时间 Joined', key: 'createdAt', width: 20 },
    ];
    let after: { createdAt: Date; id: string } | null = null;
    let rows = 0;
    for (;;) {
      const page = await this.data.exportPage(this.tx.manager, { ...q, homeStoreIds: actor.scope === 'chain' ? null : actor.storeIds }, after, 1000);
      for (const r of page) {
        sheet
          .addRow({
            memberNo: r.member_no,
            name: r.name,
            phone: r.phone ?? '',
            gender: GENDER_ZH[r.gender as keyof typeof GENDER_ZH] ?? '',
            birthday: r.birthday ?? '',
            idCard: r.id_card_masked ?? '',
            store: r.store_name,
            tags: (r.tags ?? []).join(';'),
            validUntil: r.valid_until ?? '',
            principal: formatYuan(Number(r.principal)),
            bonus: formatYuan(Number(r.bonus)),
            points: Number(r.points),
            status: r.status,
            createdAt: r.created_at.toISOString(),
          })
          .commit();
      }
      rows += page.length;
      if (page.length < 1000) break;
      after = { createdAt: page[page.length - 1].created_at, id: page[page.length - 1].id };
    }
    sheet.commit();
    await book.commit();
    void rows;
  }

  /**
   * Merges a duplicate into a survivor (合并会员): balances move by transfer entries (the ledger is
   * never rewritten), every other row that points at the duplicate is re-pointed, the profile
   * gaps of the survivor are filled from the duplicate, and the duplicate is kept as 'merged'.
   */
  merge(survivorId: string, duplicateId: string, reason: string): Promise<{ survivorId: string; moved: Record<string, number> }> {
    if (survivorId === duplicateId) throw new AppError('MEMBER_MERGE_SAME');
    return this.tx.run(async (m) => {
      const [first, second] = [survivorId, duplicateId].sort();
      await this.data.lockMembers(m, [first, second]);
      const survivor = await this.members.findById(m, survivorId);
      const dup = await this.members.findById(m, duplicateId);
      if (!survivor || !dup) throw new AppError('MEMBER_NOT_FOUND');
      if (survivor.status === 'merged' || dup.status === 'merged') throw new AppError('MEMBER_MERGED');
      if (survivor.status === 'anonymised' || dup.status === 'anonymised') throw new AppError('MEMBER_NOT_ACTIVE');

      const moved: Record<string, number> = {};
      const balances = (await this.ledger.balances(m, duplicateId)).filter((b) => b.balance > 0);
      if (balances.length) {
        await this.ledger.post(m, {
          legs: balances.flatMap((b) => [
            { memberId: duplicateId, kind: b.kind, accountRefId: b.refId, amount: -b.balance, reason: 'merge_out' },
            { memberId: survivorId, kind: b.kind, accountRefId: b.refId, amount: b.balance, reason: 'merge_in' },
          ]),
          refType: 'member_merge',
          refId: `${survivorId}<-${duplicateId}`,
          storeId: null,
          memo: reason,
        });
        for (const b of balances) moved[b.kind] = (moved[b.kind] ?? 0) + b.balance;
      }
      const repointed = await this.data.repointReferences(m, duplicateId, survivorId);
      await this.data.revokeSessions(m, duplicateId);
      const before = toMemberResponse(survivor, 0);
      const phone = survivor.phone ?? dup.phone;
      const idCard = survivor.idCardHash ? null : dup.idCardHash ? { cipher: dup.idCardCipher, hash: dup.idCardHash, masked: dup.idCardMasked } : null;
      await this.data.retireDuplicate(m, duplicateId, survivorId);
      await this.data.fillSurvivor(m, survivorId, {
        phone,
        birthday: survivor.birthday ?? dup.birthday,
        tags: [...new Set([...survivor.tags, ...dup.tags])],
        attributes: { ...dup.attributes, ...survivor.attributes },
        idCard,
        validUntil: [survivor.validUntil, dup.validUntil].every(Boolean) ? [survivor.validUntil!, dup.validUntil!].sort()[1] : null,
      });
      const after = toMemberResponse((await this.members.findById(m, survivorId))!, 0);
      await this.audit.record(m, {
        action: 'member.merge',
        entityType: 'member',
        entityId: survivorId,
        storeId: survivor.homeStoreId,
        before: { ...before, duplicateId, duplicateMemberNo: dup.memberNo },
        after: { ...after, moved, repointed },
        reason,
      });
      return { survivorId, moved };
    });
  }

  /** Everything ChainCard holds about one member, for a PIPL access request (个人信息查阅). */
  async personalData(memberId: string) {
    const m = this.tx.manager;
    const member = await this.members.findById(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    const [entries] = await this.ledger.entries(m, { memberId, kinds: ['wallet_principal', 'wallet_bonus', 'points', 'count_card'], offset: 0, limit: 100000 });
    return {
      exportedAt: new Date().toISOString(),
      profile: toMemberResponse(member, 0),
      balances: await this.ledger.balances(m, memberId),
      ledger: entries,
      related: await this.data.relatedRows(m, memberId),
    };
  }

  /**
   * Deletes a member's personal data on request (PIPL 删除权): the profile is blanked and the
   * member can no longer sign in, but the ledgers stay (they are the chain's accounting records).
   * Unspent principal is the member's money: it must be refunded first. Bonus and points are
   * forfeited only when the caller confirms it.
   */
  anonymise(memberId: string, opts: { reason: string; forfeitBonusAndPoints: boolean; actor: string }): Promise<{ memberId: string; forfeited: Record<string, number> }> {
    return this.tx.run(async (m) => {
      await this.data.lockMembers(m, [memberId]);
      const member = await this.members.findById(m, memberId);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      if (member.status === 'anonymised' || member.status === 'merged') throw new AppError('MEMBER_NOT_ACTIVE');
      const balances = (await this.ledger.balances(m, memberId)).filter((b) => b.balance > 0);
      const principal = balances.find((b) => b.kind === 'wallet_principal')?.balance ?? 0;
      if (principal > 0 || (balances.length && !opts.forfeitBonusAndPoints)) {
        throw new AppError('MEMBER_HAS_BALANCE', { balances: balances.map((b) => ({ kind: b.kind, balance: b.balance })) });
      }
      const forfeited: Record<string, number> = {};
      if (balances.length) {
        await this.ledger.post(m, {
          legs: balances.map((b) => ({ memberId, kind: b.kind, accountRefId: b.refId, amount: -b.balance, reason: 'forfeit_on_deletion' })),
          refType: 'member_deletion',
          refId: memberId,
          storeId: null,
          memo: opts.reason,
        });
        for (const b of balances) forfeited[b.kind] = (forfeited[b.kind] ?? 0) + b.balance;
      }
      await this.data.anonymise(m, memberId);
      for (const hook of this.erasureHooks) await hook.onMemberErased(m, memberId);
      await this.data.revokeSessions(m, memberId);
      await this.audit.record(m, {
        action: 'member.anonymise',
        entityType: 'member',
        entityId: memberId,
        storeId: member.homeStoreId,
        before: { memberNo: member.memberNo, status: member.status },
        after: { status: 'anonymised', forfeited, requestedBy: opts.actor },
        reason: opts.reason,
      });
      return { memberId, forfeited };
    });
  }
}
