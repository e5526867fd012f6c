import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { catalogue, signIn } from './helpers.ts';

// The coordinator works in Russian (apps/server/src/seed/demo.ts).
const ru = catalogue('ru');

test('coordinator: statistics dashboard, filter to a year, download the national report (XLSX)', async ({ page }) => {
  await signIn(page, 'coordinator');
  await page.getByRole('link', { name: ru('statistics.nav'), exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: ru('statistics.title') })).toBeVisible();
  await expect(page.getByTestId('stat-table-sex')).toBeVisible();

  const lastYear = String(new Date().getFullYear() - 1);
  await page.getByTestId('stat-year').click();
  await page.getByRole('option', { name: lastYear }).click();
  await expect(page.getByTestId('stat-year')).toHaveValue(lastYear);
  await expect(page.getByTestId('stat-table-quarter')).toBeVisible();
  await expect(page.getByTestId('stat-protection')).toContainText('5');
  // Every figure links to its definition.
  await page.getByTestId('def-link-exploitation').click();
  await expect(page.locator('#def-exploitation')).toContainText(ru('statistics.def.exploitation'));
  // Services delivered by type, with its service types named and its definition.
  await expect(page.getByTestId('stat-table-serviceType')).toContainText(ru('assistance.category.medical'));
  await page.getByTestId('def-link-serviceType').click();
  await expect(page.locator('#def-serviceType')).toContainText(ru('statistics.def.serviceType'));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
  expect(download.suggestedFilename()).toBe(`opennrm-report-${lastYear}-ru.xlsx`);
  const file = readFileSync((await download.path())!);
  expect(file.subarray(0, 2).toString('latin1')).toBe('PK');
});

/** The IOM template with three filled rows, one of them broken. */
async function filledTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(
    fileURLToPath(
      new URL(
        '../apps/server/src/modules/exchange/fixtures/htcds/HTCDS-Excel-Spreadsheet-single-select-with-validation-v2.0.xlsx',
        import.meta.url,
      ),
    ),
  );
  const ws = wb.worksheets[0]!;
  const col = new Map<string, number>();
  ws.getRow(1).eachCell((c, i) => col.set(String(c.value), i));
  const rows: Record<string, string>[] = [
    {
      prs_FirstName: 'Gulnara',
      prs_SecondName: 'Templatova',
      prs_Gender: 'Feminine',
      prs_Citizenship: 'UZ',
      vic_MethodsOfControl: 'Debt bondage ',
      vic_TypeOfExploitation: 'Forced labour',
    },
    {
      prs_FirstName: 'Timur',
      prs_SecondName: 'Templatov',
      prs_Gender: 'Masculine',
      prs_Citizenship: 'KG',
      vic_TraffickinStatusDecisionMakingOrg: 'NGO',
      vic_TypeOfExploitation: 'Forced begging',
    },
    { prs_FirstName: 'Broken', prs_Gender: 'Robot', prs_Citizenship: 'KZ' },
  ];
  rows.forEach((r, n) => {
    for (const [field, value] of Object.entries(r)) ws.getRow(3 + n).getCell(col.get(field)!).value = value;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('IOM officer: imports the filled HTCDS template and sees the per-row report', async ({ page }) => {
  const en = catalogue('en');
  await signIn(page, 'iom.officer');
  await page.getByRole('link', { name: en('exchange.nav'), exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: en('exchange.title') })).toBeVisible();
  await page.locator('input[type="file"]').setInputFiles({
    name: 'htcds.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await filledTemplate(),
  });
  await page.getByTestId('import-region').click();
  await page.getByRole('option', { name: 'Almaty', exact: true }).click();
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-summary')).toHaveText('3 rows: 2 ready to import, 1 with errors.');
  await expect(page.getByTestId('import-row-5')).toContainText('prs_Gender: “Robot” is not a value of the HTCDS list.');
  await expect(page.getByTestId('import-row-3')).toContainText(en('exchange.rowOk'));
  // Nothing is imported before the confirmation, and not while rows are broken unless they are skipped.
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await page.getByTestId('import-skip').click();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toHaveText(
    en('exchange.done').replace('{{imported}}', '2').replace('{{skipped}}', '1'),
  );
});
