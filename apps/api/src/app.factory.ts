import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { PUBLIC_EXTENSION } from './common/auth/decorators';
import type { AppConfig } from './config/config';
import { setupHttp } from './common/http/http-setup';
import { createValidationPipe } from './common/http/validation';
import { JsonLogger } from './common/logger';

export const API_PREFIX = 'api';

/** Builds the Nest application exactly as production runs it; tests use the same function. */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<{ app: NestExpressApplication; document: OpenAPIObject; logger: JsonLogger }> {
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, logger), {
    bodyParser: false,
    logger,
    abortOnError: false,
  });
  setupHttp(app, config, logger);
  // The member app's browser build, same origin as the API so it needs no CORS (its hash router
  // keeps every screen under /member/).
  if (existsSync(config.memberH5Dir)) app.useStaticAssets(config.memberH5Dir, { prefix: '/member/', index: 'index.html' });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({
    origin: config.corsOrigins === '*' ? true : config.corsOrigins,
    exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed'],
  });
  const document = markPublicRoutes(SwaggerModule.createDocument(app, openApiConfig()));
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json`, customSiteTitle: 'ChainCard API' });
  return { app, document, logger };
}

/** Public routes carry no security requirement, so clients know they need no token. */
function markPublicRoutes(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as { security?: unknown[]; [PUBLIC_EXTENSION]?: boolean }[]) {
      if (op && typeof op === 'object' && op[PUBLIC_EXTENSION]) {
        op.security = [];
        delete op[PUBLIC_EXTENSION];
      }
    }
  }
  return document;
}

function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('ChainCard API')
    .setDescription(
      'ChainCard 连锁会员管理收银系统 REST API. Money is integer fen (分). Errors: `{ "error": { "code", "message", "details" } }`. ' +
        'Send `Accept-Language: en` for English messages. Money and stock requests take an `Idempotency-Key` header.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
}
