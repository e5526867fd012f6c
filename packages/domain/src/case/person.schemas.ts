import { z } from 'zod';
import {
  CONTACT_TYPES,
  DOCUMENT_TYPES,
  EDUCATION_LEVELS,
  MARITAL_STATUS,
  NAME_KINDS,
  NAME_SCRIPTS,
  VULNERABILITIES,
  ZSexGender,
} from './case.enums.ts';
import { COUNTRY_CODES } from './countries.ts';

export const ZCountry = z.enum(COUNTRY_CODES);
export const ZIsoDate = z.iso.date();

const text = (max: number) => z.string().trim().min(1).max(max);

export const ZPersonName = z.object({
  family: text(100).nullable().optional(),
  given: text(100).nullable().optional(),
  patronymic: text(100).nullable().optional(),
  script: z.enum(NAME_SCRIPTS),
  kind: z.enum(NAME_KINDS).default('primary'),
});
export type TPersonName = z.infer<typeof ZPersonName>;

/** A birth date as known at intake: exact, year only, an estimated age range, or unknown. */
export const ZBirthDate = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exact'), date: ZIsoDate }),
  z.object({ kind: z.literal('year'), year: z.number().int().min(1900).max(2100) }),
  z.object({
    kind: z.literal('range'),
    minAge: z.number().int().min(0).max(120),
    maxAge: z.number().int().min(0).max(120),
    asOf: ZIsoDate,
  }),
  z.object({ kind: z.literal('unknown') }),
]);
export type TBirthDate = z.infer<typeof ZBirthDate>;

export const ZIdentityDocument = z.object({
  type: z.enum(DOCUMENT_TYPES),
  number: text(50),
  issuingCountry: ZCountry.nullable().optional(),
  expiryDate: ZIsoDate.nullable().optional(),
});

export const ZContact = z.object({
  type: z.enum(CONTACT_TYPES),
  value: text(300),
});

/** A person as recorded at intake (HTCDS 2.0 person + victim context fields). */
export const ZPersonInput = z
  .object({
    names: z.array(ZPersonName).max(10).default([]),
    sex: ZSexGender,
    birthDate: ZBirthDate.default({ kind: 'unknown' }),
    ageUncertainPossiblyMinor: z.boolean().default(false),
    citizenships: z.array(ZCountry).max(5).default([]),
    stateless: z.boolean().default(false),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}$/))
      .max(10)
      .default([]),
    interpreterNeeded: z.boolean().default(false),
    documents: z.array(ZIdentityDocument).max(10).default([]),
    contacts: z.array(ZContact).max(10).default([]),
    maritalStatus: z.enum(MARITAL_STATUS).nullable().optional(),
    numberOfChildren: z.number().int().min(0).max(30).nullable().optional(),
    education: z.enum(EDUCATION_LEVELS).nullable().optional(),
    vulnerabilities: z.array(z.enum(VULNERABILITIES)).max(VULNERABILITIES.length).default([]),
  })
  .superRefine((p, ctx) => {
    if (p.birthDate.kind === 'range' && p.birthDate.minAge > p.birthDate.maxAge) {
      ctx.addIssue({ code: 'custom', path: ['birthDate', 'maxAge'], message: 'range' });
    }
    p.names.forEach((n, i) => {
      if (!n.family && !n.given) ctx.addIssue({ code: 'custom', path: ['names', i, 'given'], message: 'name' });
    });
  });
export type TPersonInput = z.infer<typeof ZPersonInput>;
