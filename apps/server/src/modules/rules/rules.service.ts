import {
  DEFAULT_RESPONSE_RULES,
  type TCalendarYearInput,
  type TReferralMatrix,
  type TResponseRules,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Ctx } from '../../http/context.ts';
import { actorOf } from '../../http/deps.ts';
import { fieldError, stale } from '../../http/errors.ts';
import * as repo from './rules.repository.ts';

export async function readMatrix(ctx: Ctx) {
  const m = await repo.getMatrix(ctx.q);
  return { ...m.value, version: m.version, isDefault: m.version === 0 };
}

/** Replaces the matrix (system administrator), audited; a stale version answers 409. */
export async function updateMatrix(ctx: Ctx, input: TReferralMatrix & { version: number }) {
  const actor = actorOf(ctx);
  if (!(await repo.saveMatrix(ctx.q, { rules: input.rules }, input.version, actor.userId))) throw stale();
  await appendAudit(ctx.q, {
    actor,
    action: 'rules.update',
    targetType: 'settings',
    targetId: 'referral_matrix',
    ip: ctx.ip,
    details: { rules: input.rules.length },
  });
  return readMatrix(ctx);
}

export async function readDeadlines(ctx: Ctx) {
  const r = await repo.getResponseRules(ctx.q);
  return { rules: r.value ?? DEFAULT_RESPONSE_RULES, version: r.version, isDefault: r.version === 0 };
}

export async function updateDeadlines(ctx: Ctx, rules: TResponseRules, version: number) {
  const actor = actorOf(ctx);
  if (!(await repo.saveResponseRules(ctx.q, rules, version, actor.userId))) throw stale();
  await appendAudit(ctx.q, {
    actor,
    action: 'rules.update',
    targetType: 'settings',
    targetId: 'response_rules',
    ip: ctx.ip,
  });
  return readDeadlines(ctx);
}

export const readCalendar = (ctx: Ctx, year: number) => repo.getCalendarYear(ctx.q, year);

/** Replaces one year of the holiday calendar; every date must lie in that year. */
export async function updateCalendar(ctx: Ctx, year: number, input: TCalendarYearInput) {
  const actor = actorOf(ctx);
  const outside = input.days.findIndex((d) => !d.date.startsWith(`${year}-`));
  if (outside >= 0) throw fieldError(`days.${outside}.date`, 'date_outside_year');
  if (!(await repo.saveCalendarYear(ctx.q, year, input.days, input.version, actor.userId))) throw stale();
  await appendAudit(ctx.q, {
    actor,
    action: 'calendar.update',
    targetType: 'calendar',
    targetId: String(year),
    ip: ctx.ip,
    details: { days: input.days.length },
  });
  return repo.getCalendarYear(ctx.q, year);
}
