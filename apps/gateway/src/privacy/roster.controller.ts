import { Body, Controller, Get, Inject, Param, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FeedRosterUseCase, type RosterFeedResult, SchoolRosterUseCase } from '#application';
import type { Actor, SchoolRosterEntry } from '#domain';
import { rosterReaderFor } from '#runtime';
import { CurrentActor, Roles } from '../auth/index.js';
import { CodedHttpException } from '../http/coded-http.exception.js';
import { PRIVACY_ERRORS } from './privacy-error-codes.js';

/** A roster body is read as text up to this size (create-gateway's XML body parser). */
export const ROSTER_MAX_BODY = '16mb';
/** The content types a roster is accepted as. */
export const ROSTER_TYPE = /^(text|application)\/(([\w.+-]+\+)?xml)\b/i;

@ApiTags('pupils')
@ApiBearerAuth()
@Controller('v1/schools/:brin/roster')
export class RosterController {
  constructor(
    @Inject(FeedRosterUseCase) private readonly feed: FeedRosterUseCase,
    @Inject(SchoolRosterUseCase) private readonly list: SchoolRosterUseCase,
  ) {}

  @Get()
  @Roles('school_staff')
  @ApiOperation({
    summary:
      "Name, group and mentor of the school's pupils, for list screens (staff of the school only; ADR 0019)",
  })
  async get(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ items: SchoolRosterEntry[] }> {
    response.setHeader('Cache-Control', 'no-store');
    return { items: await this.list.execute(actor, brin) };
  }

  @Put(':system')
  @Roles('school_staff', 'integration_client')
  @ApiOperation({
    summary:
      "Store names, groups and mentors from a school system's roster on the school's registered pupils (ADR 0019)",
    description:
      'parnassys: the SOAP getLeerlingen response (text/xml); somtoday: GET /rest/v1/leerlingen with ' +
      "additional stamgroep and mentoren (application/json); magister-mws: the school's Magister Web Services " +
      'pupil list, Response/Result + Table rows with stamnr and name, klas and mentor columns (text/xml). ' +
      'Pupils not registered are listed, not created; ' +
      'items that cannot be read are answered with their reason and never kept.',
  })
  @ApiConsumes('text/xml', 'application/xml', 'application/json')
  @ApiBody({ schema: { oneOf: [{ type: 'string' }, { type: 'object' }] } })
  async put(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Param('system') system: string,
    @Body() body: unknown,
  ): Promise<RosterFeedResult> {
    const reader = rosterReaderFor(system);
    if (reader.format === 'xml') {
      if (typeof body !== 'string')
        throw new CodedHttpException(
          415,
          PRIVACY_ERRORS.ROSTER_MEDIA_TYPE,
          'Send this roster as text/xml (Content-Type)',
        );
      return this.feed.execute(actor, brin, reader, body);
    }
    // JSON was parsed (and checked for depth and NUL) by the body parser; the reader reads it as text again.
    if (typeof body !== 'object' || body === null)
      throw new CodedHttpException(
        415,
        PRIVACY_ERRORS.ROSTER_MEDIA_TYPE,
        'Send this roster as application/json (Content-Type)',
      );
    return this.feed.execute(actor, brin, reader, JSON.stringify(body));
  }
}
