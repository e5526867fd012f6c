import { z } from 'zod';
import { ZRegion } from '../agency/agency.ts';
import {
  CASE_STAGES,
  EXPLOITATION_FORMS,
  IDENTIFICATION_METHODS,
  LABOUR_INDUSTRIES,
  MEANS_OF_CONTROL,
  RECRUITMENT_APPS,
  RECRUITMENT_METHODS,
  RELATIONSHIPS_TO_RECRUITER,
  SEX_EXPLOITATION_TYPES,
  ZCaseStage,
} from './case.enums.ts';
import { ZCountry, ZIsoDate, ZPersonInput } from './person.schemas.ts';
import { ZShareScope } from '../referral/referral.ts';

/** Case fields (HTCDS victim context + case), without the person. */
export const ZCaseFields = z
  .object({
    encounterDate: ZIsoDate,
    encounterRegion: ZRegion,
    encounterPlace: z.string().trim().max(500).nullable().optional(),
    identificationMethod: z.enum(IDENTIFICATION_METHODS),
    exploitationForms: z.array(z.enum(EXPLOITATION_FORMS)).max(EXPLOITATION_FORMS.length).default([]),
    labourIndustry: z.enum(LABOUR_INDUSTRIES).nullable().optional(),
    sexExploitationTypes: z.array(z.enum(SEX_EXPLOITATION_TYPES)).max(SEX_EXPLOITATION_TYPES.length).default([]),
    meansOfControl: z.array(z.enum(MEANS_OF_CONTROL)).max(MEANS_OF_CONTROL.length).default([]),
    recruitmentMethods: z.array(z.enum(RECRUITMENT_METHODS)).max(RECRUITMENT_METHODS.length).default([]),
    recruitmentApps: z.array(z.enum(RECRUITMENT_APPS)).max(RECRUITMENT_APPS.length).default([]),
    relationshipToRecruiter: z.enum(RELATIONSHIPS_TO_RECRUITER).nullable().optional(),
    countriesOfOrigin: z.array(ZCountry).max(10).default([]),
    countriesOfTransit: z.array(ZCountry).max(20).default([]),
    countriesOfExploitation: z.array(ZCountry).max(10).default([]),
    exploitationStart: ZIsoDate.nullable().optional(),
    exploitationEnd: ZIsoDate.nullable().optional(),
    narrative: z.string().trim().max(20000).nullable().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.exploitationStart && c.exploitationEnd && c.exploitationEnd < c.exploitationStart) {
      ctx.addIssue({ code: 'custom', path: ['exploitationEnd'], message: 'before_start' });
    }
  });
export type TCaseFields = z.infer<typeof ZCaseFields>;

export const ZCaseCreate = z.object({ person: ZPersonInput, case: ZCaseFields });
export type TCaseCreate = z.infer<typeof ZCaseCreate>;

export const ZCaseUpdate = z.object({
  person: ZPersonInput.optional(),
  case: ZCaseFields.optional(),
  version: z.number().int().positive(),
});
export type TCaseUpdate = z.infer<typeof ZCaseUpdate>;

/**
 * Internal or cross-border (derived): cross-border when any country of origin, transit or
 * exploitation differs from the deployment country, or the person holds no citizenship of it.
 */
export function isCrossBorder(
  c: Pick<TCaseFields, 'countriesOfOrigin' | 'countriesOfTransit' | 'countriesOfExploitation'>,
  citizenships: readonly string[],
  country: string,
): boolean {
  const places = [...c.countriesOfOrigin, ...c.countriesOfTransit, ...c.countriesOfExploitation];
  if (places.some((p) => p !== country)) return true;
  return citizenships.length > 0 && !citizenships.includes(country);
}

/** Duration of exploitation in days when both dates are known. */
export function exploitationDays(c: Pick<TCaseFields, 'exploitationStart' | 'exploitationEnd'>): number | null {
  if (!c.exploitationStart || !c.exploitationEnd) return null;
  return Math.round((Date.parse(c.exploitationEnd) - Date.parse(c.exploitationStart)) / 86_400_000);
}

