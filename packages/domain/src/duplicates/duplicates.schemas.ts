import { z } from 'zod';
import { ZSexGender } from '../case/case.enums.ts';
import { ZBirthDate, ZContact, ZCountry, ZIdentityDocument, ZPersonName } from '../case/person.schemas.ts';
import { ZMatchConfig } from './match.config.ts';
import { ZFieldComparison } from './match.score.ts';

/**
 * API schemas of duplicate detection (issue 8). What the intake check returns is split by what the
 * caller may see: a candidate whose identity the caller sees comes with its case and the explained
 * score; any other candidate only as "a possible match exists at agency X" (one entry per agency,
 * the band and an opaque inquiry token: no case id, number, score or field agreement).
 */

/** The person fields the check compares (a full intake person is accepted as is; sex is optional mid-form). */
export const ZDuplicateCheckPerson = z.object({
  names: z.array(ZPersonName).max(10).default([]),
  sex: ZSexGender.optional(),
  birthDate: ZBirthDate.default({ kind: 'unknown' }),
  citizenships: z.array(ZCountry).max(5).default([]),
  documents: z.array(ZIdentityDocument).max(10).default([]),
  contacts: z.array(ZContact).max(10).default([]),
});
export type TDuplicateCheckPerson = z.infer<typeof ZDuplicateCheckPerson>;

export const ZDuplicateCheck = z.object({
  person: ZDuplicateCheckPerson,
  /** When editing a case: leave its own person out of the candidates. */
  excludeCaseId: z.uuid().optional(),
});
export type TDuplicateCheck = z.infer<typeof ZDuplicateCheck>;

export const ZMatchBandFlagged = z.enum(['likely', 'possible']);
export type TMatchBandFlagged = z.infer<typeof ZMatchBandFlagged>;

/** A candidate whose identity the caller may see. */
export const ZVisibleCandidate = z.object({
  caseId: z.uuid(),
  number: z.string(),
  displayName: z.string().nullable(),
  agencyName: z.string(),
  score: z.number(),
  band: ZMatchBandFlagged,
  fields: z.array(ZFieldComparison),
});
export type TVisibleCandidate = z.infer<typeof ZVisibleCandidate>;

/** A candidate held elsewhere: the agency and the band only, and a token to ask that agency. */
export const ZElsewhereCandidate = z.object({
  agencyId: z.uuid(),
  agencyName: z.string(),
  band: ZMatchBandFlagged,
  inquiryToken: z.string(),
});
export type TElsewhereCandidate = z.infer<typeof ZElsewhereCandidate>;

export const ZDuplicateCheckResult = z.object({
  visible: z.array(ZVisibleCandidate),
  elsewhere: z.array(ZElsewhereCandidate),
  configVersion: z.string(),
});
export type TDuplicateCheckResult = z.infer<typeof ZDuplicateCheckResult>;

export const ZDuplicateInquiry = z.object({ inquiryToken: z.string().min(10).max(2000) });

export const DUPLICATE_PAIR_STATUSES = ['open', 'merged', 'dismissed'] as const;
export const ZDuplicatePairStatus = z.enum(DUPLICATE_PAIR_STATUSES);
export type TDuplicatePairStatus = z.infer<typeof ZDuplicatePairStatus>;

/** One side of a candidate pair: the case only when the reviewer may see its identity. */
export const ZDuplicatePairSide = z.object({
  agencyId: z.uuid(),
  agencyName: z.string(),
  caseId: z.uuid().nullable(),
  number: z.string().nullable(),
  displayName: z.string().nullable(),
});

/**
 * A candidate pair in the review queue. `score` and `fields` are null for a supervisor when one
 * side is held elsewhere; the coordinator gets them for every pair but never a case or a name.
 */
export const ZDuplicatePair = z.object({
  id: z.uuid(),
  status: ZDuplicatePairStatus,
  band: ZMatchBandFlagged,
  score: z.number().nullable(),
  fields: z.array(ZFieldComparison).nullable(),
  configVersion: z.string(),
  a: ZDuplicatePairSide,
  b: ZDuplicatePairSide,
  abilities: z.object({ merge: z.boolean(), dismiss: z.boolean(), unmerge: z.boolean() }),
  updatedAt: z.string(),
});
export type TDuplicatePair = z.infer<typeof ZDuplicatePair>;

export const ZDuplicatePairQuery = z.object({
  status: ZDuplicatePairStatus.default('open'),
  band: ZMatchBandFlagged.optional(),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TDuplicatePairQuery = z.infer<typeof ZDuplicatePairQuery>;

/** The stored matcher configuration (weights and thresholds) with its optimistic-lock version. */
export const ZMatchConfigSetting = z.object({
  config: ZMatchConfig,
  version: z.number().int().min(0),
  isDefault: z.boolean(),
});
export const ZMatchConfigUpdate = z.object({ config: ZMatchConfig, version: z.number().int().min(0) });
