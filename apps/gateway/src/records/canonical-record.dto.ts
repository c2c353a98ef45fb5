import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BRIN_PATTERN, CATEGORIES, LEGAL_CLASSES, REGISTERED_VIA, SOURCE_SYSTEMS } from '#domain';
import type { CanonicalRecord, Category, LegalClass, RegisteredVia, SourceSystemId } from '#domain';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** ISO 8601 local time with an explicit offset (or Z): the contract never carries zone-less times. */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class PupilRefDto {
  @ApiProperty({ example: 'p-1001' })
  @IsString()
  @Length(1, 100)
  localId: string;

  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  leerlingnummer?: string;
}

export class SchoolRefDto {
  @ApiPropertyOptional({ example: '99XX' })
  @IsOptional()
  @Matches(BRIN_PATTERN, { message: 'brin must be 2 digits and 2 capital letters or digits' })
  brin?: string;

  @ApiPropertyOptional({ example: '00' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'vestiging must be 2 digits' })
  vestiging?: string;
}

export class MappingRefDto {
  @ApiProperty({ enum: ['school', 'fallback'] })
  @IsIn(['school', 'fallback'])
  source: 'school' | 'fallback';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  version?: string;
}

/** The canonical attendance record of contracts §2, as accepted over HTTP. */
export class CanonicalRecordDto implements CanonicalRecord {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  recordId: string;

  @ApiProperty({ enum: SOURCE_SYSTEMS })
  @IsIn(SOURCE_SYSTEMS)
  sourceSystem: SourceSystemId;

  @ApiProperty({ example: 'absentie' })
  @IsString()
  @Length(1, 100)
  sourceRecordType: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  sourceId: string;

  @ApiProperty({ type: PupilRefDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PupilRefDto)
  pupil: PupilRefDto;

  @ApiProperty({ type: SchoolRefDto, nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => SchoolRefDto)
  school: SchoolRefDto | null;

  @ApiProperty({ example: '2026-01-13' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @ApiProperty({ nullable: true, example: '2026-01-13T09:20:00+01:00' })
  @ValidateIf((_, value) => value !== null)
  @Matches(DATE_TIME_WITH_OFFSET, { message: 'start must be ISO 8601 with an offset, or null' })
  start: string | null;

  @ApiProperty({ nullable: true, example: '2026-01-13T10:10:00+01:00' })
  @ValidateIf((_, value) => value !== null)
  @Matches(DATE_TIME_WITH_OFFSET, { message: 'end must be ISO 8601 with an offset, or null' })
  end: string | null;

  @ApiProperty()
  @IsBoolean()
  wholeDay: boolean;

  @ApiProperty({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(20)
  lessonHourFrom: number | null;

  @ApiProperty({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(20)
  lessonHourTo: number | null;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category: Category;

  @ApiProperty({ enum: LEGAL_CLASSES })
  @IsIn(LEGAL_CLASSES)
  legalClass: LegalClass;

  @ApiProperty({ enum: REGISTERED_VIA })
  @IsIn(REGISTERED_VIA)
  registeredVia: RegisteredVia;

  @ApiProperty({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(24 * 60)
  missedMinutes: number | null;

  @ApiProperty({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(20)
  missedLessons: number | null;

  @ApiProperty({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 100)
  reasonCode: string | null;

  @ApiProperty({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 200)
  explainedBy: string | null;

  @ApiProperty({ type: MappingRefDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MappingRefDto)
  mapping: MappingRefDto;
}

export class SubmitRecordsDto {
  @ApiProperty({ type: [CanonicalRecordDto] })
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => CanonicalRecordDto)
  records: CanonicalRecordDto[];
}
