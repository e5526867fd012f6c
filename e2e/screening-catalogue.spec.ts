import { expect, test } from '@playwright/test';
import { catalogue, signIn } from './helpers.ts';

const en = catalogue('en');

// Publishing changes the current catalogue for every later spec; specs run in file order and the
// identification spec (which expects the shipped version) runs before this one.
test('a system administrator publishes a new catalogue version with an adult sexual-exploitation entry', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: en('nav.catalogue') })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('catalogueAdmin.title'));
  await expect(page.getByText('2009-labour-v1', { exact: true })).toBeVisible();

  await page.getByRole('textbox', { name: en('catalogueAdmin.version') }).fill('2009-labour-v1.1');
  await page.getByRole('button', { name: /Exploitative conditions/ }).click();
  const firstStrength = page.getByRole('combobox', { name: en('catalogueAdmin.profiles.adult_sexual') }).first();
  await firstStrength.click();
  await page.getByRole('option', { name: en('catalogueAdmin.strengths.strong') }).click();

  await page.getByRole('button', { name: en('catalogueAdmin.publish') }).click();
  await expect(page.getByText(en('catalogueAdmin.published').replace('{{version}}', '2009-labour-v1.1'))).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '2009-labour-v1.1' })).toContainText(
    en('catalogueAdmin.current'),
  );

  // Screeners now get the new version, with a list for adult sexual exploitation.
  const res = await page.request.get('/api/screening/catalogue');
  expect(res.status()).toBe(200);
  const current = (await res.json()) as {
    version: string;
    dimensions: { id: string; indicators: { id: string; strength: Record<string, string | null> }[] }[];
  };
  expect(current.version).toBe('2009-labour-v1.1');
  const ex = current.dimensions.find((d) => d.id === 'exploitative_conditions');
  expect(ex?.indicators[0]?.strength.adult_sexual).toBe('strong');
});
