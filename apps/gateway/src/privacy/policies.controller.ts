import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  PolicyVersionsUseCase,
  SimulatePolicyUseCase,
  type SimulationResult,
  VerifyAuditChainUseCase,
} from '#application';
import type { Actor, AuditVerification, PolicyVersion } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CreatePolicyDto } from './privacy.dto.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('v1/privacy')
export class PoliciesController {
  constructor(
    @Inject(PolicyVersionsUseCase) private readonly versions: PolicyVersionsUseCase,
    @Inject(SimulatePolicyUseCase) private readonly simulation: SimulatePolicyUseCase,
    @Inject(VerifyAuditChainUseCase) private readonly verifyChain: VerifyAuditChainUseCase,
  ) {}

  @Post('policies')
  @Roles('privacy_officer')
  @ApiOperation({
    summary: 'Store a new policy version as a draft (validated; id and version come from the text)',
  })
  async create(@CurrentActor() actor: Actor, @Body() body: CreatePolicyDto): Promise<PolicyVersion> {
    return this.versions.createDraft(actor, body.text);
  }

  @Get('policies/:id/versions')
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Every version of a policy, oldest first' })
  async list(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<{ items: PolicyVersion[] }> {
    return { items: await this.versions.list(actor, id) };
  }

  @Get('policies/:id/versions/:version')
  @Roles('privacy_officer')
  async get(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
  ): Promise<PolicyVersion> {
    return this.versions.get(actor, id, version);
  }

  @Post('policies/:id/versions/:version/approve')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Approve a draft; the approver must not be its author (403 POLICY_FOUR_EYES)' })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('version') version: string,
  ): Promise<PolicyVersion> {
    return this.versions.approve(actor, id, version);
  }

  @Get('policies/:id/effective')
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'The version in force at a moment (default: now)' })
  @ApiQuery({ name: 'at', required: false, description: 'YYYY-MM-DD or an ISO 8601 instant' })
  async effective(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query('at') at?: string,
  ): Promise<PolicyVersion> {
    return this.versions.effectiveAt(actor, id, at);
  }

  @Post('policies/:id/versions/:version/simulate')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'What the version would decide differently over the last N days of requests' })
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
  @ApiOperation({ summary: 'Walk the audit hash chain; the first broken entry when it was altered' })
  async verify(): Promise<AuditVerification> {
    return this.verifyChain.execute();
  }
}
