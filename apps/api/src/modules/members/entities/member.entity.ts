import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { Gender, MemberStatus } from '@chaincard/shared';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { TierEntity } from '../../tiers/entities/tier.entity';

/** A member (会员) of the chain: one profile, valid in every store (跨店通用). */
@Entity('member')
@Check('member_gender_check', `gender IN ('male', 'female', 'unknown')`)
@Check('member_status_check', `status IN ('active', 'pending', 'frozen', 'anonymised', 'merged')`)
@Index(['homeStoreId'])
@Index(['createdAt'])
@Index('member_tags_gin', { synchronize: false })
export class MemberEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** The member number (会员号), also the card number of the virtual card in the member app. */
  @Column({ type: 'text', name: 'member_no', unique: true }) memberNo!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', default: 'unknown' }) gender!: Gender;
  @Column({ type: 'text', unique: true, nullable: true }) phone!: string | null;
  /** ID-card number, AES-256-GCM (iv.tag.ciphertext, base64url); never returned by the API. */
  @Column({ type: 'text', name: 'id_card_cipher', nullable: true }) idCardCipher!: string | null;
  /** HMAC-SHA256 of the ID-card number under a key derived from MEMBER_PII_KEY, for exact lookup. */
  @Column({ type: 'text', name: 'id_card_hash', unique: true, nullable: true }) idCardHash!: string | null;
  /** What every response shows instead, e.g. 1101**********1234. */
  @Column({ type: 'text', name: 'id_card_masked', nullable: true }) idCardMasked!: string | null;
  @Column({ type: 'date', nullable: true }) birthday!: string | null;
  @Column({ type: 'uuid', name: 'referrer_id', nullable: true }) referrerId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'referrer_id' })
  referrer?: MemberEntity;
  /** The staff member credited with signing the member up (办卡提成员工). */
  @Column({ type: 'uuid', name: 'registered_by_staff_id', nullable: true }) registeredByStaffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'registered_by_staff_id' })
  registeredBy?: StaffEntity;
  @Column({ type: 'uuid', name: 'home_store_id' }) homeStoreId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_store_id' })
  homeStore?: StoreEntity;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags!: string[];
  /** Values of HQ-defined custom attributes, validated against member_attribute_def on write. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) attributes!: Record<string, string | number>;
  /** Membership validity (有效期); null = no end. */
  @Column({ type: 'date', name: 'valid_until', nullable: true }) validUntil!: string | null;
  @Column({ type: 'text', default: 'active' }) status!: MemberStatus;
  /** Current tier (会员等级); the tiers capability owns the rules and the history. */
  @Column({ type: 'uuid', name: 'tier_id', nullable: true }) tierId!: string | null;
  @ManyToOne(() => TierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tier_id' })
  tier?: Relation<TierEntity>;
  @Column({ type: 'text', default: '' }) remark!: string;
  /** Set when this member was merged into another (合并): the survivor holds everything now. */
  @Column({ type: 'uuid', name: 'merged_into_id', nullable: true }) mergedIntoId!: string | null;
  /** Transaction password for stored-value payment (支付密码), argon2id; never returned to anyone. */
  @Column({ type: 'text', name: 'pay_password_hash', nullable: true }) payPasswordHash!: string | null;
  @Column({ type: 'timestamptz', name: 'last_visit_at', nullable: true }) lastVisitAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'choice'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** A custom member attribute defined by HQ (自定义属性), e.g. 车牌号 for a car-parts chain. */
@Entity('member_attribute_def')
@Check('member_attribute_def_type_check', `type IN ('text', 'number', 'date', 'choice')`)
export class MemberAttributeDefEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) type!: AttributeType;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) options!: string[];
  @Column({ type: 'boolean', default: false }) required!: boolean;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
