import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, requireBoardScope, scopeCoversSchool } from '#domain';
import type { PullSourceStatus } from '#runtime';
import { CurrentActor, Roles } from '../auth/index.js';

/** What the gateway knows about its scheduled pulls; the scheduler lives in main, the tests hand in their own. */
export const PULL_STATUS = Symbol('PullStatus');
export type PullStatusSource = () => readonly PullSourceStatus[];

@ApiTags('pull')
@ApiBearerAuth()
@Controller('v1/pull')
export class PullStatusController {
  constructor(@Inject(PULL_STATUS) private readonly statuses: PullStatusSource) {}

  @Get('status')
  @Roles('school_staff', 'privacy_officer', 'auditor')
  @ApiOperation({
    summary:
      'Scheduled pulls of your schools: interval, whether one runs now, the last results (counts and codes)',
  })
  status(@CurrentActor() actor: Actor): { sources: PullSourceStatus[] } {
    const scope = requireBoardScope(actor, 'read');
    return {
      sources: this.statuses().filter((s) => s.board === scope.board && scopeCoversSchool(scope, s.school)),
    };
  }
}
