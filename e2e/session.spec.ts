import { expect, test } from '@playwright/test';
import { totpAt } from '../apps/server/src/crypto/totp.ts';
import { catalogue, signIn } from './helpers.ts';

const en = catalogue('en');
const ru = catalogue('ru');

test('an ended session sends the user to sign-in with a notice, and back after signing in', async ({ page }) => {
  await signIn(page, 'auditor');
  const sid = (await page.context().cookies()).find((c) => c.name.endsWith('nrm_sid'));
  expect(sid).toBeTruthy();
  await page.context().addCookies([{ ...sid!, value: 'x'.repeat(43) }]);

  await page
    .getByRole('navigation')
    .getByRole('link', { name: ru('nav.audit') })
    .click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Faudit&reason=expired/);
  await expect(page.getByText(ru('errors.auth.session_expired')).first()).toBeVisible();

  await page.locator('input[name="login"]').fill('auditor');
  await page.locator('input[name="password"]').fill('e2e-demo-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('audit.title'));
});

test('when an administrator requires 2FA for a role, its users must enrol first', async ({ page }) => {
  await signIn(page, 'admin');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: en('nav.securitySettings') })
    .click();
  await page.getByRole('combobox', { name: en('admin.security.mfaRequiredRoles') }).click();
  await page.getByRole('option', { name: en('roles.analyst') }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: en('common.save') }).click();
  await expect(page.getByText(en('common.saved'))).toBeVisible();
  await page.context().clearCookies();

  await signIn(page, 'analyst');
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByRole('alert').filter({ hasText: ru('errors.auth.mfa_enrollment_required') })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/account\/security$/);

  await page.getByRole('button', { name: ru('account.twoFactorSetup') }).click();
  await expect(page.getByRole('img', { name: ru('account.qrAlt') })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  await page
    .getByRole('textbox', { name: ru('account.twoFactorCode') })
    .fill(totpAt(secret, Math.floor(Date.now() / 30_000)));
  await page.getByRole('button', { name: ru('account.twoFactorConfirm') }).click();
  await expect(page.getByText(ru('account.twoFactorEnabled'))).toBeVisible();

  await page
    .getByRole('navigation')
    .getByRole('link', { name: ru('nav.home') })
    .click();
  await expect(page).toHaveURL(/\/$/);
});
