import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type PupilOverview, PupilOverviewUseCase } from '#application';
import type { Actor } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';

@ApiTags('pupils')
@ApiBearerAuth()
@Controller('v1/schools/:brin/pupils')
export class PupilOverviewController {
  constructor(@Inject(PupilOverviewUseCase) private readonly overview: PupilOverviewUseCase) {}

  @Get(':localId/overview')
  @Roles('school_staff')
  @ApiOperation({
    summary:
      "The pupil page: name, group, mentor, enrolment, a calendar of school weeks with each lesson's category, " +
      'the threshold windows, the evidence records and the reports (staff of the school only; ADR 0019)',
  })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD; default: 12 school weeks back' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD; default: the end of this week' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Param('localId') localId: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PupilOverview> {
    response.setHeader('Cache-Control', 'no-store');
    return this.overview.execute(actor, brin, localId, {
      ...(from === undefined ? {} : { from: typeof from === 'string' ? from : '-' }),
      ...(to === undefined ? {} : { to: typeof to === 'string' ? to : '-' }),
    });
  }
}
