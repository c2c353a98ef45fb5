import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DecideReportUseCase, type ReportDismissal, parseReportDismissal } from '#application';
import type { Actor, Report } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';

@ApiTags('signals')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(@Inject(DecideReportUseCase) private readonly decide: DecideReportUseCase) {}

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('school_staff')
  @ApiOperation({ summary: 'Approve a report draft (DRAFT only; otherwise 409 REPORT_NOT_DRAFT)' })
  async approve(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Report> {
    return this.decide.approve(actor, id);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @Roles('school_staff')
  @ApiOperation({ summary: 'Dismiss a report draft with `{ reason }` (DRAFT only; otherwise 409)' })
  async dismiss(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body(new CommandPipe(parseReportDismissal)) dismissal: ReportDismissal,
  ): Promise<Report> {
    return this.decide.dismiss(actor, id, dismissal);
  }
}
