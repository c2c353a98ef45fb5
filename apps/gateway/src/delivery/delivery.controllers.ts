import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ChainSummaryUseCase,
  LeerplichtInboxUseCase,
  type OfficerCaseNote,
  type OfficerStatusChange,
  type ReportEndDate,
  type RetrySchedule,
  SchoolDeliveriesUseCase,
  describeSchedule,
  parseOfficerCaseNote,
  parseOfficerStatus,
  parseReportEndDate,
} from '#application';
import type {
  Actor,
  BoardSummary,
  Delivery,
  LeerplichtCaseNote,
  LeerplichtInboxItem,
  Report,
  ReportStatusChange,
} from '#domain';
import { CurrentActor, Public, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';

export const RETRY_SCHEDULE = Symbol('RetrySchedule');
export const SIGNING_KEYS = Symbol('LeerplichtSigningKeys');

/** ketenpoort's public keys for verifying the signed leerplicht reports (JWS ES256), by `kid`. */
@Public()
@Controller('.well-known')
export class SigningKeysController {
  constructor(@Inject(SIGNING_KEYS) private readonly keys: { keys: object[] }) {}

  @Get('leerplicht-signing-keys.json')
  @Header('Content-Type', 'application/jwk-set+json')
  @Header('Cache-Control', 'public, max-age=300')
  signingKeys(): { keys: object[] } {
    return this.keys;
  }
}

/** The municipality's inbox and the officer's status (architecture §6: officers scoped to their codes). */
@ApiTags('leerplicht')
@ApiBearerAuth()
@Controller('v1/leerplicht')
export class LeerplichtInboxController {
  constructor(@Inject(LeerplichtInboxUseCase) private readonly inbox: LeerplichtInboxUseCase) {}

  @Get(':gemeentecode/reports')
  @Roles('leerplicht_officer', 'doorstroompunt_officer')
  @ApiOperation({
    summary:
      'Reports delivered to this municipality (or regional body), oldest first, each a compact JWE of the signed report with the routing fields kept in clear (ADR 0023: operation, kind, school, locationName, periodBegin, periodEnd, ageGroup, status, statusAt); `?since=<ISO instant>` continues after the last storedAt; filters `school`, `kind`, `status`, `receivedFrom`, `receivedTo`, `ageGroup`',
  })
  async list(
    @CurrentActor() actor: Actor,
    @Param('gemeentecode') code: string,
    @Query() query: Record<string, unknown>,
  ): Promise<{ items: LeerplichtInboxItem[] }> {
    const since = query['since'];
    return this.inbox.list(actor, code, typeof since === 'string' ? since : undefined, query);
  }

  @Get(':gemeentecode/reports/:reportId')
  @Roles('leerplicht_officer', 'doorstroompunt_officer')
  @ApiOperation({
    summary:
      "One report: its inbox entries (ciphertext + routing fields), where it stands (the furthest point of DUO's feed and the officer's channel), both histories, and the officer's case notes (ciphertext)",
  })
  async report(
    @CurrentActor() actor: Actor,
    @Param('gemeentecode') code: string,
    @Param('reportId') reportId: string,
  ): Promise<Awaited<ReturnType<LeerplichtInboxUseCase['report']>>> {
    return this.inbox.report(actor, code, reportId);
  }

  @Post(':gemeentecode/reports/:reportId/case-notes')
  @HttpCode(201)
  @Roles('leerplicht_officer', 'doorstroompunt_officer')
  @ApiOperation({
    summary:
      "The officer's decision and notes `{ jwe }`: a compact JWE (ECDH-ES+A256KW, A256GCM) the browser encrypted to the municipality's key; stored as is, never decrypted by ketenpoort, never shown to the school",
  })
  async caseNote(
    @CurrentActor() actor: Actor,
    @Param('gemeentecode') code: string,
    @Param('reportId') reportId: string,
    @Body(new CommandPipe(parseOfficerCaseNote)) note: OfficerCaseNote,
  ): Promise<LeerplichtCaseNote> {
    return this.inbox.addCaseNote(actor, code, reportId, note);
  }

  @Post(':gemeentecode/reports/:reportId/status')
  @HttpCode(200)
  @Roles('leerplicht_officer', 'doorstroompunt_officer')
  @ApiOperation({
    summary:
      'The officer sets `{ status: IN_BEHANDELING|AFGESLOTEN|TER_KENNISGEVING_AANGENOMEN, closingReason?, closingExplanation?, contact? }`; it flows back to the school. A move the lifecycle does not allow (e.g. back from afgesloten) is 409 STATUS_MOVE_NOT_ALLOWED with a Dutch explanation; the same status again is 200 `unchanged`',
  })
  async status(
    @CurrentActor() actor: Actor,
    @Param('gemeentecode') code: string,
    @Param('reportId') reportId: string,
    @Body(new CommandPipe(parseOfficerStatus)) change: OfficerStatusChange,
  ): Promise<{ reportId: string; status: string; result: 'applied' | 'unchanged' }> {
    return this.inbox.setStatus(actor, code, reportId, change);
  }
}

/** School staff's work queue, dead-letter queue and replay. */
@ApiTags('delivery')
@ApiBearerAuth()
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    @Inject(SchoolDeliveriesUseCase) private readonly deliveries: SchoolDeliveriesUseCase,
    @Inject(RETRY_SCHEDULE) private readonly schedule: RetrySchedule,
  ) {}

  @Get('work-queue')
  @Roles('school_staff')
  @ApiOperation({
    summary:
      'Deliveries a destination refused permanently (REJECTED), with the reason; never retried blindly',
  })
  async workQueue(@CurrentActor() actor: Actor): Promise<{ items: Delivery[] }> {
    return this.deliveries.queue(actor, 'work');
  }

  @Get('dead-letters')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: 'Deliveries whose retries ran out (DEAD): references only' })
  async deadLetters(@CurrentActor() actor: Actor): Promise<{ items: Delivery[] }> {
    return this.deliveries.queue(actor, 'dead-letter');
  }

  @Post(':id/replay')
  @HttpCode(200)
  @Roles('school_staff')
  @ApiOperation({
    summary:
      'Send a REJECTED or DEAD delivery again; the privacy decision and the retention check run again first',
  })
  async replay(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Delivery> {
    return this.deliveries.replay(actor, id);
  }

  @Get('retry-schedule')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: 'The published retry schedule: exponential backoff with jitter' })
  retrySchedule(): {
    schedule: RetrySchedule;
    waits: { afterAttempt: number; minMs: number; maxMs: number }[];
  } {
    return { schedule: this.schedule, waits: describeSchedule(this.schedule) };
  }
}

