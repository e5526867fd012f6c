import { appendAudit } from '../../audit/audit.service.ts';
import { open, seal } from '../../crypto/keys.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, notFound } from '../../http/errors.ts';

/** Drafts are unvalidated form state, bounded in size. */
export const MAX_DRAFT_BYTES = 200_000;

/** Binds a draft's ciphertext to its owner and kind. */
const aad = (userId: string, kind: string) => `drafts:${userId}:${kind}`;

/** The caller's own draft, decrypted; reading it is audited like any read of personal data. */
export async function readDraft(deps: AppDeps, ctx: Ctx, kind: string) {
  const actor = actorOf(ctx);
  const [row] = await ctx.q.query<{ data_enc: string; updated_at: string }>(
    'select data_enc, updated_at from drafts where user_id = $1 and kind = $2',
    [actor.userId, kind],
  );
  if (!row) throw notFound();
  await appendAudit(ctx.q, { actor, action: 'draft.read', targetType: 'draft', targetId: kind, ip: ctx.ip });
  return {
    data: JSON.parse(open(deps.keys.master, row.data_enc, aad(actor.userId, kind)).toString('utf8')) as Record<
      string,
      unknown
    >,
    updatedAt: row.updated_at,
  };
}

/** Saves (replaces) the caller's draft, encrypted under the master key. */
export async function saveDraft(deps: AppDeps, ctx: Ctx, kind: string, data: Record<string, unknown>) {
  const actor = actorOf(ctx);
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json) > MAX_DRAFT_BYTES) throw new AppError('payload_too_large');
  const [row] = await ctx.q.query<{ updated_at: string }>(
    `insert into drafts (user_id, kind, data_enc) values ($1, $2, $3)
     on conflict (user_id, kind) do update set data_enc = excluded.data_enc, updated_at = now() returning updated_at`,
    [actor.userId, kind, seal(deps.keys.master, json, aad(actor.userId, kind))],
  );
  await appendAudit(ctx.q, { actor, action: 'draft.save', targetType: 'draft', targetId: kind, ip: ctx.ip });
  return { updatedAt: row!.updated_at };
}

export async function discardDraft(ctx: Ctx, kind: string): Promise<void> {
  const actor = actorOf(ctx);
  const rows = await ctx.q.query('delete from drafts where user_id = $1 and kind = $2 returning kind', [
    actor.userId,
    kind,
  ]);
  if (rows.length)
    await appendAudit(ctx.q, { actor, action: 'draft.discard', targetType: 'draft', targetId: kind, ip: ctx.ip });
}
