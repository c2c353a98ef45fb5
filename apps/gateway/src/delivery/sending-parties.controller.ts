import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PutSendingPartyUseCase,
  SendingPartiesUseCase,
  type SendingPartyUpload,
  type SendingPartyView,
  parseSendingPartyUpload,
} from '#application';
import type { Actor } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';

/**
 * The board's sending parties for DUO (ADR 0014): PKIoverheid certificate and key, OIN, DUO endpoint and the
 * schools each sends for. Board administrators only; the key never comes back.
 */
@ApiTags('sending-parties')
@ApiBearerAuth()
@Controller('v1/sending-parties')
@Roles('board_admin')
export class SendingPartiesController {
  constructor(
    @Inject(PutSendingPartyUseCase) private readonly put: PutSendingPartyUseCase,
    @Inject(SendingPartiesUseCase) private readonly parties: SendingPartiesUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "The board's sending parties with their certificate's state (a Dutch warning from 30 days before expiry)",
  })
  async list(@CurrentActor() actor: Actor): Promise<{ readonly items: SendingPartyView[] }> {
    return this.parties.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One sending party (never its key)' })
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<SendingPartyView> {
    return this.parties.get(actor, id);
  }

  @Put(':id')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Create or replace a sending party: `{ name, kind: BESTUUR|INSTELLING|HOSTING, oin?, endpoint?, schools: [{ brin, locationName?, contact?, copyRecipient?, education? }], certificate: { pkcs12, password } | { certPem, keyPem, keyPassphrase? } }`',
  })
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body(new CommandPipe(parseSendingPartyUpload)) party: SendingPartyUpload,
  ): Promise<SendingPartyView> {
    return this.put.execute(actor, id, party);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a sending party; its schools’ DUO deliveries then wait for another' })
  async remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.parties.remove(actor, id);
  }
}
