import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { isValidIdCard, maskIdCard, PiiCipher } from '../../common/crypto/pii';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { TierEvaluationService } from '../tiers/tier-evaluation.service';
import { validateAttributes } from './domain/attributes';
import type {
  AttributeDefRequest,
  AttributeDefResponse,
  CreateMemberRequest,
  ListMembersQuery,
  MemberResponse,
  UpdateAttributeDefRequest,
  UpdateMemberRequest,
  UpdateMyProfileRequest,
} from './dto/member.dto';
import type { MemberAttributeDefEntity, MemberEntity } from './entities/member.entity';
import { MembersRepository, type MemberSegment } from './members.repository';

export type { MemberSegment } from './members.repository';

/**
 * Called inside the registration's transaction when a member joins (入会), e.g. to give the join
 * coupons. Capabilities register at start-up, so members needs no import of them.
 */
export interface MemberJoinHook {
  onMemberJoined(m: EntityManager, member: MemberResponse, storeId: string): Promise<void>;
}
import { PayPasswordService } from './pay-password.service';

@Injectable()
export class MembersService {
  private readonly pii: PiiCipher;
  private readonly joinHooks: MemberJoinHook[] = [];

  constructor(
    private readonly tx: TransactionHost,
    private readonly members: MembersRepository,
    private readonly audit: AuditService,
    private readonly tiers: TierEvaluationService,
    private readonly payPasswords: PayPasswordService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pii = new PiiCipher(config.piiKey);
  }

  registerJoinHook(hook: MemberJoinHook): void {
    this.joinHooks.push(hook);
  }

  /**
   * One page of the active members a segment selects, ordered by id (keyset: pass the last id of
   * the previous page). Callers run big segments page by page, one transaction per page.
   */
  segmentPage(m: EntityManager, segment: MemberSegment, afterId: string | null, limit: number): Promise<string[]> {
    return this.members.segmentPage(m, segment, afterId, limit);
  }

