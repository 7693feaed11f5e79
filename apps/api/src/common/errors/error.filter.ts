import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { errorMessage, type ErrorBody, type ErrorCode, type Locale } from '@chaincard/shared';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import type { JsonLogger } from '../logger';
import { requestContext } from '../request-context';
import { AppError } from './app-error';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * Every error leaves the API as `{ error: { code, message, details } }`. Expected failures carry
 * their own code; anything unexpected becomes a 500 with the request id and no internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const { status, body } = toErrorResponse(exception, req, this.logger);
    if (res.headersSent) return;
    res.status(status).json(body);
  }
}

export function localeOf(req: Request | undefined): Locale {
  const header = String(req?.headers?.['accept-language'] ?? '');
  return /^en\b/i.test(header) ? 'en' : 'zh-CN';
}

export function toErrorResponse(exception: unknown, req: Request | undefined, logger: JsonLogger): { status: number; body: ErrorBody } {
  const locale = localeOf(req);
  const requestId = requestContext.get()?.requestId;
  const make = (status: number, code: ErrorCode, details?: unknown) => ({
    status,
    body: { error: { code, message: errorMessage(code, locale), ...(details === undefined ? {} : { details }), ...(requestId ? { requestId } : {}) } },
  });

  if (exception instanceof AppError) return make(exception.status, exception.code, exception.details);

  // body-parser errors carry a `type` and a status of their own.
  const bodyError = exception as { type?: string; status?: number };
  if (bodyError && typeof bodyError.type === 'string' && typeof bodyError.status === 'number') {
    if (bodyError.type === 'entity.too.large') return make(413, 'PAYLOAD_TOO_LARGE');
    if (bodyError.type === 'entity.parse.failed') return make(400, 'MALFORMED_JSON');
    if (bodyError.status >= 400 && bodyError.status < 500) return make(bodyError.status, STATUS_CODES[bodyError.status] ?? 'VALIDATION_FAILED');
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) return make(404, 'ROUTE_NOT_FOUND', { method: req?.method, path: req?.path });
    if (status < 500) return make(status, STATUS_CODES[status] ?? 'VALIDATION_FAILED');
  }

  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string }).code;
    // Input that slipped past validation into a constraint is still the caller's error.
    if (code === '23505') return make(409, 'CONFLICT');
    // A reference to something that does not exist, which validation could not know.
    if (code === '23503') return make(400, 'VALIDATION_FAILED', { constraint: (exception.driverError as { constraint?: string }).constraint });
    if (code === '22P02' || code === '22003' || code === '23514' || code === '22007' || code === '22008') return make(400, 'VALIDATION_FAILED');
    if (code === '40001' || code === '40P01' || code === '55P03') return make(409, 'CONFLICT');
  }

  const err = exception as Error;
  logger.write('error', 'unhandled error', { err: err?.message, stack: err?.stack, path: req?.path, method: req?.method });
  return make(500, 'INTERNAL_ERROR');
}