/** Where the board's reports stand, in counts. */
@ApiTags('delivery')
@ApiBearerAuth()
@Controller('v1/chain')
export class ChainSummaryController {
  constructor(@Inject(ChainSummaryUseCase) private readonly summary: ChainSummaryUseCase) {}

  @Get('summary')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({
    summary: 'Counts for the board: pupils, records, signals, reports by status, deliveries, disclosures',
  })
  async get(@CurrentActor() actor: Actor): Promise<BoardSummary> {
    return this.summary.execute(actor);
  }
}

/**
 * A report's way through the chain (glossary: "report's way"), and follow-ups on a report already out. The path
 * `…/chain` and the OpenAPI operation ids keep their first names, so clients generated from the spec keep theirs.
 */
@ApiTags('signals')
@ApiBearerAuth()
@Controller('v1/schools/:school/reports/:id')
export class ReportWayController {
  constructor(@Inject(SchoolDeliveriesUseCase) private readonly deliveries: SchoolDeliveriesUseCase) {}

  @Get('chain')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({
    operationId: 'ReportChainController_chain',
    summary: 'The report, its deliveries (DUO, leerplicht) and its status history',
  })
  async way(
    @CurrentActor() actor: Actor,
    @Param('school') school: string,
    @Param('id') id: string,
  ): Promise<{ report: Report; deliveries: Delivery[]; history: ReportStatusChange[] }> {
    return this.deliveries.way(actor, school, id);
  }

  @Post('withdraw')
  @HttpCode(202)
  @Roles('school_staff')
  @ApiOperation({
    operationId: 'ReportChainController_withdraw',
    summary: 'Withdraw a report that is out (Ingetrokken at DUO and the municipality)',
  })
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param('school') school: string,
    @Param('id') id: string,
  ): Promise<{ id: string }> {
    return this.deliveries.withdraw(actor, school, id);
  }

  @Post('end-date')
  @HttpCode(202)
  @Roles('school_staff')
  @ApiOperation({
    operationId: 'ReportChainController_endDate',
    summary: 'Add the end date `{ endDate: YYYY-MM-DD }` to a report that is out',
  })
  async endDate(
    @CurrentActor() actor: Actor,
    @Param('school') school: string,
    @Param('id') id: string,
    @Body(new CommandPipe(parseReportEndDate)) end: ReportEndDate,
  ): Promise<{ id: string }> {
    return this.deliveries.endDate(actor, school, id, end);
  }
}
