export * from './htcds.ts';
export * from './export.ts';
