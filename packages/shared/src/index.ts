export * from './money';
export * from './errors';
export * from './permissions';
export * from './enums';
export * from './time';
