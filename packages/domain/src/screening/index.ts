export * from './screening.catalogue.ts';
export * from './screening.rules.ts';
export * from './screening.schemas.ts';
