import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DecideDisclosureUseCase,
  type DecisionResponse,
  type DisclosureDecisionCommand,
  parseDisclosureDecisionCommand,
} from '#application';
import type { Actor } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('v1/privacy/decisions')
export class DecisionsController {
  constructor(@Inject(DecideDisclosureUseCase) private readonly decide: DecideDisclosureUseCase) {}

  @Post()
  @HttpCode(200)
  @Roles('school_staff', 'integration_client', 'privacy_officer')
  @ApiOperation({
    summary:
      'Decide a disclosure request (contracts §6) under the board policy in force (else the shipped default); ' +
      'the pseudonymised request and a DECISION audit entry are stored',
  })
  @ApiBody({
    description:
      'contracts §6 request: { recipient: { kind, id? }, purpose, reportKind?, pupil: { ageAtDate, consent?: { jgz? }, ' +
      'localId? }, categories?, payload: { "<field path>": value } }; pupil.localId only names the pupil for the store',
    schema: { type: 'object' },
  })
  async create(
    @CurrentActor() actor: Actor,
    @Body(new CommandPipe(parseDisclosureDecisionCommand)) command: DisclosureDecisionCommand,
  ): Promise<DecisionResponse> {
    return this.decide.execute(actor, command);
  }
}
