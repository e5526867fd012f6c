import { expect, test } from '@playwright/test';
import { catalogue, chooseLanguage, signIn } from './helpers.ts';

const kk = catalogue('kk');
const ru = catalogue('ru');

test('a case worker signs in, switches to Kazakh and sees the shell translated', async ({ page }) => {
  await signIn(page, 'shelter.worker');
  // The user's stored language (Russian) applies after sign-in.
  await expect(page.getByRole('navigation').getByRole('link', { name: ru('nav.home') })).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toHaveText(ru('app.demoBanner'));

  await chooseLanguage(page, 'Қазақша');
  await expect(page.getByRole('navigation').getByRole('link', { name: kk('nav.home') })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: kk('nav.account') })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    kk('home.welcome').replace('{{name}}', 'Madina Case Worker'),
  );
  await expect(page.locator('html')).toHaveAttribute('lang', 'kk');
  // A case worker has no administration area.
  await expect(page.getByRole('navigation').getByRole('link', { name: kk('nav.users') })).toHaveCount(0);

  // Remembered for the user on the server: a fresh device (no local storage) opens in Kazakh.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByRole('navigation').getByRole('link', { name: kk('nav.home') })).toBeVisible();
});

test('the home page works at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'shelter.worker');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: '/tmp/opennrm-home-phone.png', fullPage: true });
  // The navigation sits behind the burger on a phone.
  const burger = page.getByRole('banner').getByRole('button').first();
  await burger.click();
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.screenshot({ path: '/tmp/opennrm-nav-phone.png' });
});
