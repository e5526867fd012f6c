export * from './calendar.ts';
export * from './deadline.ts';
