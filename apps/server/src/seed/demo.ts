import type { TAgencyType, TRegion, TRole } from '@opennrm/domain';
import { DEFAULT_COMPETENT_AGENCY_TYPES } from '@opennrm/domain';
import { appendAudit } from '../audit/audit.service.ts';
import { hashPassword } from '../crypto/password.ts';
import type { Db } from '../db/client.ts';

interface DemoAgency {
  key: string;
  name: string;
  type: TAgencyType;
  region: TRegion;
  email: string;
  /** Services offered, when they differ from the defaults of the agency type. */
  services?: string[];
}

/** The demo directory (issue 2): every kind of actor of the Kazakh NRM, with invented names. */
export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'secretariat',
    name: 'Inter-agency Commission Secretariat (National Coordinator)',
    type: 'national_coordinator',
    region: 'astana',
    email: 'secretariat@demo.opennrm.invalid',
  },
  {
    key: 'commission',
    name: 'Commission on Human Rights',
    type: 'oversight',
    region: 'astana',
    email: 'commission@demo.opennrm.invalid',
  },
  {
    key: 'police',
    name: 'Almaty City Police Department',
    type: 'police',
    region: 'almaty',
    email: 'police@demo.opennrm.invalid',
  },
  {
    key: 'police_south',
    name: 'Turkistan Region Police Department',
    type: 'police',
    region: 'turkistan',
    email: 'police-south@demo.opennrm.invalid',
  },
  {
    key: 'migration',
    name: 'Almaty Migration Police',
    type: 'migration_police',
    region: 'almaty',
    email: 'migration@demo.opennrm.invalid',
  },
  {
    key: 'labour',
    name: 'Almaty Labour Inspectorate',
    type: 'labour_inspection',
    region: 'almaty',
    email: 'labour@demo.opennrm.invalid',
  },
  {
    key: 'clinic',
    name: 'City Polyclinic No. 5',
    type: 'health',
    region: 'almaty',
    email: 'clinic@demo.opennrm.invalid',
  },
  {
    key: 'social',
    name: 'Almaty Department of Employment and Social Protection',
    type: 'social_protection',
    region: 'almaty',
    email: 'social@demo.opennrm.invalid',
  },
  {
    key: 'shelter',
    name: 'Safe Home Crisis Centre (NGO shelter)',
    type: 'ngo',
    region: 'almaty',
    email: 'shelter@demo.opennrm.invalid',
  },
  {
    key: 'legal',
    name: 'Adilet Legal Aid Centre (NGO)',
    type: 'ngo',
    region: 'almaty',
    email: 'legal-aid@demo.opennrm.invalid',
    services: ['legal_aid', 'interpretation'],
  },
  {
    key: 'hotline',
    name: 'Trust Line NGO Hotline',
    type: 'hotline',
    region: 'astana',
    email: 'hotline@demo.opennrm.invalid',
  },
  {
    key: 'iom',
    name: 'IOM Kazakhstan',
    type: 'international_org',
    region: 'astana',
    email: 'iom@demo.opennrm.invalid',
  },
];

/** Services each demo agency offers in the referral directory (by type). */
const DEMO_SERVICES: Partial<Record<TAgencyType, string[]>> = {
  ngo: ['shelter', 'psychological', 'legal_aid', 'interpretation', 'other_service'],
  health: ['medical', 'psychological'],
  social_protection: ['shelter', 'psychological', 'legal_aid', 'other_service'],
  international_org: ['return', 'legal_aid', 'interpretation', 'shelter'],
};

