import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  GetReasonMappingUseCase,
  PreviewReportUseCase,
  type ReportPreview,
  type UnmappedReason,
  UnmappedReasonsUseCase,
} from '#application';
import type { Actor, StoredReasonMapping } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';

/** The report as it would leave: the privacy decision per destination, without sending or recording anything. */
@ApiTags('signals')
@ApiBearerAuth()
@Controller('v1/schools/:school/reports/:id')
export class ReportPreviewController {
  constructor(@Inject(PreviewReportUseCase) private readonly preview: PreviewReportUseCase) {}

  @Get('preview')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({
    summary:
      'The report exactly as it would leave if approved now: per destination the released fields, the withheld fields with rule and reason (read-only; nothing is sent or recorded)',
  })
  async get(
    @CurrentActor() actor: Actor,
    @Param('school') school: string,
    @Param('id') id: string,
  ): Promise<ReportPreview> {
    return this.preview.execute(actor, school, id);
  }
}

/** Reason mappings as they stand, and the quarantine grouped by the code that waits for one. */
@ApiTags('ingest')
@ApiBearerAuth()
@Controller('v1')
export class MappingsController {
  constructor(
    @Inject(GetReasonMappingUseCase) private readonly mappings: GetReasonMappingUseCase,
    @Inject(UnmappedReasonsUseCase) private readonly unmapped: UnmappedReasonsUseCase,
  ) {}

  @Get('mappings/:system')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: "The school's current reason mapping for a system (null: none published)" })
  @ApiQuery({ name: 'school', required: false })
  async mapping(
    @CurrentActor() actor: Actor,
    @Param('system') system: string,
    @Query('school') school?: string,
  ): Promise<{ mapping: StoredReasonMapping | null }> {
    return this.mappings.execute(actor, system, school);
  }

  @Get('quarantine/unmapped')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({
    summary: 'Records waiting for a reason mapping, grouped per school, system and reason code, with counts',
  })
  @ApiQuery({ name: 'system', required: false })
  @ApiQuery({ name: 'school', required: false })
  async unmappedReasons(
    @CurrentActor() actor: Actor,
    @Query('system') system?: string,
    @Query('school') school?: string,
  ): Promise<{ items: UnmappedReason[] }> {
    return this.unmapped.execute(actor, { system, school });
  }
}
