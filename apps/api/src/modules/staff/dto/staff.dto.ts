import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALL_PERMISSIONS, STAFF_STATUSES, type Permission, type RoleScope, type StaffStatus } from '@chaincard/shared';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { PASSWORD_RULE } from '../../../common/auth/password';

const USERNAME = /^[A-Za-z][A-Za-z0-9_.]{2,31}$/;
const PHONE = /^1\d{10}$/;

export class CreateStaffRequest {
  @ApiProperty({ example: '王小明' })
  @IsString()
  @Length(1, 40)
  name!: string;

  @ApiPropertyOptional({ example: 'cashier.sh003', description: 'Sign-in name; a username or a phone is required' })
  @IsOptional()
  @Matches(USERNAME, { message: 'username must be 3–32 letters, digits, _ or ., starting with a letter' })
  username?: string;

  @ApiPropertyOptional({ example: '13800138000' })
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be an 11-digit mainland mobile number' })
  phone?: string;

  @ApiProperty({ description: 'At least 8 characters with letters and digits' })
  @Matches(PASSWORD_RULE, { message: 'password needs at least 8 characters with letters and digits' })
  password!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  roleIds!: string[];

  @ApiPropertyOptional({ type: [String], description: 'Stores the staff member works in (required for store-level roles)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  storeIds?: string[];
}

export class UpdateStaffRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 40)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be an 11-digit mainland mobile number' })
  phone?: string;

  @ApiPropertyOptional({ enum: STAFF_STATUSES })
  @IsOptional()
  @IsIn(STAFF_STATUSES)
  status?: StaffStatus;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  roleIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  storeIds?: string[];
}

export class ResetPasswordRequest {
  @ApiProperty()
  @Matches(PASSWORD_RULE, { message: 'password needs at least 8 characters with letters and digits' })
  password!: string;
}

export class ListStaffQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  storeId?: string;

  @ApiPropertyOptional({ description: 'Matches name, username or phone' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  q?: string;

  @ApiPropertyOptional({ enum: STAFF_STATUSES })
  @IsOptional()
  @IsIn(STAFF_STATUSES)
  status?: StaffStatus;
}

export class RoleSummary {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['chain', 'store'] }) scope!: RoleScope;
}

export class StaffResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) username!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STAFF_STATUSES }) status!: StaffStatus;
  @ApiProperty({ type: [RoleSummary] }) roles!: RoleSummary[];
  @ApiProperty({ type: [String] }) storeIds!: string[];
  @ApiProperty({ nullable: true, type: String }) lastLoginAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class StaffPageResponse {
  @ApiProperty({ type: [StaffResponse] }) items!: StaffResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class CreateRoleRequest {
  @ApiProperty({ example: 'senior_cashier' })
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be 2–40 lowercase letters, digits or _' })
  code!: string;

  @ApiProperty({ example: '高级收银员' })
  @IsString()
  @Length(1, 40)
  name!: string;

  @ApiPropertyOptional({ example: 'Senior cashier' })
  @IsOptional()
  @IsString()
  @Length(0, 40)
  nameEn?: string;

  @ApiProperty({ enum: ['chain', 'store'] })
  @IsIn(['chain', 'store'])
  scope!: RoleScope;

  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ALL_PERMISSIONS, { each: true })
  permissions!: Permission[];
}

export class UpdateRoleRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 40)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 40)
  nameEn?: string;

  @ApiPropertyOptional({ enum: ALL_PERMISSIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ALL_PERMISSIONS, { each: true })
  permissions?: Permission[];
}

export class RoleResponse {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty({ enum: ['chain', 'store'] }) scope!: RoleScope;
  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true }) permissions!: Permission[];
  @ApiProperty() builtIn!: boolean;
  @ApiProperty() staffCount!: number;
}

export class PermissionResponse {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameEn!: string;
}
