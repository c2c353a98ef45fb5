import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REPORT_KINDS, REPORT_STATUSES, SIGNAL_RULES } from '#domain';
import { PageQueryDto } from '../http/page-query.dto.js';

/** One school of the scope and a page: the folded daily checks (GET /v1/worklist/daily-checks), and the werkvoorraad's base. */
export class DailyChecksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '99XX' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Z]{4}$/)
  school?: string;
}

/** The werkvoorraad's filters and paging (GET /v1/worklist). */
export class WorklistQueryDto extends DailyChecksQueryDto {
  @ApiPropertyOptional({ enum: SIGNAL_RULES })
  @IsOptional()
  @IsIn(SIGNAL_RULES)
  rule?: string;

  @ApiPropertyOptional({ enum: REPORT_KINDS })
  @IsOptional()
  @IsIn(REPORT_KINDS)
  kind?: string;

  @ApiPropertyOptional({
    enum: REPORT_STATUSES,
    description: 'a case is listed when it holds a report in this status (default DRAFT)',
  })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'class or group (needs pupil data)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  group?: string;

  @ApiPropertyOptional({ description: 'mentor (needs pupil data)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  mentor?: string;

  @ApiPropertyOptional({
    description:
      'pupil number (part of it), or the start of a word of the name (school staff only, ADR 0019)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

/** The end date of a case: the day the pupil is back (POST /v1/cases/:id/end-date). */
export class CaseEndDateDto {
  @ApiProperty({ example: '2026-12-04' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  endDate: string;
}

/** One pupil at one school (GET /v1/cases). */
export class PupilCasesQueryDto {
  @ApiProperty({ example: '99XX' })
  @IsString()
  @Matches(/^[0-9A-Z]{4}$/)
  school: string;

  @ApiProperty({ example: '41003', description: "the pupil's number at that school" })
  @IsString()
  @Length(1, 100)
  pupil: string;
}
