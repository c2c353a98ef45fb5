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
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LEERWEGEN, SCHOOL_SECTORS } from '#domain';

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
}

export class LegalHoldDto {
  @ApiProperty({ example: 'Lopende procedure bij de rechtbank' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
