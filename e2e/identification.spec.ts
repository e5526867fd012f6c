import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { catalogue, DEMO_PASSWORD, signIn } from './helpers.ts';

// shelter.outreach works in Russian, south.officer in Kazakh (apps/server/src/seed/demo.ts).
const ru = catalogue('ru');
const kk = catalogue('kk');
const indicators = JSON.parse(
  readFileSync(new URL('../packages/domain/src/screening/catalogue.2009-labour-v1.json', import.meta.url), 'utf8'),
) as { dimensions: { id: string; label: Record<string, string> }[] };
const dimensionLabel = (id: string) => indicators.dimensions.find((d) => d.id === id)!.label.ru!;

test.use({ viewport: { width: 390, height: 844 } });

/** Opens a Mantine select by its label and picks an option by its visible name. */
async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The text of a message before its first {{placeholder}}, to match a message with a value in it. */
const prefix = (message: string) => message.split('{{')[0]!.trim();

test('an outreach worker records and screens a foreign girl of uncertain age on a phone; another region cannot find her', async ({
  page,
}) => {
  await signIn(page, 'shelter.outreach');
  await page
    .getByTestId('record-shortcut')
    .getByRole('link', { name: ru('cases.home.recordButton') })
    .click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('intake.title'));

  // Person: a name in Latin script, sex, age about 16 and possibly a minor, Uzbek citizen.
  await page.getByRole('textbox', { name: ru('intake.family') }).fill('Yusupova');
  await page.getByRole('textbox', { name: ru('intake.given') }).fill('Dilnoza');
  await expect(page.getByRole('combobox', { name: ru('intake.script'), exact: true })).toHaveValue(
    ru('enums.nameScript.latin'),
  );
  await pick(page, ru('intake.sex'), ru('enums.sex.Feminine'));
  await page.getByText(ru('intake.birthKind.range'), { exact: true }).click();
  await page.getByRole('textbox', { name: ru('intake.minAge') }).fill('15');
  await page.getByRole('textbox', { name: ru('intake.maxAge') }).fill('17');
  await page.getByRole('checkbox', { name: ru('intake.possiblyMinor') }).check();
  await expect(page.getByTestId('child-notice')).toBeVisible();
  await page.getByRole('combobox', { name: ru('intake.citizenships'), exact: true }).click();
  await page.getByRole('option', { name: 'Узбекистан' }).click();
  await page.keyboard.press('Escape');

  // Encounter: date defaults to today; region and method are required.
  await pick(page, ru('intake.encounterRegion'), ru('regions.almaty'));
  await pick(page, ru('intake.identificationMethod'), ru('enums.identificationMethod.ngo_outreach'));
  await page.screenshot({ path: 'test-results/intake-phone.png', fullPage: true });

  await page.getByRole('button', { name: ru('intake.submit') }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId('case-created')).toBeVisible();
  await expect(page.getByTestId('child-badge').first()).toHaveText(ru('cases.treatedAsChild'));
  await expect(page.getByTestId('person-card')).toContainText('Yusupova Dilnoza');
  await expect(page.getByTestId('person-card')).toContainText('Узбекистан');

  // Screening: the child list is forced; acts + exploitative conditions only.
  await page.getByRole('link', { name: ru('cases.screen') }).click();
  await expect(page).toHaveURL(/\/screen$/);
  await expect(page.getByTestId('child-forced')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Вербовка' }).check();
  await page.getByRole('checkbox', { name: 'Перевозка' }).check();
  await page.getByRole('button', { name: dimensionLabel('exploitative_conditions') }).click();
  await page.locator('input[data-indicator="EX01"]').check();
  await page.locator('input[data-indicator="EX02"]').check();
  await page.getByRole('radio', { name: ru('enums.screeningRecommendation.refer_for_identification') }).check();
  await page
    .getByRole('textbox', { name: ru('screening.reasons') })
    .fill('Перевезена из Ташкента, работает без оплаты.');
  await page.getByRole('button', { name: ru('screening.submit') }).click();

  const result = page.getByTestId('screening-result');
  await expect(result).toBeVisible();
  await expect(page.getByTestId('screening-outcome')).toContainText(ru('enums.screeningOutcome.indicators_present'));
  await expect(page.getByTestId('screening-outcome')).toContainText(
    ru('enums.screeningRecommendation.refer_for_identification'),
  );
  await expect(page.getByTestId('result-child')).toHaveText(ru('cases.treatedAsChild'));
  await expect(result).toContainText(ru('screening.decisionSupport'));
  await expect(result).toContainText('2009-labour-v1');
  await expect(page.getByTestId('dimension-exploitative_conditions')).toContainText(ru('screening.positive'));
  await page.screenshot({ path: 'test-results/screening-result-phone.png', fullPage: true });

  // The case page shows the latest result and the timeline.
  await page.getByRole('link', { name: ru('screening.toCase') }).click();
  await expect(page.getByTestId('timeline')).toContainText(ru('auditActions.screening.create'));
  await expect(page.getByTestId('screening-result')).toContainText(ru('enums.screeningOutcome.indicators_present'));

  // A police officer of another region neither finds her nor opens her case.
  await page.context().clearCookies();
  await signIn(page, 'south.officer');
  await page.goto('/cases');
  await page.getByRole('searchbox', { name: kk('common.search') }).fill('Yusupova');
  await expect(page.getByTestId('cases-total')).toHaveText(kk('common.total').replace('{{n}}', '0'));
  expect(page.url()).not.toContain('Yusupova');
  await page.getByRole('searchbox', { name: kk('common.search') }).fill('Юсупова Дильноза');
  await expect(page.getByText(kk('common.noResults'))).toBeVisible();
  await page.goto(caseUrl);
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('the intake form survives an expired session: the autosaved draft is restored after signing in', async ({
  page,
}) => {
  await signIn(page, 'shelter.outreach');
  await page.goto('/cases/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('intake.title'));
  await page.getByRole('textbox', { name: ru('intake.family') }).fill('Черновикова');
  await page.getByRole('textbox', { name: ru('intake.given') }).fill('Айгерим');
  await pick(page, ru('intake.sex'), ru('enums.sex.Feminine'));
  await page.getByRole('textbox', { name: ru('intake.encounterPlace') }).fill('Автовокзал Сайран');
  await expect(page.getByTestId('draft-status')).toContainText(prefix(ru('intake.draftSaved')));

  // The session ends mid-form; the next load goes through sign-in and back to the form.
  await page.context().clearCookies();
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcases%2Fnew/);
  await page.locator('input[name="login"]').fill('shelter.outreach');
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByRole('textbox', { name: ru('intake.family') })).toHaveValue('Черновикова');
  await expect(page.getByRole('textbox', { name: ru('intake.given') })).toHaveValue('Айгерим');
  await expect(page.getByRole('combobox', { name: ru('intake.sex'), exact: true })).toHaveValue(
    ru('enums.sex.Feminine'),
  );
  await expect(page.getByRole('textbox', { name: ru('intake.encounterPlace') })).toHaveValue('Автовокзал Сайран');

  // Discarding removes the server draft: a fresh load starts empty.
  await page.getByRole('button', { name: ru('intake.discardDraft') }).click();
  await expect(page.getByRole('textbox', { name: ru('intake.family') })).toHaveValue('');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('intake.title'));
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});

