import { Body, Controller, Get, HttpCode, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type BoardSettingsChange, BoardSettingsUseCase, parseBoardSettingsChange } from '#application';
import type { Actor, BoardSettings } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';

/** The board's declaration about its pupil numbers (ADR 0017). */
@ApiTags('board')
@ApiBearerAuth()
@Controller('v1/board/settings')
export class BoardSettingsController {
  constructor(@Inject(BoardSettingsUseCase) private readonly settings: BoardSettingsUseCase) {}

  @Get()
  @Roles('board_admin', 'privacy_officer')
  @ApiOperation({ summary: "The board's settings: whether its schools share one pupil administration" })
  async get(@CurrentActor() actor: Actor): Promise<BoardSettings> {
    return this.settings.get(actor);
  }

  @Put()
  @HttpCode(200)
  @Roles('board_admin')
  @ApiOperation({
    summary:
      '`{ sharedAdministration: boolean }`: true when the schools share one pupil administration (one number, one ' +
      'pupil board-wide); default false (a pupil is a number at a school). Re-keys the registered pupils; ' +
      '409 PUPIL_NUMBERS_COLLIDE while two schools have a pupil with the same number',
  })
  async put(
    @CurrentActor() actor: Actor,
    @Body(new CommandPipe(parseBoardSettingsChange)) change: BoardSettingsChange,
  ): Promise<BoardSettings> {
    return this.settings.put(actor, change);
  }
}