/** One demo user per role in the right agency, plus a frontline user in most agencies. */
export const DEMO_USERS: {
  username: string;
  agency: string;
  roles: TRole[];
  displayName: string;
  locale: 'kk' | 'ru' | 'en';
}[] = [
  {
    username: 'admin',
    agency: 'secretariat',
    roles: ['system_admin'],
    displayName: 'System Administrator',
    locale: 'en',
  },
  {
    username: 'coordinator',
    agency: 'secretariat',
    roles: ['coordinator'],
    displayName: 'Aliya Coordinator',
    locale: 'ru',
  },
  { username: 'auditor', agency: 'secretariat', roles: ['auditor'], displayName: 'Daniyar Auditor', locale: 'ru' },
  { username: 'analyst', agency: 'commission', roles: ['analyst'], displayName: 'Saule Analyst', locale: 'ru' },
  {
    username: 'police.officer',
    agency: 'police',
    roles: ['first_responder'],
    displayName: 'Yerlan Officer',
    locale: 'ru',
  },
  {
    username: 'police.investigator',
    agency: 'police',
    roles: ['case_worker'],
    displayName: 'Marat Investigator',
    locale: 'ru',
  },
  {
    username: 'police.supervisor',
    agency: 'police',
    roles: ['supervisor'],
    displayName: 'Gulnara Supervisor',
    locale: 'ru',
  },
  {
    username: 'police.decision',
    agency: 'police',
    roles: ['decision_maker'],
    displayName: 'Askar Decision Maker',
    locale: 'ru',
  },
  {
    username: 'police.admin',
    agency: 'police',
    roles: ['agency_admin'],
    displayName: 'Police Agency Admin',
    locale: 'ru',
  },
  {
    username: 'south.officer',
    agency: 'police_south',
    roles: ['first_responder'],
    displayName: 'Nurlan Officer',
    locale: 'kk',
  },
  {
    username: 'migration.officer',
    agency: 'migration',
    roles: ['case_worker'],
    displayName: 'Timur Migration',
    locale: 'ru',
  },
  {
    username: 'labour.inspector',
    agency: 'labour',
    roles: ['first_responder'],
    displayName: 'Bolat Inspector',
    locale: 'kk',
  },
  { username: 'clinic.nurse', agency: 'clinic', roles: ['first_responder'], displayName: 'Ainur Nurse', locale: 'kk' },
  {
    username: 'social.worker',
    agency: 'social',
    roles: ['case_worker'],
    displayName: 'Zhanar Social Worker',
    locale: 'kk',
  },
  {
    username: 'social.decision',
    agency: 'social',
    roles: ['decision_maker'],
    displayName: 'Yerzhan Decision Maker',
    locale: 'kk',
  },
  {
    username: 'shelter.outreach',
    agency: 'shelter',
    roles: ['first_responder'],
    displayName: 'Dina Outreach',
    locale: 'ru',
  },
  {
    username: 'shelter.worker',
    agency: 'shelter',
    roles: ['case_worker'],
    displayName: 'Madina Case Worker',
    locale: 'ru',
  },
  {
    username: 'shelter.supervisor',
    agency: 'shelter',
    roles: ['supervisor'],
    displayName: 'Olga Supervisor',
    locale: 'ru',
  },
  {
    username: 'shelter.admin',
    agency: 'shelter',
    roles: ['agency_admin'],
    displayName: 'Shelter Agency Admin',
    locale: 'ru',
  },
  {
    username: 'hotline.operator',
    agency: 'hotline',
    roles: ['first_responder'],
    displayName: 'Aigerim Operator',
    locale: 'kk',
  },
  {
    username: 'legal.worker',
    agency: 'legal',
    roles: ['case_worker'],
    displayName: 'Arman Legal Aid Lawyer',
    locale: 'ru',
  },
  {
    username: 'iom.officer',
    agency: 'iom',
    roles: ['case_worker', 'exchange_officer'],
    displayName: 'Emma IOM Officer',
    locale: 'en',
  },
  { username: 'iom.data', agency: 'iom', roles: ['exchange_officer'], displayName: 'Aizhan IOM Data', locale: 'en' },
];

/**
 * Creates the demo directory when the database has no agencies yet. Returns true when it did.
 * Never called by a production start.
 */
export async function seedDemo(
  db: Db,
  password: string,
  argon: { memoryCost: number; timeCost: number },
): Promise<boolean> {
  const [existing] = await db.query<{ n: number }>('select count(*)::int as n from agencies');
  if ((existing?.n ?? 0) > 0) return false;
  const hashed = await hashPassword(password, argon);
  await db.tx(async (q) => {
    const ids = new Map<string, string>();
    for (const a of DEMO_AGENCIES) {
      const [row] = await q.query<{ id: string }>(
        `insert into agencies (name, type, region, is_competent_authority, contact_email, services, capacity)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [
          a.name,
          a.type,
          a.region,
          DEFAULT_COMPETENT_AGENCY_TYPES.includes(a.type),
          a.email,
          a.services ?? DEMO_SERVICES[a.type] ?? [],
          a.services?.includes('shelter') === false ? null : a.type === 'ngo' ? 20 : null,
        ],
      );
      ids.set(a.key, row!.id);
    }
    for (const u of DEMO_USERS) {
      await q.query(
        'insert into users (agency_id, username, email, display_name, password_hash, roles, locale) values ($1, $2, $3, $4, $5, $6, $7)',
        [ids.get(u.agency), u.username, `${u.username}@demo.opennrm.invalid`, u.displayName, hashed, u.roles, u.locale],
      );
    }
    await appendAudit(q, {
      action: 'agency.create',
      targetType: 'seed',
      targetId: 'demo',
      details: { agencies: DEMO_AGENCIES.length, users: DEMO_USERS.length },
    });
  });
  return true;
}
