export * from './access/roles.ts';
export * from './agency/agency.ts';
export * from './audit/audit.events.ts';
export * from './auth/auth.schemas.ts';
export * from './common/errors.ts';
export * from './common/locale.ts';
export * from './i18n/index.ts';
export * from './user/user.schemas.ts';
