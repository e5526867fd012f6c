import { expect, test } from '@playwright/test';
import { catalogue, csrf, signIn } from './helpers.ts';

// police.officer and shelter.supervisor work in Russian (apps/server/src/seed/demo.ts).
const ru = catalogue('ru');
const NGO = 'Safe Home Crisis Centre (NGO shelter)';
const POLICE = 'Almaty City Police Department';
/** A message with its {{placeholders}} filled in. */
const fill = (message: string, values: Record<string, string>) =>
  message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => values[k] ?? '');

test.use({ viewport: { width: 390, height: 844 } });

test('the police see that the NGO may already hold the person they register, without her data, and ask the NGO', async ({
  page,
}) => {
  // The NGO registered her earlier, in Latin script, born 1998.
  await signIn(page, 'shelter.worker');
  const created = await page.request.post('/api/cases', {
    headers: { 'X-CSRF-Token': await csrf(page) },
    data: {
      person: {
        names: [{ family: 'Akhmetova', given: 'Aigerim', script: 'latin', kind: 'primary' }],
        sex: 'Feminine',
        birthDate: { kind: 'year', year: 1998 },
        citizenships: ['KZ'],
        contacts: [{ type: 'phone', value: '+77017770011' }],
      },
      case: {
        encounterDate: new Date().toISOString().slice(0, 10),
        encounterRegion: 'almaty',
        identificationMethod: 'ngo_outreach',
        exploitationForms: ['ForcedLabour'],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const ngoCase = (await created.json()) as { id: string; number: string };
  await page.context().clearCookies();

  // The police register "Ахметова Айгерім Серікқызы", born 1998.
  await signIn(page, 'police.officer');
  const checks: string[] = [];
  page.on('response', async (res) => {
    if (res.url().endsWith('/api/duplicates/check')) checks.push(await res.text());
  });
  await page.goto('/cases/new');
  await page.getByRole('textbox', { name: ru('intake.family') }).fill('Ахметова');
  await page.getByRole('textbox', { name: ru('intake.given') }).fill('Айгерім');
  await page.getByRole('textbox', { name: ru('intake.patronymic') }).fill('Серікқызы');
  await page.getByText(ru('intake.birthKind.year'), { exact: true }).click();
  await page.getByRole('textbox', { name: ru('intake.birthYear'), exact: true }).fill('1998');

  const panel = page.getByTestId('duplicates-panel');
  await expect(panel).toContainText(ru('duplicates.panelTitle'));
  const elsewhere = panel.getByTestId('duplicate-elsewhere');
  await expect(elsewhere).toHaveCount(1);
  await expect(elsewhere).toContainText(fill(ru('duplicates.elsewhere'), { agency: NGO }));
  // Nothing of the NGO's record reaches the page or the browser.
  await expect(panel).not.toContainText('Akhmetova');
  await expect(panel).not.toContainText(ngoCase.number);
  await expect(panel.getByTestId('duplicate-visible')).toHaveCount(0);
  expect(checks.length).toBeGreaterThan(0);
  for (const body of checks) {
    expect(body).not.toContain('Akhmetova');
    expect(body).not.toContain(ngoCase.number);
    expect(body).not.toContain(ngoCase.id);
    expect(body).not.toContain('7770011');
  }
  await page.screenshot({ path: `test-results/duplicates-intake.png`, fullPage: true });

  await elsewhere.getByRole('button', { name: fill(ru('duplicates.ask'), { agency: NGO }) }).click();
  await expect(elsewhere.getByRole('status')).toHaveText(fill(ru('duplicates.asked'), { agency: NGO }));
  // Registering anyway stays possible.
  await expect(page.getByRole('button', { name: ru('intake.submit') })).toBeEnabled();
  await page.context().clearCookies();

  // The NGO's supervisor receives the inquiry: their own case number and the asking agency only.
  await signIn(page, 'shelter.supervisor');
  const inbox = (await (await page.request.get('/api/notifications', { headers: { 'X-Locale': 'ru' } })).json()) as {
    items: { kind: string; caseNumber: string; message: string }[];
  };
  const inquiry = inbox.items.find((n) => n.kind === 'duplicate_inquiry' && n.caseNumber === ngoCase.number);
  expect(inquiry).toBeTruthy();
  expect(inquiry!.message).toBe(
    fill(ru('notifications.duplicate_inquiry'), { agency: POLICE, number: ngoCase.number }),
  );
  expect(inquiry!.message).not.toContain('Ахметова');
});
