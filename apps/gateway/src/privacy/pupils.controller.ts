import { Body, Controller, Delete, Get, Headers, Inject, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  type AccessReport,
  BuildAccessReportUseCase,
  type LegalHoldLift,
  LegalHoldUseCase,
  PutPupilCommand,
  PutPupilUseCase,
  SearchPupilsUseCase,
  parseLegalHoldLift,
  renderAccessReportHtml,
} from '#application';
import { type Actor, BRIN_PATTERN, type Pupil, type PupilSearchHit } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';
import { LegalHoldDto, PutPupilDto } from './privacy.dto.js';

@ApiTags('pupils')
@ApiBearerAuth()
@Controller('v1/pupils')
export class PupilsController {
  constructor(
    @Inject(PutPupilUseCase) private readonly putPupil: PutPupilUseCase,
    @Inject(LegalHoldUseCase) private readonly legalHold: LegalHoldUseCase,
    @Inject(BuildAccessReportUseCase) private readonly accessReport: BuildAccessReportUseCase,
    @Inject(SearchPupilsUseCase) private readonly searchPupils: SearchPupilsUseCase,
  ) {}

  @Get('search')
  @Roles('school_staff', 'privacy_officer')
  @ApiOperation({
    summary:
      'Find pupils of your schools (a privacy officer: of the whole board, ADR 0024) by name or number ' +
      '(ADR 0019); the query is never logged or stored',
  })
  @ApiQuery({ name: 'q', required: true, description: 'name or start of names, e.g. "de vr"' })
  @ApiQuery({ name: 'school', required: false, description: 'BRIN: search one of your schools only' })
  async search(
    @CurrentActor() actor: Actor,
    @Query('q') q: unknown,
    @Query('school') school: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ items: PupilSearchHit[] }> {
    response.setHeader('Cache-Control', 'no-store');
    const items = await this.searchPupils.execute(actor, {
      q: typeof q === 'string' ? q : '',
      ...(school === undefined ? {} : { school: typeof school === 'string' ? school : '-' }),
    });
    return { items };
  }

  @Put(':localId')
  @Roles('school_staff', 'integration_client')
  @ApiOperation({
    summary: 'Create or replace a pupil of your school (BSN stored encrypted, never returned)',
  })
  async put(
    @CurrentActor() actor: Actor,
    @Param('localId') localId: string,
    @Body() body: PutPupilDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pupil> {
    const result = await this.putPupil.execute(PutPupilCommand.create(actor, localId, body));
    response.status(result.created ? 201 : 200);
    return result.pupil;
  }

  @Put(':localId/legal-hold')
  @Roles('privacy_officer')
  @ApiOperation({ summary: "Suspend deletion of the pupil's data (audited)" })
  @ApiQuery({
    name: 'school',
    required: false,
    description: 'BRIN: which child, when two schools share the number',
  })
  async setHold(
    @CurrentActor() actor: Actor,
    @Param('localId') localId: string,
    @Body() body: LegalHoldDto,
    @Query('school') school: string | undefined,
  ): Promise<Pupil> {
    return this.legalHold.set(actor, localId, body.reason, schoolParam(school));
  }

  @Delete(':localId/legal-hold')
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'Lift the legal hold (audited); an optional JSON body `{ "reason": "…" }` (3–500 characters) is kept in ' +
      'the hold history (GET /v1/privacy/retention/holds)',
  })
  @ApiQuery({
    name: 'school',
    required: false,
    description: 'BRIN: which child, when two schools share the number',
  })
  async liftHold(
    @CurrentActor() actor: Actor,
    @Param('localId') localId: string,
    @Query('school') school: string | undefined,
    @Body(new CommandPipe(parseLegalHoldLift)) lifting: LegalHoldLift,
  ): Promise<Pupil> {
    return this.legalHold.lift(actor, localId, schoolParam(school), lifting);
  }

  @Get(':localId/access-report')
  @Roles('privacy_officer', 'school_staff')
  @ApiOperation({
    summary: 'AVG art. 15: everything held about the pupil and every disclosure (JSON or Dutch HTML)',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'html'] })
  @ApiQuery({
    name: 'school',
    required: false,
    description: 'BRIN: which child, when two schools share the number',
  })
  async report(
    @CurrentActor() actor: Actor,
    @Param('localId') localId: string,
    @Query('format') format: string | undefined,
    @Query('school') school: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccessReport | string> {
    const report = await this.accessReport.execute(actor, localId, schoolParam(school));
    response.setHeader('Cache-Control', 'no-store');
    if (format === 'html' || (format !== 'json' && wantsHtml(accept))) {
      response.type('text/html; charset=utf-8');
      response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return renderAccessReportHtml(report);
    }
    return report;
  }
}

/** `?school=`: one BRIN, or absent (a repeated or malformed value names no school and so no pupil). */
function schoolParam(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' && BRIN_PATTERN.test(value) ? value : '-';
}

/** text/html named before any JSON type in Accept. */
function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  if (html < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || html < json;
}
