export * from './anonymise.ts';
export * from './config.ts';
export * from './query.ts';
export * from './regions.ts';
export * from './table.ts';
export * from './dashboard.ts';
