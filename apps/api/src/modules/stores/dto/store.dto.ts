import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { STORE_STATUSES, type StoreStatus } from '@chaincard/shared';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isTimeZone } from '@chaincard/shared';
import { PageQuery } from '../../../common/http/pagination';

@ValidatorConstraint({ name: 'timeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return typeof value === 'string' && isTimeZone(value);
  }
  defaultMessage() {
    return 'timeZone must be an IANA time zone such as Asia/Shanghai';
  }
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class BusinessHoursDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 Monday … 7 Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @ApiProperty({ example: '09:00' })
  @Matches(HHMM, { message: 'open must be HH:mm' })
  open!: string;

  @ApiProperty({ example: '22:00', description: 'May be earlier than open for hours past midnight' })
  @Matches(HHMM, { message: 'close must be HH:mm' })
  close!: string;
}

export class CreateStoreRequest {
  @ApiProperty({ example: 'SH003', description: 'Unique store code (门店编码)' })
  @Matches(/^[A-Za-z0-9_-]{2,20}$/, { message: 'code must be 2–20 letters, digits, - or _' })
  code!: string;

  @ApiProperty({ example: '上海静安寺店' })
  @IsString()
  @Length(1, 60)
  name!: string;

  @ApiProperty({ example: '上海' })
  @IsString()
  @Length(1, 30)
  city!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 200)
  address?: string;

  @ApiPropertyOptional({ example: '021-62345678' })
  @IsOptional()
  @Matches(/^[0-9+\- ]{0,20}$/, { message: 'phone may hold digits, +, - and spaces' })
  phone?: string;

  @ApiPropertyOptional({ type: [BusinessHoursDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  @Type(() => BusinessHoursDto)
  businessHours?: BusinessHoursDto[];

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @Validate(IsTimeZoneConstraint)
  timeZone?: string;

  @ApiPropertyOptional({ enum: STORE_STATUSES })
  @IsOptional()
  @IsIn(STORE_STATUSES)
  status?: StoreStatus;
}

export class UpdateStoreRequest extends PartialType(CreateStoreRequest) {}

export class ListStoresQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Matches code, name or city' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  q?: string;

  @ApiPropertyOptional({ enum: STORE_STATUSES })
  @IsOptional()
  @IsIn(STORE_STATUSES)
  status?: StoreStatus;
}

export class StoreResponse {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() city!: string;
  @ApiProperty() address!: string;
  @ApiProperty() phone!: string;
  @ApiProperty({ type: [BusinessHoursDto] }) businessHours!: BusinessHoursDto[];
  @ApiProperty() timeZone!: string;
  @ApiProperty({ enum: STORE_STATUSES }) status!: StoreStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class StorePageResponse {
  @ApiProperty({ type: [StoreResponse] }) items!: StoreResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
