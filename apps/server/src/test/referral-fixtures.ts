import type { TestApp } from './harness.ts';
import { intake } from './factories.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;

/** Records a consent on a case; fails loudly. */
export async function consent(c: Client, caseId: string, body: Record<string, unknown>) {
  const res = await c.post(`/api/cases/${caseId}/consents`, {
    basis: 'given',
    language: 'ru',
    interpreterUsed: false,
    date: '2026-11-21',
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`consent: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

/**
 * A case held by `holder`'s agency, with consent to formal identification and to share `scope` with
 * the agency `toAgencyId`, referred there. Returns ids and the case number.
 */
export async function referredCase(
  t: TestApp,
  holder: Client,
  opts: {
    toAgencyId: string;
    scope: string[];
    purpose?: string;
    urgency?: string;
    person?: NonNullable<Parameters<typeof intake>[0]>['person'];
    case?: NonNullable<Parameters<typeof intake>[0]>['case'];
  },
) {
  const created = await holder.post('/api/cases', intake({ person: opts.person ?? {}, case: opts.case ?? {} }));
  if (created.statusCode !== 201) throw new Error(`case: ${created.body}`);
  const { id: caseId, number } = created.json() as { id: string; number: string };
  const purpose = opts.purpose ?? 'formal_identification';
  const purposeConsent = await consent(holder, caseId, {
    purpose: purpose === 'formal_identification' ? 'referral_identification' : 'assistance',
  });
  const sharing = opts.scope.length
    ? await consent(holder, caseId, { purpose: 'sharing', recipientAgencyId: opts.toAgencyId, scope: opts.scope })
    : null;
  const res = await holder.post(`/api/cases/${caseId}/referrals`, {
    toAgencyId: opts.toAgencyId,
    purpose,
    urgency: opts.urgency ?? 'urgent',
    scope: opts.scope,
  });
  if (res.statusCode !== 201) throw new Error(`referral: ${res.statusCode} ${res.body}`);
  void t;
  return {
    caseId,
    number,
    referralId: res.json().id as string,
    purposeConsentId: purposeConsent.id,
    sharingConsentId: sharing?.id,
  };
}
