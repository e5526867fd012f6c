import type { TAgency, TAgencyInput, TAgencyType, TRegion } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';

const COLUMNS = `id, name, type, region, is_competent_authority as "isCompetentAuthority", contact_email as "contactEmail",
  contact_phone as "contactPhone", address, services, regions_served as "regionsServed", capacity, active, version, created_at as "createdAt", updated_at as "updatedAt"`;

export interface AgencyFilter {
  type?: TAgencyType | undefined;
  region?: TRegion | undefined;
  active?: boolean | undefined;
  q?: string | undefined;
  service?: string | undefined;
  servesRegion?: TRegion | undefined;
}

export async function listAgencies(q: Queryable, f: AgencyFilter): Promise<TAgency[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.type) where.push(`type = $${params.push(f.type)}`);
  if (f.region) where.push(`region = $${params.push(f.region)}`);
  if (f.active !== undefined) where.push(`active = $${params.push(f.active)}`);
  if (f.service) where.push(`$${params.push(f.service)} = any(services)`);
  if (f.servesRegion)
    where.push(`(cardinality(regions_served) = 0 or $${params.push(f.servesRegion)} = any(regions_served))`);
  if (f.q) where.push(`name ilike $${params.push(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
  return q.query<TAgency>(
    `select ${COLUMNS} from agencies ${where.length ? `where ${where.join(' and ')}` : ''} order by name`,
    params,
  );
}

export async function getAgency(q: Queryable, id: string): Promise<TAgency | undefined> {
  const [row] = await q.query<TAgency>(`select ${COLUMNS} from agencies where id = $1`, [id]);
  return row;
}

export async function insertAgency(q: Queryable, a: TAgencyInput): Promise<TAgency> {
  const [row] = await q.query<TAgency>(
    `insert into agencies (name, type, region, is_competent_authority, contact_email, contact_phone, address, services, regions_served, capacity)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS}`,
    [
      a.name,
      a.type,
      a.region,
      a.isCompetentAuthority,
      a.contactEmail ?? null,
      a.contactPhone ?? null,
      a.address ?? null,
      a.services ?? [],
      a.regionsServed ?? [],
      a.capacity ?? null,
    ],
  );
  return row!;
}

const FIELD_COLUMNS: Record<string, string> = {
  name: 'name',
  type: 'type',
  region: 'region',
  isCompetentAuthority: 'is_competent_authority',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  address: 'address',
  services: 'services',
  regionsServed: 'regions_served',
  capacity: 'capacity',
  active: 'active',
};

/** Updates the given fields when `version` is current; undefined when it is stale. */
export async function updateAgency(
  q: Queryable,
  id: string,
  version: number,
  patch: Record<string, unknown>,
): Promise<TAgency | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [id, version];
  for (const [field, column] of Object.entries(FIELD_COLUMNS)) {
    if (patch[field] !== undefined) sets.push(`${column} = $${params.push(patch[field])}`);
  }
  const [row] = await q.query<TAgency>(
    `update agencies set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      where id = $1 and version = $2 returning ${COLUMNS}`,
    params,
  );
  return row;
}
