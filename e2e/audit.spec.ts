import { expect, test } from '@playwright/test';
import { catalogue, chooseLanguage, signIn } from './helpers.ts';

const ru = catalogue('ru');

test('a wrong password shows the translated error and the auditor sees the failed sign-in', async ({ page }) => {
  await page.goto('/sign-in');
  await chooseLanguage(page, 'Русский');
  await page.locator('input[name="login"]').fill('shelter.worker');
  await page.locator('input[name="password"]').fill('not-the-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByRole('alert')).toHaveText(ru('errors.auth.invalid_credentials'));
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, 'auditor');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: ru('nav.audit') })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('audit.title'));

  await page.getByRole('combobox', { name: ru('audit.action') }).click();
  await page.getByRole('option', { name: ru('auditActions.auth.login.failure') }).click();
  const row = page
    .getByTestId('audit-table')
    .getByRole('row')
    .filter({ hasText: 'shelter.worker' })
    .filter({ hasText: ru('auditActions.auth.login.failure') });
  await expect(row.first()).toBeVisible();
  await expect(row.first()).toContainText(ru('auditOutcomes.failure'));

  await page.getByRole('button', { name: ru('audit.verify') }).click();
  await expect(page.getByRole('status').filter({ hasText: ru('audit.verifyOk') })).toBeVisible();
});
