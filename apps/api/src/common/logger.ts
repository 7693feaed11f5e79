import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/config';
import { requestContext } from './request-context';

const NEST_STARTUP = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Structured JSON logs, one line per event, carrying the request id of the current request. */
export class JsonLogger implements LoggerService {
  constructor(private readonly level: LogLevel) {}

  write(level: Exclude<LogLevel, 'silent'>, msg: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const requestId = requestContext.get()?.requestId;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...(requestId ? { requestId } : {}), ...fields });
    (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
  }

  log(message: unknown, context?: string): void {
    // Nest's start-up chatter (one line per module and route) is debug detail.
    if (context && NEST_STARTUP.has(context)) return this.write('debug', String(message), { context });
    this.write('info', String(message), context ? { context } : {});
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.write('error', String(message), { ...(stackOrContext ? { stack: stackOrContext } : {}), ...(context ? { context } : {}) });
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', String(message), context ? { context } : {});
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', String(message), context ? { context } : {});
  }
}