  async list(q: ListMembersQuery): Promise<Page<MemberResponse>> {
    const m = this.tx.manager;
    const churnDays = await this.members.churnDays(m);
    const [rows, total] = await this.members.list(
      m,
      { ...q, idCardHash: q.idCardNo ? this.pii.lookupHash(q.idCardNo) : undefined, offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
      churnDays,
    );
    return pageOf(rows.map((r) => toMemberResponse(r, churnDays)), total, q);
  }

  async get(memberId: string): Promise<MemberResponse> {
    const m = this.tx.manager;
    const member = await this.members.findById(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    return toMemberResponse(member, await this.members.churnDays(m));
  }

  /** For the birthday greeting job: active members born on these month-days (MM-DD), a page at a time. */
  birthdaysOn(m: EntityManager, monthDays: string[], afterId: string | null, limit = 500): Promise<{ id: string; homeStoreId: string }[]> {
    return this.members.birthdaysOn(m, monthDays, afterId, limit);
  }

  /** For the expiry reminders: active members whose validity ends in [from, to] (YYYY-MM-DD), a page at a time. */
  validityEndingBetween(m: EntityManager, from: string, to: string, afterId: string | null, limit = 500): Promise<{ id: string; homeStoreId: string; validUntil: string }[]> {
    return this.members.validityEndingBetween(m, from, to, afterId, limit);
  }

  /** Home store of each member (for records of chain-level events that store staff should see). */
  homeStores(m: EntityManager, memberIds: string[]): Promise<Map<string, string>> {
    return this.members.homeStores(m, memberIds);
  }

  /** Registers a member (办卡/开卡). Phone and ID-card number are unique across the chain. */
  create(actor: StaffActor, input: CreateMemberRequest): Promise<MemberResponse> {
    return this.tx.run(async (m) => {
      const homeStoreId = input.homeStoreId ?? actor.storeIds[0];
      if (!homeStoreId) throw new AppError('VALIDATION_FAILED', [{ field: 'homeStoreId', errors: ['homeStoreId is required for HQ staff'] }]);
      if (!(await this.members.storeExists(m, homeStoreId))) throw new AppError('STORE_NOT_FOUND');
      if (input.phone && (await this.members.phoneTaken(m, input.phone))) throw new AppError('MEMBER_PHONE_TAKEN', { field: 'phone' });
      const idCard = await this.idCardFields(m, input.idCardNo);
      if (input.referrerId && !(await this.members.findById(m, input.referrerId))) throw new AppError('MEMBER_REFERRER_INVALID');
      const registeredBy = input.registeredByStaffId ?? actor.id;
      if (!(await this.members.staffExists(m, registeredBy))) throw new AppError('STAFF_NOT_FOUND');
      const attributes = await this.checkAttributes(m, input.attributes ?? {}, {});
      const member = await this.members.insert(m, {
        memberNo: await this.members.nextMemberNo(m),
        name: input.name,
        phone: input.phone ?? null,
        gender: input.gender ?? 'unknown',
        birthday: input.birthday ?? null,
        ...idCard,
        referrerId: input.referrerId ?? null,
        registeredByStaffId: registeredBy,
        homeStoreId,
        tags: input.tags ?? [],
        attributes,
        validUntil: input.validUntil ?? null,
        remark: input.remark ?? '',
        status: 'active',
      });
      member.tierId = await this.tiers.assignInitialTier(m, member.id);
      const after = toMemberResponse(member, 0);
      await this.audit.record(m, { action: 'member.create', entityType: 'member', entityId: member.id, storeId: homeStoreId, after: { ...after } });
      for (const hook of this.joinHooks) await hook.onMemberJoined(m, after, homeStoreId);
      return after;
    });
  }

  /**
   * A WeChat user who signed in to the member app without being a member yet (待激活): a pending
   * member with the store whose QR code brought him (or the chain's first store) as home store,
   * and the referrer the QR code named. Pending members sign in but hold no money until a phone
   * number is bound (activateWithPhone). Runs in the caller's transaction.
   */
  async registerPending(m: EntityManager, input: { homeStoreId: string | null; referrerId: string | null }): Promise<MemberResponse> {
    const homeStoreId = input.homeStoreId ?? (await this.members.defaultStoreId(m));
    if (!homeStoreId || !(await this.members.storeExists(m, homeStoreId))) throw new AppError('STORE_NOT_FOUND');
    const referrer = input.referrerId ? await this.members.findById(m, input.referrerId) : null;
    const member = await this.members.insert(m, {
      memberNo: await this.members.nextMemberNo(m),
      name: '微信会员',
      phone: null,
      gender: 'unknown',
      referrerId: referrer && referrer.status === 'active' ? referrer.id : null,
      registeredByStaffId: null,
      homeStoreId,
      tags: [],
      attributes: {},
      remark: '',
      status: 'pending',
    });
    member.tierId = await this.tiers.assignInitialTier(m, member.id);
    const after = toMemberResponse(member, 0);
    await this.audit.record(m, { action: 'member.register_wechat', entityType: 'member', entityId: member.id, storeId: homeStoreId, after: { ...after } });
    return after;
  }

  /**
   * A pending member scanned a store's QR code (扫码入会): that store becomes the home store and
   * the code's referrer the referrer (老带新; the points rules pay the referral bonus on the first
   * purchase). Members who already joined keep both: a later scan changes nothing. Returns
   * whether anything changed.
   */
  async joinStore(m: EntityManager, memberId: string, input: { storeId: string; referrerId: string | null }): Promise<boolean> {
    const member = await this.members.lockById(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    if (member.status !== 'pending') return false;
    if (!(await this.members.storeExists(m, input.storeId))) throw new AppError('STORE_NOT_FOUND');
    const before = { homeStoreId: member.homeStoreId, referrerId: member.referrerId };
    const referrer = input.referrerId && input.referrerId !== memberId ? await this.members.findById(m, input.referrerId) : null;
    member.homeStoreId = input.storeId;
    if (!member.referrerId && referrer && referrer.status === 'active') member.referrerId = referrer.id;
    await this.members.save(m, member);
    await this.audit.record(m, { action: 'member.join_store', entityType: 'member', entityId: memberId, storeId: input.storeId, before, after: { homeStoreId: member.homeStoreId, referrerId: member.referrerId } });
    return true;
  }

  /** The member holding this phone number, if any (phone numbers are unique across the chain). */
  async findIdByPhone(m: EntityManager, phone: string): Promise<{ id: string; status: MemberResponse['status'] } | null> {
    const row = await this.members.findByPhone(m, phone);
    return row ? { id: row.id, status: row.status } : null;
  }

  /**
   * Binds the phone number WeChat verified (getPhoneNumber) to a member with none; a pending
   * member becomes active (激活). The caller has checked that no other member holds the number.
   */
  async activateWithPhone(m: EntityManager, memberId: string, phone: string): Promise<MemberResponse> {
    const member = await this.members.lockById(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    if (member.status !== 'pending' && member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
    if (member.phone && member.phone !== phone) throw new AppError('MEMBER_PHONE_TAKEN', { field: 'phone' });
    if (await this.members.phoneTaken(m, phone, memberId)) throw new AppError('MEMBER_PHONE_TAKEN', { field: 'phone' });
    const before = { status: member.status, phone: member.phone };
    member.phone = phone;
    member.status = 'active';
    await this.members.save(m, member);
    await this.audit.record(m, { action: 'member.bind_phone', entityType: 'member', entityId: memberId, storeId: member.homeStoreId, before, after: { status: 'active', phone } });
    return toMemberResponse(member, 0);
  }

  update(memberId: string, input: UpdateMemberRequest): Promise<MemberResponse> {
    return this.tx.run(async (m) => {
      const member = await this.members.findById(m, memberId);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      if (member.status === 'anonymised') throw new AppError('MEMBER_NOT_ACTIVE');
      const before = toMemberResponse(member, 0);
      if (input.phone !== undefined && input.phone !== member.phone && (await this.members.phoneTaken(m, input.phone, memberId))) {
        throw new AppError('MEMBER_PHONE_TAKEN', { field: 'phone' });
      }
      if (input.homeStoreId && !(await this.members.storeExists(m, input.homeStoreId))) throw new AppError('STORE_NOT_FOUND');
      if (input.idCardNo !== undefined) Object.assign(member, await this.idCardFields(m, input.idCardNo, memberId));
      if (input.attributes !== undefined) member.attributes = await this.checkAttributes(m, input.attributes, member.attributes);
      for (const key of ['name', 'phone', 'gender', 'birthday', 'homeStoreId', 'tags', 'validUntil', 'status', 'remark'] as const) {
        if (input[key] !== undefined) (member as unknown as Record<string, unknown>)[key] = input[key];
      }
      const after = toMemberResponse(await this.members.save(m, member), 0);
      await this.audit.record(m, { action: 'member.update', entityType: 'member', entityId: memberId, storeId: member.homeStoreId, ...diff(before, after) });
      return after;
    });
  }

  updateMine(memberId: string, input: UpdateMyProfileRequest): Promise<MemberResponse> {
    return this.update(memberId, input);
  }

  async attributeDefs(): Promise<AttributeDefResponse[]> {
    return (await this.members.attributeDefs(this.tx.manager)).map(toAttributeDefResponse);
  }

  createAttributeDef(input: AttributeDefRequest): Promise<AttributeDefResponse> {
    return this.tx.run(async (m) => {
      if (await this.members.attributeCodeTaken(m, input.code)) throw new AppError('MEMBER_ATTRIBUTE_CODE_TAKEN', { field: 'code' });
      if (input.type === 'choice' && !input.options?.length) {
        throw new AppError('VALIDATION_FAILED', [{ field: 'options', errors: ['a choice attribute needs options'] }]);
      }
      const def = await this.members.saveAttributeDef(m, {
        code: input.code,
        name: input.name,
        type: input.type,
        options: input.type === 'choice' ? input.options ?? [] : [],
        required: input.required ?? false,
        sortOrder: input.sortOrder ?? 0,
      });
      const after = toAttributeDefResponse(def);
      await this.audit.record(m, { action: 'member-attribute.create', entityType: 'member_attribute_def', entityId: def.id, after: { ...after } });
      return after;
    });
  }

  updateAttributeDef(id: string, input: UpdateAttributeDefRequest): Promise<AttributeDefResponse> {
    return this.tx.run(async (m) => {
      const def = await this.members.attributeDef(m, id);
      if (!def) throw new AppError('MEMBER_ATTRIBUTE_NOT_FOUND');
      const before = toAttributeDefResponse(def);
      if (input.name !== undefined) def.name = input.name;
      if (input.options !== undefined && def.type === 'choice') def.options = input.options;
      if (input.required !== undefined) def.required = input.required;
      if (input.sortOrder !== undefined) def.sortOrder = input.sortOrder;
      const after = toAttributeDefResponse(await this.members.saveAttributeDef(m, def));
      await this.audit.record(m, { action: 'member-attribute.update', entityType: 'member_attribute_def', entityId: id, ...diff(before, after) });
      return after;
    });
  }

  /**
   * Checks the member's payment password before stored value is spent. No password set: nothing to
   * check. Callers pass `verifiedByCode` when the member proved presence with a fresh dynamic code.
   * A member locked after too many wrong attempts cannot pay with stored value at all until the
   * lock ends, not even by code: the lock protects the wallet, whoever holds the card or phone.
   * Wrong attempts are counted even though the caller's transaction then rolls back.
   */
  async assertPayPassword(m: EntityManager, memberId: string, password: string | undefined, verifiedByCode = false): Promise<void> {
    const member = await this.members.findById(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
    if (!member.payPasswordHash) return;
    await this.payPasswords.assertNotLocked(m, memberId);
    if (verifiedByCode) return;
    if (!password) throw new AppError('MEMBER_PAY_PASSWORD_REQUIRED');
    await this.payPasswords.verify(memberId, member.payPasswordHash, password);
  }

  /** Records a visit (到店消费) for the churn alert; the checkout calls it in its transaction. */
  async recordVisit(m: EntityManager, memberId: string, at: Date = new Date()): Promise<void> {
    await this.members.touchVisit(m, memberId, at);
  }

  /** Encrypted, hashed and masked columns of an ID-card number; null when its check digit is wrong. */
  idCardColumns(idCardNo: string): { idCardCipher: string; idCardHash: string; idCardMasked: string } | null {
    const value = idCardNo.toUpperCase();
    if (!isValidIdCard(value)) return null;
    return { idCardCipher: this.pii.encrypt(value), idCardHash: this.pii.lookupHash(value), idCardMasked: maskIdCard(value) };
  }

  private async idCardFields(m: EntityManager, idCardNo: string | undefined, exceptId?: string) {
    if (!idCardNo) return { idCardCipher: null, idCardHash: null, idCardMasked: null };
    const columns = this.idCardColumns(idCardNo);
    if (!columns) throw new AppError('VALIDATION_FAILED', [{ field: 'idCardNo', errors: ['the check digit of idCardNo is wrong'] }]);
    if (await this.members.idCardTaken(m, columns.idCardHash, exceptId)) throw new AppError('MEMBER_ID_CARD_TAKEN', { field: 'idCardNo' });
    return columns;
  }

  private async checkAttributes(m: EntityManager, input: Record<string, unknown>, previous: Record<string, string | number>) {
    const defs: MemberAttributeDefEntity[] = await this.members.attributeDefs(m);
    const { values, problems } = validateAttributes(defs, input, previous);
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
    return values;
  }
}

export function toMemberResponse(mb: MemberEntity, churnDays: number): MemberResponse {
  const lastSeen = (mb.lastVisitAt ?? mb.createdAt).getTime();
  return {
    id: mb.id,
    memberNo: mb.memberNo,
    name: mb.name,
    gender: mb.gender,
    phone: mb.phone,
    idCardMasked: mb.idCardMasked,
    birthday: mb.birthday,
    referrerId: mb.referrerId,
    registeredByStaffId: mb.registeredByStaffId,
    homeStoreId: mb.homeStoreId,
    tags: mb.tags,
    attributes: mb.attributes,
    validUntil: mb.validUntil,
    status: mb.status,
    tierId: mb.tierId,
    remark: mb.remark,
    lastVisitAt: mb.lastVisitAt ? mb.lastVisitAt.toISOString() : null,
    churned: churnDays > 0 && Date.now() - lastSeen > churnDays * 86400_000,
    createdAt: mb.createdAt.toISOString(),
  };
}

function toAttributeDefResponse(d: MemberAttributeDefEntity): AttributeDefResponse {
  return { id: d.id, code: d.code, name: d.name, type: d.type, options: d.options, required: d.required, sortOrder: d.sortOrder };
}
