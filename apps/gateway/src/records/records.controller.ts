import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GetRecordBatchUseCase,
  ListRecordBatchesUseCase,
  SubmitRecordBatchCommand,
  SubmitRecordBatchUseCase,
  type SubmittedBatch,
} from '#application';
import type { Actor, RecordBatch } from '#domain';
import { CurrentActor, Roles } from '../auth/index.js';
import { SubmitRecordsDto } from './canonical-record.dto.js';

@ApiTags('records')
@ApiBearerAuth()
@Controller('v1/records')
export class RecordsController {
  constructor(
    @Inject(SubmitRecordBatchUseCase) private readonly submit: SubmitRecordBatchUseCase,
    @Inject(GetRecordBatchUseCase) private readonly getBatch: GetRecordBatchUseCase,
    @Inject(ListRecordBatchesUseCase) private readonly listBatches: ListRecordBatchesUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('school_staff', 'integration_client')
  @ApiOperation({ summary: 'Submit a batch of canonical records (contracts §2); processed asynchronously' })
  @ApiResponse({ status: 202, description: 'Stored; the worker processes it' })
  @ApiResponse({
    status: 400,
    description: 'application/problem+json naming every bad field; nothing stored',
  })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: SubmitRecordsDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmittedBatch> {
    const result = await this.submit.execute(SubmitRecordBatchCommand.create(actor, body.records));
    response.location(`/v1/records/batches/${result.batchId}`);
    return result;
  }

  @Get('batches')
  @Roles('school_staff', 'integration_client', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: 'The most recent batches of your school board, newest first' })
  @ApiQuery({ name: 'limit', required: false, description: '1–100, default 20' })
  async list(
    @CurrentActor() actor: Actor,
    @Query('limit', new ParseIntPipe({ optional: true })) limit?: number,
  ): Promise<{ items: RecordBatch[] }> {
    return this.listBatches.execute(actor, limit);
  }

  @Get('batches/:id')
  @Roles('school_staff', 'integration_client', 'privacy_officer', 'auditor')
  @ApiOperation({ summary: 'The state of a submitted batch (only within your school board)' })
  async batch(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<RecordBatch> {
    return this.getBatch.execute(actor, id);
  }
}
