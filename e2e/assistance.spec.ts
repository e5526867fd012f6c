import { expect, test } from '@playwright/test';
import { apiSignIn, apiSignOut, catalogue, referredToPolice, csrf, post, signIn, todayLocal } from './helpers.ts';

// shelter.worker works in Russian (apps/server/src/seed/demo.ts).
const ru = catalogue('ru');
const LEGAL_AID_NGO = 'Adilet Legal Aid Centre (NGO)';

test('the shelter assesses needs, plans shelter, psychological care and legal aid, records delivery; legal aid closes when the provider completes the referral', async ({
  page,
}) => {
  const today = todayLocal();

  // A presumed victim at the shelter, through the API to keep it fast.
  const created = await referredToPolice(page, { family: 'Tursunova', given: 'Malika', birthDate: '1995-03-14' }, [
    'referral_identification',
    'assistance',
  ]);
  await apiSignIn(page, 'police.decision');
  await post(page, `/api/cases/${created.id}/decisions`, {
    kind: 'preliminary',
    outcome: 'presumed_victim',
    reasons: 'Разумные основания: обман при вербовке, паспорт удерживается.',
    legalBasis: 'Правила идентификации, п. 12',
    decidedOn: today,
  });
  await apiSignOut(page);

  // The shelter works in the UI.
  await signIn(page, 'shelter.worker');
  await page.goto(`/cases/${created.id}`);
  const panel = page.getByTestId('assistance-panel');
  await expect(panel.getByTestId('assistance-unconditional')).toHaveText(ru('assistance.unconditional'));

  // Needs assessment.
  await panel.getByLabel(ru('assistance.area.safety'), { exact: true }).selectOption('high');
  await panel.getByLabel(ru('assistance.area.psychological'), { exact: true }).selectOption('high');
  await panel.getByLabel(ru('assistance.area.legal'), { exact: true }).selectOption('medium');
  await panel.getByLabel(ru('assistance.needs.risk'), { exact: true }).selectOption('high');
  await panel.getByRole('button', { name: ru('assistance.needs.save') }).click();
  await expect(panel.getByTestId('needs-latest')).toContainText(ru('assistance.area.safety'));

  // A goal of the plan.
  await panel.getByLabel(ru('assistance.goals.new'), { exact: true }).fill('Безопасное жильё и восстановление');
  await panel.getByRole('button', { name: ru('assistance.goals.add') }).click();
  await expect(panel.getByRole('checkbox', { name: 'Безопасное жильё и восстановление' })).toBeVisible();

  // The plan: shelter and psychological care at the shelter itself, legal aid from the legal-aid NGO.
  const category = panel.getByLabel(ru('assistance.services.category'), { exact: true });
  const provider = panel.getByLabel(ru('assistance.services.provider'), { exact: true });
  const add = panel.getByRole('button', { name: ru('assistance.services.add') });
  await category.selectOption('shelter');
  await add.click();
  await expect(panel.getByTestId('service-shelter')).toHaveAttribute('data-status', 'planned');
  await category.selectOption('psychological');
  await add.click();
  await expect(panel.getByTestId('service-psychological')).toHaveAttribute('data-status', 'planned');
  await category.selectOption('legal_aid');
  await provider.selectOption({ label: LEGAL_AID_NGO });
  await expect(panel).toContainText(ru('assistance.services.viaReferral'));
  await add.click();
  await expect(panel.getByTestId('service-legal_aid')).toHaveAttribute('data-status', 'requested');

  // Delivery of the shelter's own services; the plan shows its progress.
  for (const c of ['shelter', 'psychological'])
    await panel
      .getByTestId(`service-${c}`)
      .getByRole('button', { name: ru('assistance.services.markDelivered') })
      .click();
  await expect(panel.getByTestId('service-psychological')).toHaveAttribute('data-status', 'delivered');
  const progress = panel.getByTestId('plan-progress');
  await expect(progress).toHaveAttribute('data-delivered', '2');
  await expect(progress).toHaveAttribute('data-total', '3');
  const assistance = (await (await page.request.get(`/api/cases/${created.id}/assistance`)).json()) as {
    services: { category: string; referralId: string | null }[];
  };
  const legalReferral = assistance.services.find((s) => s.category === 'legal_aid')!.referralId!;
  await apiSignOut(page);

  // The provider completes the referral.
  await apiSignIn(page, 'legal.worker');
  for (const action of ['accept', 'start', 'complete'])
    await post(page, `/api/referrals/${legalReferral}/${action}`, {}, 200);
  await apiSignOut(page);

  // The service closed with it; the plan is complete.
  await signIn(page, 'shelter.worker');
  await page.goto(`/cases/${created.id}`);
  await expect(panel.getByTestId('service-legal_aid')).toHaveAttribute('data-status', 'delivered');
  await expect(progress).toHaveAttribute('data-delivered', '3');
  await expect(progress).toHaveText(ru('assistance.progress').replace('{{delivered}}', '3').replace('{{total}}', '3'));

  // A full shelter: a second placement needs a reason, is flagged, and the coordinator sees it.
  await apiSignOut(page);
  await apiSignIn(page, 'admin');
  const agencies = (await (await page.request.get('/api/agencies')).json()) as {
    items: { id: string; name: string }[];
  };
  const shelterId = agencies.items.find((a) => a.name === 'Safe Home Crisis Centre (NGO shelter)')!.id;
  const cap = await page.request.put(`/api/agencies/${shelterId}/capacity`, {
    headers: { 'X-CSRF-Token': await csrf(page) },
    data: { rows: [{ category: 'shelter', sex: 'any', ageGroup: 'any', places: 0 }] },
  });
  expect(cap.status()).toBe(200);
  await apiSignOut(page);
  await signIn(page, 'shelter.worker');
  await page.goto(`/cases/${created.id}`);
  await category.selectOption('shelter');
  await add.click();
  await expect(panel.getByRole('alert').filter({ hasText: ru('validation.over_capacity') })).toBeVisible();
  await panel
    .getByLabel(ru('assistance.services.overrideReason'), { exact: true })
    .fill('Ночное поступление, другого приюта в городе нет.');
  await add.click();
  await expect(panel.getByTestId('over-capacity-flag')).toBeVisible();
  await apiSignOut(page);
  await signIn(page, 'coordinator');
  await page.goto('/coordination/compliance');
  await expect(page.getByTestId('over-capacity-count')).toHaveText('1');
  await expect(page.getByTestId('over-capacity-card')).toContainText('Safe Home Crisis Centre (NGO shelter)');
  await expect(page.locator('main')).not.toContainText(created.number);
});
