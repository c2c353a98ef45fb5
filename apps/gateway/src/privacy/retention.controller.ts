import { Body, Controller, Get, Inject, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  type ControllerDetailsChange,
  type Page,
  type ProcessingRegister,
  ProcessingRegisterUseCase,
  RetentionOverviewUseCase,
  type RetentionForecastView,
  parseControllerDetailsChange,
} from '#application';
import type { Actor, ControllerDetails, DeletionReceipt, LegalHoldEvent } from '#domain';
import { registerCsv } from '#privacy';
import { CurrentActor, Roles } from '../auth/index.js';
import { CommandPipe } from '../http/command.pipe.js';
import { RegisterQueryDto, RetentionForecastQueryDto, RetentionPageQueryDto } from './privacy.dto.js';

/** The privacy officer's retention screen and verwerkingsregister (issue 15 items 5 and 7); the auditor reads them. */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller('v1/privacy')
export class RetentionController {
  constructor(
    @Inject(RetentionOverviewUseCase) private readonly retention: RetentionOverviewUseCase,
    @Inject(ProcessingRegisterUseCase) private readonly register: ProcessingRegisterUseCase,
  ) {}

  @Get('retention/forecast')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({
    summary:
      'What retention will delete per data category per month (Europe/Amsterdam) for the coming `months` (1–36, ' +
      'default 12) under the policy in force: counts, never personal data; pupils on legal hold left out',
  })
  async forecast(
    @CurrentActor() actor: Actor,
    @Query() query: RetentionForecastQueryDto,
  ): Promise<RetentionForecastView> {
    return this.retention.forecast(actor, query.months ?? 12);
  }

  @Get('retention/receipts')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({
    summary:
      'Deletion receipts of the board, newest first: when, category, how many, period and policy version',
  })
  async receipts(
    @CurrentActor() actor: Actor,
    @Query() query: RetentionPageQueryDto,
  ): Promise<Page<DeletionReceipt>> {
    return this.retention.receipts(actor, query.page ?? 1, query.pageSize ?? 25);
  }

  @Get('retention/holds')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({
    summary: "Legal holds placed and lifted, newest first: the pupil's local id, by whom, when and why",
  })
  async holds(
    @CurrentActor() actor: Actor,
    @Query() query: RetentionPageQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Page<LegalHoldEvent>> {
    response.setHeader('Cache-Control', 'no-store');
    return this.retention.holds(actor, query.page ?? 1, query.pageSize ?? 25);
  }

  @Get('register/controller')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({ summary: "The board's name, contact and FG as filled in for the register (ADR 0025)" })
  async controller(@CurrentActor() actor: Actor): Promise<ControllerDetails> {
    return this.register.controller(actor);
  }

  @Put('register/controller')
  @Roles('privacy_officer')
  @ApiOperation({
    summary:
      "Fill in what configuration cannot know: the board's name, contact details and how to reach its FG " +
      '(each ≤ 200 characters; null or empty clears); anything else 400 REGISTER_CONTROLLER_INVALID',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 200, nullable: true },
        contact: { type: 'string', maxLength: 200, nullable: true },
        privacyOfficer: { type: 'string', maxLength: 200, nullable: true },
      },
    },
  })
  async putController(
    @CurrentActor() actor: Actor,
    @Body(new CommandPipe(parseControllerDetailsChange)) details: ControllerDetailsChange,
  ): Promise<ControllerDetails> {
    return this.register.putController(actor, details);
  }

  @Get('register')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({
    summary:
      'The verwerkingsregister (AVG art. 30) generated from the configuration (ADR 0025): `kind=controller` the ' +
      "board's entries (art. 30(1)), `kind=processor` the processor's (art. 30(2)); `format=csv` for a spreadsheet",
  })
  @ApiProduces('application/json', 'text/csv')
  async get(
    @CurrentActor() actor: Actor,
    @Query() query: RegisterQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProcessingRegister | string> {
    const register = await this.register.execute(actor, query.kind ?? 'controller');
    if (query.format === 'csv') {
      response.type('text/csv; charset=utf-8');
      const day = register.generatedAt.slice(0, 10);
      const name = register.kind === 'controller' ? 'verwerkingsregister' : 'verwerkersregister';
      response.setHeader('Content-Disposition', `attachment; filename="${name}-${day}.csv"`);
      // A byte order mark: spreadsheets then read the Dutch text as UTF-8.
      return `\uFEFF${registerCsv(register)}`;
    }
    return register;
  }
}
