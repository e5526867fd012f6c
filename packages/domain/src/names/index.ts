export * from './name.analyse.ts';
export * from './name.translit.ts';
