import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { pinoHttp } from 'pino-http';
import { type Infrastructure, PinoNestLogger } from '#runtime';
import { AppModule, type GatewayOptions } from './app.module.js';
import { LOCAL_PROVIDER_PATH, LocalOidcProvider } from './auth/index.js';
import { serveConsole } from './http/console-assets.js';
import { createValidationPipe } from './http/validation.pipe.js';

export const MAX_BODY = '16mb';
/** A policy text is at most 256 KiB (the use case refuses longer texts); YAML bodies are read up to that. */
export const POLICY_MAX_BODY = '256kb';
export const YAML_TYPE = /^(text|application)\/(x-)?yaml\b/i;

/** Builds the gateway HTTP application over opened infrastructure; main and the e2e tests share this. */
export async function createGateway(
  infra: Infrastructure,
  options: GatewayOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(infra, options), {
    logger: new PinoNestLogger(infra.logger.child({ component: 'nest' })),
    bodyParser: false,
  });
  // Raw ingest keeps the school system's payload byte for byte and is never buffered: no body parser reads
  // it; the ingest controller streams the request into the batch (size limit INGEST_MAX_BYTES, counted there).
  const isIngest = (req: { url?: string }): boolean => req.url?.startsWith('/v1/ingest/') ?? false;
  app.useBodyParser('json', {
    limit: MAX_BODY,
    type: (req) =>
      !isIngest(req) && /^application\/([\w.+-]+\+)?json/i.test(String(req.headers['content-type'] ?? '')),
  });
  // A privacy policy draft may be sent as its YAML text (POST /v1/privacy/policies, ADR 0012).
  app.useBodyParser('text', {
    limit: POLICY_MAX_BODY,
    type: (req) => !isIngest(req) && YAML_TYPE.test(String(req.headers['content-type'] ?? '')),
  });
  app.use(
    pinoHttp({
      logger: infra.logger.child({ component: 'http' }),
      autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
      // The query string may carry identifiers; log the path only.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          path: String(req.url).split('?')[0],
        }),
      },
    }),
  );
  // The demo identity provider (embedded default) and the console, both on this origin (ADR 0015, 0016).
  if (infra.settings.console.localProvider) {
    app.use(LOCAL_PROVIDER_PATH, app.get(LocalOidcProvider).middleware());
  }
  serveConsole(app, infra.settings);
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ketenpoort')
      .setDescription(
        'Gateway for the Dutch school-absence chain. Every call needs a bearer JWT; in embedded mode ' +
          'GET /v1/dev/tokens hands out demo tokens per role.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.init();
  return app;
}
