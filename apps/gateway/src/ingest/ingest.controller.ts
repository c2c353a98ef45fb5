import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Inject, Param, Put, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  GetBellScheduleUseCase,
  type IngestResult,
  IngestPayloadUseCase,
  ListQuarantineUseCase,
  PutBellScheduleUseCase,
  PutReasonMappingUseCase,
  type PutReasonMappingResult,
  type ReasonMappingUpload,
  parseBellScheduleBody,
  parseReasonMappingUpload,
} from '#application';
import { SETTINGS, type Settings } from '#config';
import { type Actor, type QuarantineEntry, SOURCE_SYSTEMS, type StoredBellSchedule } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { tooManyIngests } from '../http/coded-http.exception.js';
import { CommandPipe } from '../http/command.pipe.js';
import { IngestGate } from './ingest-gate.js';
import { spoolRequestBody, stopReading } from './request-body.js';

/** What a 429 asks the client to wait, in seconds, before it sends again. */
const RETRY_AFTER_SECONDS = 5;

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('v1')
export class IngestController {
  private readonly gate: IngestGate;

  constructor(
    @Inject(IngestPayloadUseCase) private readonly ingest: IngestPayloadUseCase,
    @Inject(PutReasonMappingUseCase) private readonly putMapping: PutReasonMappingUseCase,
    @Inject(ListQuarantineUseCase) private readonly listQuarantine: ListQuarantineUseCase,
    @Inject(PutBellScheduleUseCase) private readonly putBell: PutBellScheduleUseCase,
    @Inject(GetBellScheduleUseCase) private readonly getBell: GetBellScheduleUseCase,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {
    this.gate = new IngestGate(settings.limits.ingestConcurrencyPerBoard);
  }

  @Post('ingest/:system')
  @HttpCode(202)
  @Roles('integration_client', 'school_staff')
  @ApiOperation({
    summary: "A school system's own payload (JSON, XML or CSV), normalised with the school's reason mapping",
  })
  @ApiConsumes('application/json', 'application/xml', 'text/csv', 'text/plain')
  @ApiBody({ schema: { type: 'string' }, description: 'the payload exactly as the school system gives it' })
  @ApiQuery({
    name: 'school',
    required: false,
    description: 'BRIN; needed when the token covers several schools',
  })
  @ApiQuery({
    name: 'pupil',
    required: false,
    description:
      "the system's pupil id when the payload does not carry it (Magister PersoonId, SOMtoday leerling id)",
  })
  @ApiQuery({
    name: 'from',
    required: false,
    description:
      'YYYY-MM-DD, with `to`: the payload holds every record of this school and system (and pupil) on these days; ' +
      'stored records it lacks are deleted. Without from/to nothing is deleted',
  })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD, inclusive; see `from`' })
  async ingestPayload(
    @CurrentActor() actor: Actor,
    @Param('system') system: string,
    @Query('school') school: string | undefined,
    @Query('pupil') pupil: string | undefined,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestResult> {
    // Every caller of this endpoint has a board (its roles are board roles); one board's ingests are bounded.
    const board = 'board' in actor ? actor.board : '';
    const release = this.gate.enter(board);
    if (release === null) {
      stopReading(request, null);
      throw tooManyIngests(this.gate.limit, RETRY_AFTER_SECONDS);
    }
    const { limits } = this.settings;
    try {
      // The body is not parsed by express (see createGateway): it is read whole (spooled to disk beyond
      // INGEST_MEMORY_BYTES) before the batch begins, so no connection or transaction waits on the client.
      const body = await spoolRequestBody(request, {
        maxBytes: this.settings.ingestMaxBytes,
        idleTimeoutMs: limits.uploadIdleTimeoutMs,
        memoryBytes: limits.uploadMemoryBytes,
        jsonMaxDepth: limits.jsonMaxDepth,
        spoolDir: join(this.settings.dataDir, 'tmp'),
      });
      try {
        const result = await this.ingest.executeStream(
          {
            actor,
            system,
            school,
            pupil,
            from,
            to,
            limits: { itemMaxBytes: limits.itemMaxBytes, documentMaxBytes: limits.documentMaxBytes },
          },
          body.chunks(),
        );
        response.location(`/v1/records/batches/${result.batchId}`);
        return result;
      } finally {
        await body.dispose();
      }
    } finally {
      release();
    }
  }

  @Put('mappings/:system')
  @Roles('school_staff')
  @ApiOperation({
    summary:
      "Publish a new version of the school's reason mapping; quarantined unmapped records are replayed",
  })
  @ApiQuery({ name: 'school', required: false })
  async mapping(
    @CurrentActor() actor: Actor,
    @Param('system') system: string,
    @Query('school') school: string | undefined,
    @Body(new CommandPipe(parseReasonMappingUpload)) mapping: ReasonMappingUpload,
  ): Promise<PutReasonMappingResult> {
    return this.putMapping.execute({ actor, system, school, mapping });
  }

  @Put('schools/:brin/bell-schedule')
  @Roles('school_staff')
  @ApiOperation({
    summary:
      "Store the school's bell schedule (lesson hours with HH:mm times); ingest uses it for clock times",
  })
  async putBellSchedule(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Body(new CommandPipe(parseBellScheduleBody)) schedule: StoredBellSchedule['slots'],
  ): Promise<StoredBellSchedule> {
    return this.putBell.execute({ actor, school: brin, schedule });
  }

  @Get('schools/:brin/bell-schedule')
  @Roles('school_staff', 'integration_client', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: "The school's stored bell schedule" })
  async bellSchedule(@CurrentActor() actor: Actor, @Param('brin') brin: string): Promise<StoredBellSchedule> {
    return this.getBell.execute(actor, brin);
  }

  @Get('quarantine')
  @Roles('school_staff', 'integration_client', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: 'Inputs kept in quarantine (not yet records), with the coded reason' })
  @ApiQuery({ name: 'system', required: false, enum: SOURCE_SYSTEMS })
  @ApiQuery({ name: 'school', required: false })
  async quarantine(
    @CurrentActor() actor: Actor,
    @Query('system') system?: string,
    @Query('school') school?: string,
  ): Promise<{ items: QuarantineEntry[] }> {
    return this.listQuarantine.execute(actor, { system, school });
  }
}
