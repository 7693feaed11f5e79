import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GENDERS, MEMBER_STATUSES, type Gender, type MemberStatus } from '@chaincard/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { ATTRIBUTE_TYPES, type AttributeType } from '../entities/member.entity';

const PHONE = /^1\d{10}$/;
const TAG = /^[^,\s][^,]{0,19}$/;

export class CreateMemberRequest {
  @ApiProperty({ example: '张三' }) @IsString() @Length(1, 40) name!: string;
  @ApiPropertyOptional({ example: '13800138000' }) @IsOptional() @Matches(PHONE, { message: 'phone must be an 11-digit mainland mobile number' }) phone?: string;
  @ApiPropertyOptional({ enum: GENDERS }) @IsOptional() @IsIn(GENDERS) gender?: Gender;
  @ApiPropertyOptional({ example: '1990-03-07' }) @IsOptional() @IsISO8601({ strict: true }) @Length(10, 10) birthday?: string;
  @ApiPropertyOptional({ description: '18-character mainland ID-card number; stored encrypted, shown masked' })
  @IsOptional()
  @Matches(/^\d{17}[\dXx]$/, { message: 'idCardNo must be an 18-character ID-card number' })
  idCardNo?: string;
  @ApiPropertyOptional({ description: 'Home store; defaults to the registering staff member’s store' }) @IsOptional() @IsUUID('4') homeStoreId?: string;
  @ApiPropertyOptional({ description: 'The member who referred this one (老带新)' }) @IsOptional() @IsUUID('4') referrerId?: string;
  @ApiPropertyOptional({ description: 'Staff credited with the sign-up (办卡提成员工); defaults to the caller' }) @IsOptional() @IsUUID('4') registeredByStaffId?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(30) @ArrayUnique() @Matches(TAG, { each: true, message: 'tags are 1–20 characters without commas' }) tags?: string[];
  @ApiPropertyOptional({ type: Object, description: 'Custom attribute values by attribute code' }) @IsOptional() @IsObject() attributes?: Record<string, unknown>;
  @ApiPropertyOptional({ example: '2027-12-31', description: 'Membership valid until (有效期); omitted = no end' }) @IsOptional() @IsISO8601({ strict: true }) @Length(10, 10) validUntil?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) remark?: string;
}

export class UpdateMemberRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) name?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(PHONE, { message: 'phone must be an 11-digit mainland mobile number' }) phone?: string;
  @ApiPropertyOptional({ enum: GENDERS }) @IsOptional() @IsIn(GENDERS) gender?: Gender;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) @Length(10, 10) birthday?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{17}[\dXx]$/, { message: 'idCardNo must be an 18-character ID-card number' }) idCardNo?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') homeStoreId?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(30) @ArrayUnique() @Matches(TAG, { each: true, message: 'tags are 1–20 characters without commas' }) tags?: string[];
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() attributes?: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsISO8601({ strict: true }) @Length(10, 10) validUntil?: string;
  @ApiPropertyOptional({ enum: ['active', 'frozen'] }) @IsOptional() @IsIn(['active', 'frozen']) status?: 'active' | 'frozen';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) remark?: string;
}

export class UpdateMyProfileRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) name?: string;
  @ApiPropertyOptional({ enum: GENDERS }) @IsOptional() @IsIn(GENDERS) gender?: Gender;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) @Length(10, 10) birthday?: string;
}

export class ListMembersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Phone, member number, card number or name (partial)' }) @IsOptional() @IsString() @Length(1, 40) q?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{3,11}$/, { message: 'phone must be 3–11 digits' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 32) memberNo?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 20) tag?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') tierId?: string;
  @ApiPropertyOptional({ description: 'Home store' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ description: 'Exact ID-card number (looked up by keyed hash)' }) @IsOptional() @Matches(/^\d{17}[\dXx]$/) idCardNo?: string;
  @ApiPropertyOptional({ enum: MEMBER_STATUSES }) @IsOptional() @IsIn(MEMBER_STATUSES) status?: MemberStatus;
  @ApiPropertyOptional({ description: 'Only members not seen for the chain’s churn threshold (流失预警)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  churned?: boolean;
}

export class MemberResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberNo!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: GENDERS }) gender!: Gender;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '1101**********1234' }) idCardMasked!: string | null;
  @ApiProperty({ nullable: true, type: String }) birthday!: string | null;
  @ApiProperty({ nullable: true, type: String }) referrerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) registeredByStaffId!: string | null;
  @ApiProperty() homeStoreId!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: Object }) attributes!: Record<string, string | number>;
  @ApiProperty({ nullable: true, type: String }) validUntil!: string | null;
  @ApiProperty({ enum: MEMBER_STATUSES }) status!: MemberStatus;
  @ApiProperty({ nullable: true, type: String }) tierId!: string | null;
  @ApiProperty() remark!: string;
  @ApiProperty({ nullable: true, type: String }) lastVisitAt!: string | null;
  @ApiProperty({ description: 'No visit for the chain’s churn threshold' }) churned!: boolean;
  @ApiProperty() createdAt!: string;
}

export class MemberPageResponse {
  @ApiProperty({ type: [MemberResponse] }) items!: MemberResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class AttributeDefRequest {
  @ApiProperty({ example: 'plate_no' }) @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be 2–40 lowercase letters, digits or _' }) code!: string;
  @ApiProperty({ example: '车牌号' }) @IsString() @Length(1, 40) name!: string;
  @ApiProperty({ enum: ATTRIBUTE_TYPES }) @IsIn(ATTRIBUTE_TYPES) type!: AttributeType;
  @ApiPropertyOptional({ type: [String], description: 'Allowed values of a choice attribute' }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsString({ each: true }) @Length(1, 40, { each: true }) options?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) sortOrder?: number;
}

export class UpdateAttributeDefRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) name?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsString({ each: true }) @Length(1, 40, { each: true }) options?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) sortOrder?: number;
}

export class AttributeDefResponse {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ATTRIBUTE_TYPES }) type!: AttributeType;
  @ApiProperty({ type: [String] }) options!: string[];
  @ApiProperty() required!: boolean;
  @ApiProperty() sortOrder!: number;
}
