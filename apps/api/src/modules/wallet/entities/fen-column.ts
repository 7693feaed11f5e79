import { parseFen } from '@chaincard/shared';
import type { ColumnOptions } from 'typeorm';

/** bigint fen column read as a safe-integer number (node-postgres returns bigint as a string). */
export const fenColumn: ColumnOptions & { type: 'bigint' } = {
  type: 'bigint',
  transformer: {
    to: (value: number | null | undefined) => value,
    from: (value: string | null) => (value === null ? null : parseFen(value)),
  },
};
