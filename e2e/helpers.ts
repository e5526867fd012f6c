import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'e2e-demo-password';

/** Opens the sign-in page and signs in; waits for the signed-in shell. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByRole('banner')).toBeVisible();
}

/** Chooses an interface language in the header menu by its own name (Қазақша, Русский, English). */
export async function chooseLanguage(page: Page, endonym: string): Promise<void> {
  await page.getByTestId('language-switcher').click();
  await page.getByRole('menuitem', { name: endonym }).click();
}

/** A lookup in a locale's catalogue, so specs assert the same strings users read; unknown keys throw. */
export function catalogue(locale: 'en' | 'ru' | 'kk'): (key: string) => string {
  const raw = JSON.parse(
    readFileSync(new URL(`../packages/domain/src/i18n/${locale}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const flat = new Map<string, string>();
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object') walk(v as Record<string, unknown>, key);
      else flat.set(key, String(v));
    }
  };
  walk(raw, '');
  return (key) => {
    const v = flat.get(key);
    if (v === undefined) throw new Error(`no ${locale} translation for ${key}`);
    return v;
  };
}

/** Today in Kazakhstan (the deployment's zone), as YYYY-MM-DD. */
export const todayLocal = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());

/** The CSRF token of the page's current session, for API calls made with `page.request`. */
export async function csrf(page: Page): Promise<string> {
  return ((await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string }).csrfToken;
}

/** Signs in through the API (fast), in the page's cookie jar. */
export async function apiSignIn(page: Page, login: string): Promise<void> {
  const res = await page.request.post('/api/auth/login', {
    headers: { 'X-CSRF-Token': await csrf(page) },
    data: { login, password: DEMO_PASSWORD },
  });
  expect(res.status()).toBe(200);
}

export async function apiSignOut(page: Page): Promise<void> {
  await page.request.post('/api/auth/logout', { headers: { 'X-CSRF-Token': await csrf(page) }, data: {} });
}

/** POSTs JSON with the CSRF token and expects the given status; returns the body. */
export async function post<T>(page: Page, url: string, data: unknown, status = 201): Promise<T> {
  const res = await page.request.post(url, { headers: { 'X-CSRF-Token': await csrf(page) }, data });
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

/**
 * Through the API (fast): `shelter.worker` records an adult Uzbek woman exploited in Kazakhstan, records
 * the consents given, refers her to the Almaty police for formal identification, and
 * `police.investigator` accepts. Leaves the page signed out.
 */
export async function referredToPolice(
  page: Page,
  person: { family: string; given: string; birthDate: string },
  consents: readonly string[] = ['referral_identification'],
): Promise<{ id: string; number: string; referralId: string }> {
  const today = todayLocal();
  await apiSignIn(page, 'shelter.worker');
  const agencies = (await (await page.request.get('/api/agencies')).json()) as {
    items: { id: string; name: string }[];
  };
  const policeId = agencies.items.find((a) => a.name === 'Almaty City Police Department')!.id;
  const created = await post<{ id: string; number: string }>(page, '/api/cases', {
    person: {
      names: [{ family: person.family, given: person.given, script: 'latin', kind: 'primary' }],
      sex: 'Feminine',
      birthDate: { kind: 'exact', date: person.birthDate },
      ageUncertainPossiblyMinor: false,
      citizenships: ['UZ'],
      stateless: false,
      languages: ['uz', 'ru'],
      interpreterNeeded: false,
      documents: [],
      contacts: [],
      vulnerabilities: [],
    },
    case: {
      encounterDate: today,
      encounterRegion: 'almaty',
      identificationMethod: 'ngo_outreach',
      exploitationForms: ['ForcedLabour'],
      sexExploitationTypes: [],
      meansOfControl: ['WithholdsDocuments'],
      recruitmentMethods: [],
      recruitmentApps: [],
      countriesOfOrigin: ['UZ'],
      countriesOfTransit: [],
      countriesOfExploitation: ['KZ'],
    },
  });
  for (const purpose of consents)
    await post(page, `/api/cases/${created.id}/consents`, {
      purpose,
      basis: 'given',
      language: 'ru',
      interpreterUsed: false,
      date: today,
    });
  const referral = await post<{ id: string }>(page, `/api/cases/${created.id}/referrals`, {
    toAgencyId: policeId,
    purpose: 'formal_identification',
    urgency: 'urgent',
    scope: [],
  });
  await apiSignOut(page);
  await apiSignIn(page, 'police.investigator');
  await post(page, `/api/referrals/${referral.id}/accept`, {}, 200);
  await apiSignOut(page);
  return { ...created, referralId: referral.id };
}