test('the holding agency finds the case by her name in Cyrillic; a stale edit shows the conflict and reloads', async ({
  page,
}) => {
  await signIn(page, 'shelter.outreach');
  await page.goto('/cases');
  await page.getByRole('searchbox', { name: ru('common.search') }).fill('Юсупова');
  await expect(page.getByTestId('cases-total')).toHaveText(ru('common.total').replace('{{n}}', '1'));
  await page.getByRole('button', { name: /Yusupova/ }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;

  await page.getByRole('button', { name: ru('common.edit') }).click();
  await page.getByRole('textbox', { name: ru('intake.encounterPlace') }).fill('Рынок Барахолка');

  // Someone else saves first.
  const { csrfToken } = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  const current = (await (await page.request.get(`/api/cases/${id}`)).json()) as {
    case: Record<string, unknown>;
    version: number;
  };
  const res = await page.request.patch(`/api/cases/${id}`, {
    headers: { 'X-CSRF-Token': csrfToken },
    data: { case: { ...current.case, encounterPlace: 'Центральный рынок' }, version: current.version },
  });
  expect(res.status()).toBe(200);

  await page.getByRole('button', { name: ru('common.save') }).click();
  await expect(page.getByRole('alert').filter({ hasText: ru('errors.conflict.stale') })).toBeVisible();
  await page.getByRole('button', { name: ru('common.reload') }).click();
  await expect(page.getByRole('textbox', { name: ru('intake.encounterPlace') })).toHaveValue('Центральный рынок');
});
