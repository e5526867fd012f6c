import { expect, test } from '@playwright/test';
import { catalogue, signIn } from './helpers.ts';

const en = catalogue('en');

test('a system administrator creates an agency; server field errors show under the input', async ({ page }) => {
  await signIn(page, 'admin');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: en('nav.agencies') })
    .click();
  await page.getByRole('button', { name: en('admin.agencies.create') }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: en('admin.agencies.name') }).fill('E2E Test Shelter');
  await dialog.getByRole('combobox', { name: en('admin.agencies.type') }).click();
  await page.getByRole('option', { name: en('agencyTypes.ngo') }).click();
  await dialog.getByRole('combobox', { name: en('admin.agencies.region') }).click();
  await page.getByRole('option', { name: en('regions.shymkent'), exact: true }).click();
  await dialog.getByRole('textbox', { name: en('admin.agencies.phone') }).fill('call me');
  await dialog.getByRole('button', { name: en('common.save') }).click();

  await expect(dialog.getByRole('alert')).toContainText(en('errors.validation'));
  const phone = dialog.getByRole('textbox', { name: en('admin.agencies.phone') });
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText(en('validation.invalid_format'))).toBeVisible();

  await phone.fill('+7 727 000 00 00');
  await dialog.getByRole('button', { name: en('common.save') }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: 'E2E Test Shelter' })).toContainText(en('regions.shymkent'));

  await page
    .getByRole('navigation')
    .getByRole('link', { name: en('nav.users') })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('admin.users.title'));
  await expect(page.getByRole('row').filter({ hasText: 'shelter.worker' })).toContainText(en('roles.case_worker'));
});
