import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AUDIT_KINDS, LEERWEGEN, RECIPIENT_KINDS, REPORT_KINDS, SCHOOL_SECTORS } from '#domain';
import { PageQueryDto } from '../http/page-query.dto.js';

/** The pupil's enrolment facts for DUO's report (all optional; an absent one is omitted, never guessed). */
export class PupilEducationDto {
  @ApiPropertyOptional({ example: 3, minimum: 1, maximum: 6, description: 'leerjaar (vo)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(6)
  leerjaar?: number;

  @ApiPropertyOptional({ example: 2, minimum: 1, maximum: 4, description: 'niveau (mbo)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  niveau?: number;

  @ApiPropertyOptional({ enum: LEERWEGEN })
  @IsOptional()
  @IsIn(LEERWEGEN)
  leerweg?: string;
}

/** The pupil's name as the school system gives it (ADR 0019: stored encrypted, read by the school's staff only). */
export class PupilNameDto {
  @ApiPropertyOptional({ example: 'Daan', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 200)
  roepnaam?: string | null;

  @ApiPropertyOptional({ example: 'Daniel Johannes', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 200)
  voornamen?: string | null;

  @ApiPropertyOptional({ example: 'de', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 200)
  tussenvoegsel?: string | null;

  @ApiProperty({ example: 'Vries' })
  @IsString()
  @Length(1, 200)
  achternaam: string;
}

/** A pupil's facts (PUT /v1/pupils/:localId). Shapes here; BSN elfproef and date logic in PutPupilCommand. */
export class PutPupilDto {
  @ApiProperty({ example: '99XX' })
  @IsString()
  @Length(4, 4)
  school: string;

  @ApiProperty({ example: '2011-05-04' })
  @IsString()
  @Length(10, 10)
  birthDate: string;

  @ApiProperty({ enum: SCHOOL_SECTORS })
  @IsIn(SCHOOL_SECTORS)
  sector: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  startkwalificatie?: boolean;

  @ApiPropertyOptional({ example: '0344', description: 'CBS municipality code' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'woongemeente must be a four-digit CBS code' })
  woongemeente?: string;

  @ApiProperty({ example: '2023-08-21' })
  @IsString()
  @Length(10, 10)
  enrolledFrom: string;

  @ApiPropertyOptional({ example: null, nullable: true, description: 'null while enrolled' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(10, 10)
  leftOn?: string | null;

  @ApiPropertyOptional({ description: '9 digits passing the elfproef; stored encrypted, never returned' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  bsn?: string;

  @ApiPropertyOptional({
    type: () => PupilEducationDto,
    description:
      "the pupil's leerjaar, niveau and leerweg as the school system holds them (DUO's onderwijsdeelname)",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PupilEducationDto)
  education?: PupilEducationDto;

  @ApiPropertyOptional({
    type: () => PupilNameDto,
    nullable: true,
    description:
      'roster data (ADR 0019): stored encrypted, shown only to staff of the school. Sending any of name, group, ' +
      'mentor replaces all three (an absent one is cleared); sending none keeps the stored ones',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => PupilNameDto)
  name?: PupilNameDto | null;

  @ApiPropertyOptional({ example: '2B', nullable: true, description: 'class or group' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 200)
  group?: string | null;

  @ApiPropertyOptional({ example: 'M. Jansen', nullable: true, description: 'mentor or groepsleerkracht' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 200)
  mentor?: string | null;
}

export class LegalHoldDto {
  @ApiProperty({ example: 'Lopende procedure bij de rechtbank' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

/**
 * The audit log's filters and paging (GET /v1/privacy/audit). Shapes here; the use case checks the meaning
 * (a real day, a period in order, a school only with a pupil) and answers 400 AUDIT_QUERY_INVALID.
 */
export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: '41003',
    description: "the board's pupil number (resolved to its pseudonyms)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  pupil?: string;

  @ApiPropertyOptional({
    example: '99XX',
    description: 'BRIN: which child, when two schools share the number',
  })
  @IsOptional()
  @IsString()
  @Length(4, 4)
  school?: string;

  @ApiPropertyOptional({ enum: AUDIT_KINDS })
  @IsOptional()
  @IsIn(AUDIT_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: RECIPIENT_KINDS })
  @IsOptional()
  @IsIn(RECIPIENT_KINDS)
  recipient?: string;

  @ApiPropertyOptional({ example: 'LEERPLICHT_ENFORCEMENT' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  purpose?: string;

  @ApiPropertyOptional({ enum: REPORT_KINDS })
  @IsOptional()
  @IsIn(REPORT_KINDS)
  reportKind?: string;

  @ApiPropertyOptional({
    enum: ['permit', 'deny'],
    description: 'the privacy decision: data released or none',
  })
  @IsOptional()
  @IsIn(['permit', 'deny'])
  decision?: string;

  @ApiPropertyOptional({ example: '2026-09-01', description: 'first day (Europe/Amsterdam), inclusive' })
  @IsOptional()
  @IsString()
  @Length(10, 10)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'last day (Europe/Amsterdam), inclusive' })
  @IsOptional()
  @IsString()
  @Length(10, 10)
  to?: string;
}

/** A page of the retention screen's tables (GET /v1/privacy/retention/receipts and /holds). */
export class RetentionPageQueryDto extends PageQueryDto {}

/** The forecast's horizon (GET /v1/privacy/retention/forecast). */
export class RetentionForecastQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 36, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36)
  months?: number;
}

/** Which register and in which form (GET /v1/privacy/register). */
export class RegisterQueryDto {
  @ApiPropertyOptional({ enum: ['controller', 'processor'], default: 'controller' })
  @IsOptional()
  @IsIn(['controller', 'processor'])
  kind?: 'controller' | 'processor';

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
