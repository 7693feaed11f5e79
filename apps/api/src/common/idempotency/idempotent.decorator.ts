import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

export const IDEMPOTENT_KEY = 'chaincard:idempotent';

/** Money and stock routes: an Idempotency-Key header is required and the effect applies once. */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_KEY, true),
    ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Client-chosen unique key (8–128 of A-Z a-z 0-9 _ . : -); a retry with the same key replays the first result' }),
  );
