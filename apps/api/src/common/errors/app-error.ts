import { ERRORS, type ErrorCode } from '@chaincard/shared';

/** An expected failure with a stable code; the global filter turns it into the SPEC's JSON. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
  ) {
    super(ERRORS[code].en);
    this.status = ERRORS[code].status;
  }
}

export interface FieldError {
  field: string;
  errors: string[];
}
