import { expect, test } from '@playwright/test';
import { apiSignOut, catalogue, referredToPolice, signIn, todayLocal } from './helpers.ts';

// police.decision, migration.officer, shelter.worker and the coordinator work in Russian (apps/server/src/seed/demo.ts).
const ru = catalogue('ru');

const addDays = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};

test('the police decide "presumed victim" for an Uzbek citizen: 30-day period, protection for migration police, counted for the coordinator', async ({
  page,
}) => {
  const today = todayLocal();
  const end = addDays(today, 30);

  // The NGO registers the case and refers it for formal identification with consent (API, to keep it fast).
  // The police investigator has accepted the referral.
  const created = await referredToPolice(page, { family: 'Karimova', given: 'Nodira', birthDate: '1996-05-02' });

  // The police decision maker decides through the UI; the form says a decision needs no cooperation.
  await signIn(page, 'police.decision');
  await page.goto(`/cases/${created.id}/status`);
  await expect(page.getByTestId('status-case-number')).toContainText(created.number);
  const form = page.getByTestId('decision-form-preliminary');
  await expect(form.getByTestId('no-cooperation-notice')).toHaveText(ru('status.noCooperationNotice'));
  await form.getByRole('radio', { name: ru('status.outcome.presumed_victim') }).check();
  await form
    .getByRole('textbox', { name: ru('status.reasons') })
    .fill('Разумные основания: вербовка обманом, паспорт удерживается работодателем.');
  await form.getByRole('textbox', { name: ru('status.legalBasis') }).fill('Правила идентификации, п. 12');
  await form.getByRole('button', { name: ru('status.submitDecision') }).click();
  await expect(page.getByTestId('latest-decision')).toHaveText(ru('status.outcome.presumed_victim'));
  await expect(page.getByTestId('reflection-end')).toHaveAttribute('data-date', end);
  await expect(page.getByTestId('protection-flag')).toBeVisible();
  await expect(page.getByTestId('trafficking-status')).toHaveText(ru('status.htcds.PossibleVictimOfTrafficking'));
  await apiSignOut(page);

  // The holding NGO sees the period and its end date on the case page.
  await signIn(page, 'shelter.worker');
  await page.goto(`/cases/${created.id}`);
  const panel = page.getByTestId('status-panel');
  await expect(panel.getByTestId('reflection-end')).toHaveAttribute('data-date', end);
  await expect(panel.getByTestId('protection')).toHaveAttribute('data-until', end);
  await apiSignOut(page);

  // The migration police look up the case number and see only the protection flag and its end.
  await signIn(page, 'migration.officer');
  await page
    .getByRole('link', { name: ru('nav.protection') })
    .first()
    .click();
  await expect(page).toHaveURL(/\/protection$/);
  await page.getByRole('textbox', { name: ru('status.lookup.caseNumber') }).fill(created.number);
  await page.getByRole('button', { name: ru('status.lookup.submit') }).click();
  const result = page.getByTestId('protection-result');
  await expect(result).toHaveAttribute('data-protected', 'true');
  await expect(result).toHaveAttribute('data-until', end);
  // …and cannot open the case itself.
  expect((await page.request.get(`/api/cases/${created.id}/status`)).status()).toBe(404);
  await apiSignOut(page);

  // The coordinator's dashboard counts the decision and the open period, without case numbers.
  await signIn(page, 'coordinator');
  await page.goto('/coordination/compliance');
  await expect(page.getByTestId('open-reflection')).not.toHaveText('0');
  await expect(page.getByTestId('below-minimum')).toHaveText('0');
  await expect(page.getByTestId('prelim-within')).toContainText('100 %');
  await expect(page.getByTestId('open-reflection-table')).toContainText('Almaty City Police Department');
  await expect(page.locator('main')).not.toContainText(created.number);
});
