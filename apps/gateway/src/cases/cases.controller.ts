import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type CaseActionResult,
  DailyChecksUseCase,
  type ReportCaseDetail,
  ReportCaseUseCase,
  type Worklist,
  type WorklistQuery,
  WorklistUseCase,
} from '#application';
import type { Actor, DailyCheckLesson } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CaseEndDateDto, DailyChecksQueryDto, PupilCasesQueryDto, WorklistQueryDto } from './cases.dto.js';

const READERS = ['school_staff', 'privacy_officer', 'auditor'] as const;

/** The werkvoorraad: cases with pending reports, and the daily checks folded per lesson (ADR 0018). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/worklist')
export class WorklistController {
  constructor(
    @Inject(WorklistUseCase) private readonly worklist: WorklistUseCase,
    @Inject(DailyChecksUseCase) private readonly dailyChecks: DailyChecksUseCase,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'One row per case with pending reports, by statutory deadline; filtered and paged',
  })
  async list(@CurrentActor() actor: Actor, @Query() query: WorklistQueryDto): Promise<Worklist> {
    return this.worklist.execute(actor, query as WorklistQuery);
  }

  @Get('daily-checks')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Open daily-check signals (unchecked lessons, call-backs) folded per lesson; paged',
  })
  async daily(
    @CurrentActor() actor: Actor,
    @Query() query: DailyChecksQueryDto,
  ): Promise<{ items: DailyCheckLesson[]; total: number; page: number; pageSize: number }> {
    return this.dailyChecks.execute(actor, query);
  }
}

/** A case: its one timeline, and the actions on all its reports at once. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CasesController {
  constructor(@Inject(ReportCaseUseCase) private readonly cases: ReportCaseUseCase) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: "A pupil's cases at a school (`?school=&pupil=`), newest episode first" })
  async ofPupil(
    @CurrentActor() actor: Actor,
    @Query() query: PupilCasesQueryDto,
  ): Promise<{ items: ReportCaseDetail[] }> {
    return this.cases.ofPupil(actor, query.school, query.pupil);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The case (id: its earliest report, or any report of it) with the timeline of its reports',
  })
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ReportCaseDetail> {
    return this.cases.get(actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('school_staff')
  @ApiOperation({
    summary: 'Approve every DRAFT report of the case, each as a single approve; answers per report',
  })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
  ): Promise<{ case: ReportCaseDetail; results: CaseActionResult[] }> {
    return this.cases.approveAll(actor, id);
  }

  @Post(':id/end-date')
  @HttpCode(200)
  @Roles('school_staff')
  @ApiOperation({
    summary: 'Set the end date `{ endDate }` on the case and on every report of it that is out',
  })
  async endDate(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: CaseEndDateDto,
  ): Promise<{ case: ReportCaseDetail; results: CaseActionResult[] }> {
    return this.cases.setEndDate(actor, id, body.endDate);
  }
}
