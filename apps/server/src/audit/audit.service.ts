import type { TAuditAction, TAuditOutcome } from '@opennrm/domain';
import { sha256Hex } from '../crypto/keys.ts';
import type { Queryable } from '../db/client.ts';
import type { Actor } from '../http/context.ts';

export interface AuditEvent {
  actor?: Pick<Actor, 'userId' | 'username' | 'agencyId'> | null;
  action: TAuditAction;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  outcome?: TAuditOutcome;
  /** Identifiers and codes only — never personal data or case content. */
  details?: Record<string, string | number | boolean | null>;
}

/** JSON with object keys sorted, so equal content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface StoredAuditFields {
  at: string;
  actor_id: string | null;
  actor_username: string | null;
  agency_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/** The content hash of one event: what verification recomputes from the stored row. */
export function eventHash(e: StoredAuditFields): string {
  return sha256Hex(
    canonicalJson([
      e.at,
      e.actor_id,
      e.actor_username,
      e.agency_id,
      e.action,
      e.target_type,
      e.target_id,
      e.ip,
      e.outcome,
      e.details,
    ]),
  );
}

/**
 * Appends one audit event inside the caller's transaction, so the event exists exactly when the
 * change it describes does. Sealing into the hash chain happens later, in batches (audit/sealer.ts).
 */
export async function appendAudit(q: Queryable, ev: AuditEvent): Promise<void> {
  const row: StoredAuditFields = {
    at: new Date().toISOString(),
    actor_id: ev.actor?.userId ?? null,
    actor_username: ev.actor?.username ?? null,
    agency_id: ev.actor?.agencyId ?? null,
    action: ev.action,
    target_type: ev.targetType ?? null,
    target_id: ev.targetId ?? null,
    ip: ev.ip ?? null,
    outcome: ev.outcome ?? 'success',
    details: ev.details ?? {},
  };
  await q.query(
    `insert into audit_events (at, actor_id, actor_username, agency_id, action, target_type, target_id, ip, outcome, details, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      row.at,
      row.actor_id,
      row.actor_username,
      row.agency_id,
      row.action,
      row.target_type,
      row.target_id,
      row.ip,
      row.outcome,
      JSON.stringify(row.details),
      eventHash(row),
    ],
  );
}
