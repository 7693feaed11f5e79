import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '../../config/config';
import { toErrorResponse } from '../errors/error.filter';
import type { JsonLogger } from '../logger';
import { requestContext, type RequestContext } from '../request-context';

type RequestWithContext = Request & { chaincardContext?: RequestContext };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** Routes that need the request body byte for byte (signature checks). */
export const RAW_BODY_PREFIX = '/api/wechat/pay/notify';

/**
 * Express-level plumbing that runs before Nest: request id and context, access log, JSON body
 * parsing with a size limit, and errors raised there rendered in the SPEC's format.
 */
export function setupHttp(app: INestApplication, config: AppConfig, logger: JsonLogger): void {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  if (config.trustProxy) server.set('trust proxy', true);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    const ctx: RequestContext = { requestId, ip: req.ip ?? req.socket.remoteAddress ?? '' };
    (req as RequestWithContext).chaincardContext = ctx;
    res.on('finish', () => {
      logger.write(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        actor: ctx.actor?.id,
      });
    });
    requestContext.run(ctx, () => next());
  });
  // WeChat Pay signs its notifications over the exact bytes sent: the notify route gets them raw.
  app.use(
    express.json({
      limit: config.bodyLimitBytes,
      strict: true,
      verify: (req, _res, buf) => {
        if ((req as Request).originalUrl?.startsWith(RAW_BODY_PREFIX)) (req as Request & { rawBody?: Buffer }).rawBody = Buffer.from(buf);
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: config.bodyLimitBytes }));
  // Errors thrown by the body parsers above never reach Nest's filters.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const ctx = (req as RequestWithContext).chaincardContext;
    const { status, body } = ctx ? requestContext.run(ctx, () => toErrorResponse(err, req, logger)) : toErrorResponse(err, req, logger);
    res.status(status).json(body);
  });
  // Stream callbacks of the body parser run outside the request's async context: enter it again.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const ctx = (req as RequestWithContext).chaincardContext;
    return ctx ? requestContext.run(ctx, () => next()) : next();
  });
}
