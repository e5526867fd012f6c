import { z } from 'zod';

/** Agency types (NRM.md section 4). */
export const AGENCY_TYPES = [
  'police',
  'migration_police',
  'border_service',
  'labour_inspection',
  'social_protection',
  'health',
  'education',
  'ngo',
  'hotline',
  'prosecutor',
  'international_org',
  'embassy',
  'national_coordinator',
  'oversight',
] as const;
export const ZAgencyType = z.enum(AGENCY_TYPES);
export type TAgencyType = z.infer<typeof ZAgencyType>;

/**
 * Agency types that are competent authorities by default (Kazakhstan, Law 110-VIII: internal affairs
 * bodies and the Ministry of Labour and Social Protection). Each agency also carries its own flag,
 * which is what the rules read; this list only pre-fills the flag for new agencies.
 */
export const DEFAULT_COMPETENT_AGENCY_TYPES: readonly TAgencyType[] = [
  'police',
  'migration_police',
  'social_protection',
];

/** Kazakhstan's 17 oblasts and 3 cities of republican significance (NRM.md section 8). */
export const KZ_REGIONS = [
  'abai',
  'akmola',
  'aktobe',
  'almaty_region',
  'atyrau',
  'east_kazakhstan',
  'jambyl',
  'jetisu',
  'karaganda',
  'kostanay',
  'kyzylorda',
  'mangystau',
  'north_kazakhstan',
  'pavlodar',
  'turkistan',
  'ulytau',
  'west_kazakhstan',
  'astana',
  'almaty',
  'shymkent',
] as const;
export const ZRegion = z.enum(KZ_REGIONS);
export type TRegion = z.infer<typeof ZRegion>;

/** Services an agency can offer (the referral purposes other than formal identification). */
export const AGENCY_SERVICE_NAMES = [
  'shelter',
  'medical',
  'psychological',
  'legal_aid',
  'interpretation',
  'return',
  'other_service',
] as const;
export const ZAgencyServiceName = z.enum(AGENCY_SERVICE_NAMES);

const trimmed = (max: number) => z.string().trim().min(1).max(max);

export const ZAgencyInput = z.object({
  name: trimmed(200),
  type: ZAgencyType,
  region: ZRegion,
  isCompetentAuthority: z.boolean(),
  contactEmail: z.email().max(254).nullable().optional(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,30}$/)
    .nullable()
    .optional(),
  address: z.string().trim().max(500).nullable().optional(),
  /** Directory attributes for referrals (issue 4): services offered, regions served (empty = whole country), capacity. */
  services: z.array(ZAgencyServiceName).max(10).optional(),
  regionsServed: z.array(ZRegion).max(KZ_REGIONS.length).optional(),
  capacity: z.number().int().min(0).max(100000).nullable().optional(),
});
export type TAgencyInput = z.infer<typeof ZAgencyInput>;

export const ZAgencyUpdate = ZAgencyInput.partial().extend({
  active: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type TAgencyUpdate = z.infer<typeof ZAgencyUpdate>;

export const ZAgency = z.object({
  id: z.uuid(),
  name: z.string(),
  type: ZAgencyType,
  region: ZRegion,
  isCompetentAuthority: z.boolean(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  services: z.array(ZAgencyServiceName),
  regionsServed: z.array(ZRegion),
  capacity: z.number().int().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TAgency = z.infer<typeof ZAgency>;
