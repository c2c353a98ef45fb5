import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SETTINGS, type Settings } from '#config';
import type { HealthCheck } from '#domain';
import { HEALTH_CHECKS } from '#runtime';
import { Public } from '../auth/index.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: readonly HealthCheck[],
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database and broker reachable' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<object> {
    const checks = await Promise.all(
      this.checks.map(async (check) => {
        try {
          await withTimeout(check.check(), 3_000);
          return [check.name, 'up'] as const;
        } catch {
          return [check.name, 'down'] as const;
        }
      }),
    );
    const ready = checks.every(([, state]) => state === 'up');
    response.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'not_ready',
      mode: this.settings.mode,
      checks: Object.fromEntries(checks),
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
