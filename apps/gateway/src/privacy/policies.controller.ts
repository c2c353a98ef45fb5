import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  type AuditLogPage,
  BrowseAuditLogUseCase,
  type EffectivePolicy,
  type PolicyListing,
  type PolicyRejection,
  PolicyVersionsUseCase,
  type PolicyDraftCheck,
  SimulatePolicyUseCase,
  type SimulationResult,
  ValidatePolicyDraftUseCase,
  VerifyAuditChainUseCase,
  parsePolicyRejection,
} from '#application';
import type { Actor, BoardChainVerification, PolicyVersion } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';
import { AuditLogQueryDto } from './privacy.dto.js';

const YAML_ACCEPT = /\b(text|application)\/(x-)?yaml\b/i;

/** The policy text of a JSON body `{ "text": "…" }`, or the body itself when it was sent as YAML. */
function policyTextOf(body: unknown): unknown {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) return (body as Record<string, unknown>)['text'];
  return undefined;
}

/** With `Accept: text/yaml` the version's text as it was stored; otherwise the JSON view. */
function negotiate<T extends { readonly text: string }>(
  accept: string | undefined,
  res: Response,
  value: T,
): T | string {
  if (accept === undefined || !YAML_ACCEPT.test(accept)) return value;
  res.type('text/yaml; charset=utf-8');
  return value.text;
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('v1/privacy')
export class PoliciesController {
  constructor(
    @Inject(PolicyVersionsUseCase) private readonly versions: PolicyVersionsUseCase,
    @Inject(SimulatePolicyUseCase) private readonly simulation: SimulatePolicyUseCase,
    @Inject(VerifyAuditChainUseCase) private readonly verifyChain: VerifyAuditChainUseCase,
    @Inject(ValidatePolicyDraftUseCase) private readonly check: ValidatePolicyDraftUseCase,
    @Inject(BrowseAuditLogUseCase) private readonly auditLog: BrowseAuditLogUseCase,
  ) {}

  @Post('policies/validate')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'Validate, prove and simulate a policy text without storing it (the editor, ADR 0022): 200 with ' +
      '`valid`, the issues at their line and column, the proof (each failing invariant with a counterexample), ' +
      'and the comparison with the policy in force (with its text, for a diff)',
  })
  @ApiBody({
    description: 'JSON `{ "text": "<policy YAML>" }`, or the YAML itself as text/yaml or application/yaml',
    schema: { oneOf: [{ type: 'object', properties: { text: { type: 'string' } } }, { type: 'string' }] },
  })
  @ApiQuery({ name: 'days', required: false, description: 'replay window, 1–3650, default 30' })
  async validate(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Query('days', new ParseIntPipe({ optional: true })) days?: number,
  ): Promise<PolicyDraftCheck> {
    return this.check.execute(actor, policyTextOf(body), days ?? 30);
  }

  @Post('policies')
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'Store a new policy version as a draft: validated, then proven exhaustively (statutory floor and its own ' +
      'invariants); the proof is stored with the draft. id and version come from the text.',
  })
  @ApiBody({
    description: 'JSON `{ "text": "<policy YAML>" }`, or the YAML itself as text/yaml or application/yaml',
    schema: { oneOf: [{ type: 'object', properties: { text: { type: 'string' } } }, { type: 'string' }] },
  })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<PolicyVersion> {
    return this.versions.createDraft(actor, policyTextOf(body));
  }

  @Get('policies')
  @Roles('privacy_officer')
  @ApiOperation({
    summary: "The board's policies with their versions and status, and the policy in force now",
  })
  async listAll(@CurrentActor() actor: Actor): Promise<PolicyListing> {
    return this.versions.listAll(actor);
  }

  @Get('policies/overview')
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'The policy in force now in plain terms: per recipient and purpose the fields that may be shared, the ' +
      'conditions, legal basis and retention (also in words), the retention per category and the statutory floor',
  })
  async overview(
    @CurrentActor() actor: Actor,
  ): Promise<Awaited<ReturnType<PolicyVersionsUseCase['overview']>>> {
    return this.versions.overview(actor);
  }

  @Get('policies/:id/versions')
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Every version of a policy, oldest first; an unknown policy is a 404' })
  async list(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<{ items: PolicyVersion[] }> {
    return { items: await this.versions.list(actor, id) };
  }

  @Get('policies/:id/versions/:version')
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'One version with its stored proof; with Accept: text/yaml its text' })
  @ApiProduces('application/json', 'text/yaml')
  async get(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PolicyVersion | string> {
    return negotiate(accept, res, await this.versions.get(actor, id, version));
  }

  @Post('policies/:id/versions/:version/approve')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'Approve a draft; the approver must not be its author (403 POLICY_FOUR_EYES); a draft that fails its ' +
      'proof is refused (422 POLICY_PROOF_FAILED, naming each failing invariant with a counterexample)',
  })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
  ): Promise<PolicyVersion> {
    return this.versions.approve(actor, id, version);
  }

  @Post('policies/:id/versions/:version/submit')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'The author submits a draft for approval by a second privacy officer (ADR 0022): DRAFT → SUBMITTED; ' +
      'someone else: 403 POLICY_NOT_AUTHOR; not a draft: 409 POLICY_NOT_DRAFT / POLICY_REJECTED; a draft ' +
      'that fails its proof: 422 POLICY_PROOF_FAILED',
  })
  async submit(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
  ): Promise<PolicyVersion> {
    return this.versions.submit(actor, id, version);
  }

  @Post('policies/:id/versions/:version/reject')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'A second privacy officer rejects a draft with a reason (ADR 0022): DRAFT/SUBMITTED → REJECTED; no ' +
      'reason: 400 REJECTION_REASON_MISSING; the author: 403 POLICY_FOUR_EYES; not a draft: 409',
  })
  @ApiBody({ schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 2000 } } } })
  async reject(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
    @Body(new CommandPipe(parsePolicyRejection)) rejection: PolicyRejection,
  ): Promise<PolicyVersion> {
    return this.versions.reject(actor, id, version, rejection);
  }

  @Get('policies/:id/effective')
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'The policy in force at a moment (default: now): the board version (source "board") or the shipped ' +
      'default that applies instead (source "default"); with Accept: text/yaml its text',
  })
  @ApiQuery({ name: 'at', required: false, description: 'YYYY-MM-DD or an ISO 8601 instant' })
  @ApiProduces('application/json', 'text/yaml')
  async effective(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Query('at') at?: string,
  ): Promise<EffectivePolicy | string> {
    return negotiate(accept, res, await this.versions.effectiveAt(actor, id, at));
  }

  @Post('policies/:id/versions/:version/simulate')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      'What the version would decide differently: over the whole domain of the proof, and over the last N ' +
      'days of stored pseudonymised requests; with the proof',
  })
  @ApiQuery({ name: 'days', required: false, description: '1–3650, default 30' })
  async simulate(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
    @Query('days', new ParseIntPipe({ optional: true })) days?: number,
  ): Promise<SimulationResult> {
    return this.simulation.execute(actor, id, version, days ?? 30);
  }

  @Get('audit/verify')
  @Roles('auditor', 'privacy_officer')
  @ApiOperation({
    summary:
      "Walk the caller's board's audit hash chain (from its checkpoint of the sealed chain); the first broken entry when it was altered",
  })
  async verify(@CurrentActor() actor: Actor): Promise<BoardChainVerification> {
    return this.verifyChain.forActor(actor);
  }

  @Get('audit')
  @Roles('auditor', 'privacy_officer')
  @ApiOperation({
    summary:
      "The caller's board's audit log, newest first (issue 15 item 4): by pupil (the board's number, resolved " +
      'to its pseudonyms), recipient, purpose, report kind, decision, kind and period; each entry with the ' +
      "board's pupil behind it, the policy version that decided and a Dutch explanation. Bad filters: 400 " +
      'REQUEST_INVALID / AUDIT_QUERY_INVALID',
  })
  async audit(
    @CurrentActor() actor: Actor,
    @Query() query: AuditLogQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditLogPage> {
    res.setHeader('Cache-Control', 'no-store');
    return this.auditLog.execute(actor, query);
  }
}
