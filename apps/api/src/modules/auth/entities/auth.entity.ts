import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';

/**
 * Refresh tokens rotate: each use marks the token used and issues the next one in the same family.
 * A second use of a used token means it leaked, so the whole family is revoked.
 */
@Entity('refresh_token')
@Index(['familyId'])
@Check('refresh_token_one_subject', `(staff_id IS NULL) <> (member_id IS NULL)`)
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Exactly one of staff_id and member_id: a staff session or a member session. */
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'family_id' }) familyId!: string;
  /** sha256 of the token: the token itself is never stored. */
  @Column({ type: 'text', name: 'token_hash', unique: true }) tokenHash!: string;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', name: 'used_at', nullable: true }) usedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** Failed sign-in counters per account name and per client IP ('acct:…' / 'ip:…'). */
@Entity('login_attempt')
@Check('login_attempt_failures_check', `failures >= 0`)
export class LoginAttemptEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'int', default: 0 }) failures!: number;
  @Column({ type: 'timestamptz', name: 'window_started_at' }) windowStartedAt!: Date;
  @Column({ type: 'timestamptz', name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
}