export const ZCaseListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  stage: z.array(ZCaseStage).max(CASE_STAGES.length).optional(),
  agencyId: z.uuid().optional(),
  region: ZRegion.optional(),
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  exploitationForm: z.enum(EXPLOITATION_FORMS).optional(),
  ageGroup: z.enum(['child', 'adult']).optional(),
  citizenship: ZCountry.optional(),
  sort: z.enum(['encounterDate', 'createdAt', 'updatedAt', 'number']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(1).max(100000).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export type TCaseListQuery = z.infer<typeof ZCaseListQuery>;

/** A case as a list shows it: no personal identifiers except a display name the viewer may see. */
/** Cases whose person was merged with this case's person (duplicate review): both keep their history. */
export const ZLinkedCases = z.array(z.object({ caseId: z.uuid(), number: z.string() }));

export const ZCaseSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  stage: ZCaseStage,
  agencyId: z.uuid(),
  agencyName: z.string(),
  displayName: z.string().nullable(),
  sex: z.string(),
  isChild: z.boolean(),
  /** Null for a referral receiver without the identity scope. */
  citizenships: z.array(z.string()).nullable(),
  /** Null for a referral receiver without the narrative scope (with exploitationForms). */
  encounterDate: z.string().nullable(),
  encounterRegion: z.string(),
  exploitationForms: z.array(z.string()).nullable(),
  latestOutcome: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  linkedCases: ZLinkedCases.optional(),
});
export type TCaseSummary = z.infer<typeof ZCaseSummary>;

/** What the actor may do with a case; computed by the server's policy, shown by the web app. */
export const ZCaseAbilities = z.object({ update: z.boolean(), screen: z.boolean(), viewAccessLog: z.boolean() });

/**
 * On what ground the actor sees a case: the holding agency (everything), an accepted referral
 * (only `scope`), or time-limited emergency access (read only, until `expiresAt`).
 */
export const ZCaseAccess = z.object({
  kind: z.enum(['holder', 'referral', 'emergency']),
  scope: z.array(ZShareScope),
  expiresAt: z.string().nullable(),
});
export type TCaseAccess = z.infer<typeof ZCaseAccess>;

/** One case in full, as the holding agency (or an emergency reader) sees it. */
export const ZCaseDetail = z.object({
  id: z.uuid(),
  number: z.string(),
  stage: ZCaseStage,
  agency: z.object({ id: z.uuid(), name: z.string() }),
  createdBy: z.object({ id: z.uuid(), displayName: z.string() }),
  person: ZPersonInput,
  isChild: z.boolean(),
  ageBand: z.string(),
  case: ZCaseFields,
  crossBorder: z.boolean(),
  exploitationDays: z.number().int().nullable(),
  latestOutcome: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: ZCaseAbilities,
  access: ZCaseAccess,
  linkedCases: ZLinkedCases.optional(),
});
export type TCaseDetail = z.infer<typeof ZCaseDetail>;

/**
 * A case as an agency with an accepted referral sees it: `basics` always; every other section is
 * present only when its scope was shared (and still is, under the person's consent), else null.
 * `access.scope` lists the sections shared, so absence is explicit, never a missing key.
 */
export const ZSharedCaseDetail = z.object({
  id: z.uuid(),
  number: z.string(),
  stage: ZCaseStage,
  agency: z.object({ id: z.uuid(), name: z.string() }),
  access: ZCaseAccess,
  basics: z.object({
    sex: z.string(),
    isChild: z.boolean(),
    ageBand: z.string(),
    languages: z.array(z.string()),
    interpreterNeeded: z.boolean(),
    region: ZRegion,
  }),
  identity: z
    .object({
      names: ZPersonInput.shape.names,
      birthDate: ZPersonInput.shape.birthDate,
      citizenships: z.array(z.string()),
      stateless: z.boolean(),
      maritalStatus: z.string().nullable(),
      numberOfChildren: z.number().int().nullable(),
      education: z.string().nullable(),
    })
    .nullable(),
  contact: z.object({ contacts: ZPersonInput.shape.contacts }).nullable(),
  documents: z.object({ documents: ZPersonInput.shape.documents }).nullable(),
  narrative: ZCaseFields.nullable(),
  screening: z.object({ latestOutcome: z.string().nullable() }).nullable(),
  medical: z.object({ healthVulnerabilities: z.array(z.string()) }).nullable(),
  abilities: ZCaseAbilities,
});
export type TSharedCaseDetail = z.infer<typeof ZSharedCaseDetail>;

export const ZTimelineEntry = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  actorName: z.string().nullable(),
  agencyName: z.string().nullable(),
});
export type TTimelineEntry = z.infer<typeof ZTimelineEntry>;
