import type { TAgency, TAgencyInput, TAgencyUpdate } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Ctx } from '../../http/context.ts';
import { actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound, stale } from '../../http/errors.ts';
import { deleteAgencySessions } from '../auth/session.repository.ts';
import * as repo from './agencies.repository.ts';

function uniqueName(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw new AppError('conflict');
  throw err;
}

export async function createAgency(ctx: Ctx, input: TAgencyInput): Promise<TAgency> {
  const agency = await repo.insertAgency(ctx.q, input).catch(uniqueName);
  await appendAudit(ctx.q, {
    actor: actorOf(ctx),
    action: 'agency.create',
    targetType: 'agency',
    targetId: agency.id,
    ip: ctx.ip,
  });
  return agency;
}

/** Updates an agency; deactivating it ends the sessions of all its users in the same transaction. */
export async function updateAgency(ctx: Ctx, id: string, patch: TAgencyUpdate): Promise<TAgency> {
  const existing = await repo.getAgency(ctx.q, id);
  if (!existing) throw notFound();
  const { version, ...fields } = patch;
  if (existing.isCompetentAuthority && fields.isCompetentAuthority === false) {
    // Decision makers may only sit in competent authorities: reassign them first.
    const holders = await ctx.q.query(
      "select 1 from users where agency_id = $1 and active and 'decision_maker' = any(roles) limit 1",
      [id],
    );
    if (holders.length) throw fieldError('isCompetentAuthority', 'agency_has_decision_makers');
  }
  const updated = await repo.updateAgency(ctx.q, id, version, fields).catch(uniqueName);
  if (!updated) throw stale();
  if (existing.active && !updated.active) await deleteAgencySessions(ctx.q, id);
  await appendAudit(ctx.q, {
    actor: actorOf(ctx),
    action: 'agency.update',
    targetType: 'agency',
    targetId: id,
    ip: ctx.ip,
    details: { fields: Object.keys(fields).join(',') },
  });
  return updated;
}
