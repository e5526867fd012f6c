export * from './match.blocking.ts';
export * from './match.config.ts';
export * from './match.features.ts';
export * from './match.names.ts';
export * from './match.prepare.ts';
export * from './match.score.ts';
export * from './match.similarity.ts';
export * from './duplicates.schemas.ts';
