import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AnalyseAbsenceUseCase,
  type AnalysisResult,
  type EvaluateSignalsUseCase,
  type EvaluationOutcome,
  GetSchoolCalendarUseCase,
  ListReportsUseCase,
  ListSignalsUseCase,
  PutSchoolCalendarUseCase,
  SchoolSettingsUseCase,
  type SchoolSettingsChange,
  parseSchoolCalendarBody,
  parseSchoolSettingsChange,
} from '#application';
import type { Actor, Report, SchoolCalendar, SchoolSettings, StoredCalendar, StoredSignal } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';
import { EVALUATE_SIGNALS } from './signals.tokens.js';

const READERS = ['school_staff', 'privacy_officer', 'auditor'] as const;

@ApiTags('signals')
@ApiBearerAuth()
@Controller('v1/schools/:brin')
export class SchoolSignalsController {
  constructor(
    @Inject(PutSchoolCalendarUseCase) private readonly putCalendar: PutSchoolCalendarUseCase,
    @Inject(GetSchoolCalendarUseCase) private readonly getCalendar: GetSchoolCalendarUseCase,
    @Inject(SchoolSettingsUseCase) private readonly settings: SchoolSettingsUseCase,
    @Inject(ListSignalsUseCase) private readonly listSignals: ListSignalsUseCase,
    @Inject(ListReportsUseCase) private readonly listReports: ListReportsUseCase,
    @Inject(AnalyseAbsenceUseCase) private readonly analyse: AnalyseAbsenceUseCase,
    @Inject(EVALUATE_SIGNALS) private readonly evaluate: EvaluateSignalsUseCase,
  ) {}

  @Put('calendar')
  @Roles('school_staff')
  @ApiOperation({ summary: "Store the school's calendar (contracts §5: school days, holidays, closed days)" })
  async putSchoolCalendar(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Body(new CommandPipe(parseSchoolCalendarBody)) calendar: SchoolCalendar,
  ): Promise<StoredCalendar> {
    return this.putCalendar.execute(actor, brin, calendar);
  }

  @Get('calendar')
  @Roles(...READERS)
  @ApiOperation({ summary: "The school's stored calendar" })
  async schoolCalendar(@CurrentActor() actor: Actor, @Param('brin') brin: string): Promise<StoredCalendar> {
    return this.getCalendar.execute(actor, brin);
  }

  @Put('settings')
  @Roles('school_staff')
  @ApiOperation({ summary: 'School settings of the signal side: `{ autoApproveMandatory: boolean }`' })
  async putSettings(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Body(new CommandPipe(parseSchoolSettingsChange)) change: SchoolSettingsChange,
  ): Promise<SchoolSettings> {
    return this.settings.put(actor, brin, change);
  }

  @Get('settings')
  @Roles(...READERS)
  @ApiOperation({ summary: 'School settings of the signal side' })
  async schoolSettings(@CurrentActor() actor: Actor, @Param('brin') brin: string): Promise<SchoolSettings> {
    return this.settings.get(actor, brin);
  }

  @Get('signals')
  @Roles(...READERS)
  @ApiOperation({ summary: "The school's signals (contracts §4) with their status" })
  @ApiQuery({ name: 'status', required: false, enum: ['OPEN', 'WITHDRAWN'] })
  @ApiQuery({ name: 'rule', required: false })
  async signals(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Query('status') status?: string,
    @Query('rule') rule?: string,
  ): Promise<{ items: StoredSignal[] }> {
    return this.listSignals.execute(actor, brin, { status, rule });
  }

  @Post('signals/evaluate')
  @HttpCode(200)
  @Roles('school_staff')
  @ApiOperation({ summary: 'Re-evaluate every pupil of the school (as of a date; default today)' })
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD' })
  async evaluateSchool(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Query('asOf') asOf?: string,
  ): Promise<EvaluationOutcome> {
    return this.evaluate.evaluateSchool(actor, brin, asOf);
  }

  @Get('reports')
  @Roles(...READERS)
  @ApiOperation({ summary: "The school's reports and drafts (contracts §7), with `overdue`" })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  async reports(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Query('status') status?: string,
    @Query('overdue') overdue?: string,
  ): Promise<{ items: Report[] }> {
    return this.listReports.execute(actor, brin, { status, overdue });
  }

  @Get('analysis')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Periodic analysis: minutes and counts per legal class, per week or month and dimension',
  })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  @ApiQuery({
    name: 'by',
    required: false,
    enum: ['pupil', 'group', 'teacher', 'weekday', 'lessonHour', 'reason', 'weekdayLessonHour'],
  })
  @ApiQuery({ name: 'period', required: false, enum: ['week', 'month'] })
  async analysis(
    @CurrentActor() actor: Actor,
    @Param('brin') brin: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('by') by?: string,
    @Query('period') period?: string,
  ): Promise<AnalysisResult> {
    return this.analyse.execute(actor, brin, { from, to, by, period });
  }
}
