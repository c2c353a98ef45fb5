import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { pinoHttp } from 'pino-http';
import { securityHeaders } from './http/security-headers.js';
import { redactPath } from './http/log-redaction.js';
import { JsonInputScanner } from '#domain';
import { type Infrastructure, InfrastructureModule, PinoNestLogger } from '#runtime';
import { AppModule, type GatewayOptions } from './app.module.js';
import { LOCAL_PROVIDER_PATH, LocalOidcProvider } from './auth/index.js';
import { jsonTooDeep, nulCharacter } from './http/coded-http.exception.js';
import { serveConsole } from './http/console-assets.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { ROSTER_MAX_BODY, ROSTER_TYPE } from './privacy/roster.controller.js';

export const MAX_BODY = '16mb';
/** A policy text is at most 256 KiB (the use case refuses longer texts); YAML bodies are read up to that. */
export const POLICY_MAX_BODY = '256kb';
export const YAML_TYPE = /^(text|application)\/(x-)?yaml\b/i;

/** Builds the gateway HTTP application over opened infrastructure; main and the e2e tests share this. */
export async function createGateway(
  infra: Infrastructure,
  options: GatewayOptions = {},
): Promise<INestApplication> {
  // The composition root: the one opened infrastructure goes into Nest's container here, as a module (ADR 0031).
  const root = AppModule.forRoot({
    ...options,
    infrastructure: InfrastructureModule.forRoot(infra),
    settings: infra.settings,
  });
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger: new PinoNestLogger(infra.logger.child({ component: 'nest' })),
    bodyParser: false,
    // A ConfigurationError thrown while the modules start (e.g. unusable verification keys) reaches main, which
    // exits 78; Nest's default would exit 1 itself.
    abortOnError: false,
  });
  // Raw ingest keeps the school system's payload byte for byte: no body parser reads it; the ingest controller
  // reads it whole (spooled to disk beyond INGEST_MEMORY_BYTES, checked and counted there, ADR 0013) and then
  // streams it into the batch.
  // Behind a TLS-terminating proxy (TRUST_PROXY): client address and protocol from X-Forwarded-*; else the socket's.
  if (infra.settings.http.trustProxy !== null) app.set('trust proxy', infra.settings.http.trustProxy);
  // First, so every answer carries them: the console, Swagger UI, the demo sign-in, problems and 404s alike.
  app.use(securityHeaders());
  const isIngest = (req: { url?: string }): boolean => req.url?.startsWith('/v1/ingest/') ?? false;
  // Every JSON body is scanned once, in linear time, before JSON.parse sees it (ADR 0013): nesting deeper than
  // JSON_MAX_DEPTH and the NUL character are refused with a coded 400.
  const { jsonMaxDepth } = infra.settings.limits;
  const jsonOptions = {
    limit: MAX_BODY,
    type: (req: IncomingMessage): boolean =>
      !isIngest(req) && /^application\/([\w.+-]+\+)?json/i.test(String(req.headers['content-type'] ?? '')),
    // body-parser's own hook, called with the raw bytes before it parses them (Nest's types leave it out).
    verify: (_req: IncomingMessage, _res: ServerResponse, buffer: Buffer): void => {
      const fault = new JsonInputScanner(jsonMaxDepth).write(buffer);
      if (fault === 'too_deep') throw jsonTooDeep(jsonMaxDepth);
      if (fault === 'nul') throw nulCharacter();
    },
  };
  app.useBodyParser('json', jsonOptions);
  // A privacy policy draft may be sent as its YAML text (POST /v1/privacy/policies, ADR 0012).
  app.useBodyParser('text', {
    limit: POLICY_MAX_BODY,
    type: (req) => !isIngest(req) && YAML_TYPE.test(String(req.headers['content-type'] ?? '')),
  });
  // A school system's roster (PUT /v1/schools/:brin/roster/:system, ADR 0019) is read as its XML text.
  app.useBodyParser('text', {
    limit: ROSTER_MAX_BODY,
    type: (req) =>
      /^\/v1\/schools\/[^/]+\/roster\//.test(req.url ?? '') &&
      ROSTER_TYPE.test(String(req.headers['content-type'] ?? '')),
  });
  app.use(
    pinoHttp({
      logger: infra.logger.child({ component: 'http' }),
      autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
      // The query string may carry identifiers and the path a pupil's id: log the redacted path only.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          path: redactPath(String(req.url)),
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
