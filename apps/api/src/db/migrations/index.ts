import { Foundation1795432629578 } from './1795432629578-foundation';

/** Checked-in migrations in order. Never edit a landed one; add a new file. */
export const MIGRATIONS: Function[] = [Foundation1795432629578];
