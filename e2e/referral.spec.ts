import { expect, type Page, test } from '@playwright/test';
import { catalogue, signIn } from './helpers.ts';

// shelter.worker and police.investigator work in Russian, labour.inspector in Kazakh (apps/server/src/seed/demo.ts).
const ru = catalogue('ru');
const kk = catalogue('kk');
const POLICE = 'Almaty City Police Department';
/** The text of a message before its first {{placeholder}}. */
const prefix = (message: string) => message.split('{{')[0]!.trim();

test.use({ viewport: { width: 390, height: 844 } });

/**
 * Signs in and makes sure the user works in their seeded language (other specs, e.g. i18n.spec.ts,
 * switch the same demo users to another language on the shared server).
 */
async function signInAs(page: Page, login: string, locale: 'ru' | 'kk'): Promise<void> {
  await signIn(page, login);
  const { csrfToken } = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  const res = await page.request.put('/api/auth/locale', { headers: { 'X-CSRF-Token': csrfToken }, data: { locale } });
  expect(res.ok()).toBe(true);
  await page.reload();
  await expect(page.getByRole('banner')).toBeVisible();
}

/** Records a case through the API as the signed-in user; returns its address. */
async function createCase(page: Page): Promise<string> {
  const { csrfToken } = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  const res = await page.request.post('/api/cases', {
    headers: { 'X-CSRF-Token': csrfToken },
    data: {
      person: {
        names: [{ family: 'Karimova', given: 'Aziza', script: 'latin', kind: 'primary' }],
        sex: 'Feminine',
        birthDate: { kind: 'year', year: 1996 },
        citizenships: ['UZ'],
        languages: ['ru', 'uz'],
        interpreterNeeded: true,
        contacts: [{ type: 'phone', value: '+77015550123' }],
      },
      case: {
        encounterDate: new Date().toISOString().slice(0, 10),
        encounterRegion: 'almaty',
        identificationMethod: 'ngo_outreach',
        exploitationForms: ['ForcedLabour'],
        narrative: 'Worked 14 hours a day at a sewing workshop; passport taken by the owner.',
      },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  return `/cases/${id}`;
}

async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('an NGO refers a case to the police with a limited scope; the police see only that; withdrawing consent ends it', async ({
  page,
}) => {
  // The NGO records the case and the person's consent.
  await signInAs(page, 'shelter.worker', 'ru');
  const caseUrl = await createCase(page);
  await page.goto(caseUrl);
  const consent = page.getByTestId('consent-section');
  await expect(consent).toContainText(ru('consent.none'));

  // Consent to be referred for formal identification (language pre-filled from the person's languages).
  await consent.getByRole('button', { name: ru('consent.record') }).click();
  let dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('combobox', { name: ru('consent.purposeLabel'), exact: true })).toHaveValue(
    ru('consent.purpose.referral_identification'),
  );
  await dialog.getByRole('button', { name: ru('common.save') }).click();
  await expect(page.getByTestId('consent-referral_identification')).toContainText(ru('consent.status.given'));

  // Consent to share identity and screening — not contacts or the narrative — with the police department.
  await consent.getByRole('button', { name: ru('consent.record') }).click();
  dialog = page.getByRole('dialog');
  await pick(page, ru('consent.purposeLabel'), ru('consent.purpose.sharing'));
  await dialog.getByRole('combobox', { name: ru('consent.recipientAgency'), exact: true }).click();
  await page.getByRole('option', { name: new RegExp(`^${POLICE}`) }).click();
  await dialog.getByRole('checkbox', { name: ru('referrals.scope.identity') }).check();
  await dialog.getByRole('checkbox', { name: ru('referrals.scope.screening') }).check();
  await dialog.getByRole('button', { name: ru('common.save') }).click();
  await expect(page.getByTestId('consent-sharing')).toContainText(POLICE);

  // Refer for formal identification: only competent authorities are offered; the scope follows consent.
  await page
    .getByTestId('referrals-section')
    .getByRole('button', { name: ru('referrals.refer') })
    .click();
  const refer = page.getByTestId('refer-dialog');
  await pick(page, ru('referrals.purpose'), ru('referralPurposes.formal_identification'));
  await expect(refer.getByText(ru('referrals.competentOnly'))).toBeVisible();
  await expect(refer.getByRole('radio', { name: 'Almaty Labour Inspectorate' })).toHaveCount(0);
  await expect(refer.getByRole('radio', { name: 'Safe Home Crisis Centre (NGO shelter)' })).toHaveCount(0);
  await refer.getByRole('radio', { name: POLICE }).click();
  await expect(refer.getByRole('checkbox', { name: ru('referrals.scope.contact') })).toBeDisabled();
  await expect(refer.getByRole('checkbox', { name: ru('referrals.scope.narrative') })).toBeDisabled();
  await expect(refer).toContainText(ru('referrals.scopeNoConsent').replace('{{agency}}', POLICE));
  await refer.getByRole('checkbox', { name: ru('referrals.scope.identity') }).check();
  await refer.getByRole('checkbox', { name: ru('referrals.scope.screening') }).check();
  await refer.getByRole('radio', { name: ru('referrals.urgency.urgent') }).check();
  await refer.getByRole('radio', { name: POLICE }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/refer-dialog-phone.png' });
  await refer.getByRole('checkbox', { name: ru('referrals.scope.contact') }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/refer-dialog-scope-phone.png' });
  await refer.getByRole('button', { name: ru('referrals.send') }).click();
  const sent = page.getByTestId('case-referral');
  await expect(sent).toContainText(ru('referrals.state.sent'));
  await expect(sent).toContainText(POLICE);
  await expect(sent).toContainText(prefix(ru('referrals.dueAt')));
  await expect(sent).toContainText('(время Алматы)');

  // The police investigator sees the incoming referral with only the decision facts, and accepts it.
  await page.context().clearCookies();
  await signInAs(page, 'police.investigator', 'ru');
  await expect(page.getByTestId('incoming-count').first()).toHaveText(/^[1-9]\d*$/);
  await page.goto('/referrals');
  const card = page.getByTestId('referral-card').first();
  await expect(card).toContainText(ru('referralPurposes.formal_identification'));
  await expect(card).toContainText(ru('referrals.urgency.urgent'));
  await expect(card.getByTestId('decision-facts')).toContainText(ru('referrals.ageGroupValue.adult'));
  await expect(card.getByTestId('decision-facts')).toContainText(ru('intake.interpreterNeeded'));
  await expect(card).not.toContainText('Karimova');
  await expect(card.getByRole('link')).toHaveCount(0);
  await card.getByRole('button', { name: ru('referrals.accept') }).click();
  await expect(card.getByTestId('referral-state')).toHaveText(ru('referrals.state.accepted'));
  await card.getByRole('link', { name: prefix(ru('referrals.openCase')) }).click();

  // The shared view: name and screening shown; contacts and narrative not shared.
  await expect(page).toHaveURL(new RegExp(`${caseUrl}$`));
  const banner = page.getByTestId('shared-banner');
  await expect(banner).toContainText('Safe Home Crisis Centre (NGO shelter)');
  await expect(banner).toContainText(ru('referralPurposes.formal_identification'));
  await expect(banner).toContainText(`${ru('referrals.scope.identity')}, ${ru('referrals.scope.screening')}`);
  await expect(page.getByTestId('shared-identity')).toContainText('Karimova Aziza');
  await expect(page.getByTestId('shared-contact')).toContainText(ru('referrals.notShared'));
  await expect(page.getByTestId('shared-narrative')).toContainText(ru('referrals.notShared'));
  await expect(page.getByText('+77015550123')).toHaveCount(0);
  await expect(page.getByText(/sewing workshop/)).toHaveCount(0);
  await page.screenshot({ path: 'test-results/shared-case-phone.png', fullPage: true });

  // A third agency sees nothing: not the case, not in its lists.
  await page.context().clearCookies();
  await signInAs(page, 'labour.inspector', 'kk');
  await page.goto(caseUrl);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await page.goto('/cases');
  await page.getByRole('searchbox', { name: kk('common.search') }).fill('Karimova');
  await expect(page.getByTestId('cases-total')).toHaveText(kk('common.total').replace('{{n}}', '0'));
  await page.goto('/referrals?box=outgoing');
  await expect(page.getByTestId('referrals-total')).toHaveText(kk('common.total').replace('{{n}}', '0'));

  // The NGO sees the referral accepted, then the person withdraws consent to the referral.
  await page.context().clearCookies();
  await signInAs(page, 'shelter.worker', 'ru');
  await page.goto(caseUrl);
  await expect(page.getByTestId('case-referral')).toContainText(ru('referrals.state.accepted'));
  await page
    .getByTestId('consent-referral_identification')
    .getByRole('button', { name: ru('consent.withdraw') })
    .click();
  dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(ru('consent.withdrawExplain'));
  await dialog.getByRole('button', { name: ru('consent.withdrawConfirm') }).click();
  await expect(page.getByTestId('consent-referral_identification')).toContainText(ru('consent.status.withdrawn'));
  await expect(page.getByTestId('case-referral')).toContainText(ru('referrals.state.consent_withdrawn'));

  // The police user loses access at once.
  await page.context().clearCookies();
  await signInAs(page, 'police.investigator', 'ru');
  await page.goto(caseUrl);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByTestId('shared-case')).toHaveCount(0);
});
