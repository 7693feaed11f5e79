import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { Type } from '@nestjs/common';
import { ERRORS, type ErrorCode } from '@chaincard/shared';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {}, requestId: { type: 'string' } },
    },
  },
};

/** Documents the error codes a route may answer, grouped by HTTP status. */
export function ApiErrors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ['VALIDATION_FAILED', ...codes] as ErrorCode[]) {
    const status = ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiBearerAuth(),
    ...[...byStatus].map(([status, list]) => ApiResponse({ status, description: [...new Set(list)].join(', '), schema: ERROR_SCHEMA })),
  );
}

/** Documents a route's success body (Nest cannot read return types without its compiler plugin). */
export function ApiResult(type: Type<unknown> | [Type<unknown>], status = 200) {
  return ApiResponse({ status, type: Array.isArray(type) ? type[0] : type, isArray: Array.isArray(type) });
}
