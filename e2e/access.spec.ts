import { expect, test } from '@playwright/test';
import { catalogue, signIn } from './helpers.ts';

const ru = catalogue('ru');

test('a first responder cannot reach the administration', async ({ page }) => {
  await signIn(page, 'police.officer');
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: ru('nav.home') })).toBeVisible();
  for (const key of ['nav.agencies', 'nav.users', 'nav.securitySettings', 'nav.audit'])
    await expect(nav.getByRole('link', { name: ru(key) })).toHaveCount(0);

  for (const path of ['/admin/users', '/admin/agencies', '/admin/security', '/audit']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('notFound.title'));
  }

  // The API refuses too, whatever the UI shows.
  const session = await (await page.request.get('/api/auth/session')).json();
  expect(session.user.username).toBe('police.officer');
  const users = await page.request.get('/api/users');
  expect(users.status()).toBe(403);
  expect((await users.json()).error.code).toBe('forbidden');
  const created = await page.request.post('/api/agencies', {
    headers: { 'X-CSRF-Token': session.csrfToken },
    data: { name: 'Rogue agency', type: 'ngo', region: 'almaty', isCompetentAuthority: false },
  });
  expect(created.status()).toBe(403);
  expect((await created.json()).error.code).toBe('forbidden');
});

test('an unknown address shows the translated not-found page', async ({ page }) => {
  await signIn(page, 'police.officer');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('notFound.title'));
});
