import { expect, test } from '@playwright/test';
import { hydrated, openClientList, signInAsOwner } from './support';

const header = 'First name,Last name,Email,Account,Place\n';
const good = 'Iris,Imported,iris@import.test,The Imported family,owner\nIvan,Imported,ivan@import.test,The Imported family,guest\n';

async function uploadFile(page: import('@playwright/test').Page, text: string) {
  await page.goto('/clients/import');
  await hydrated(page);
  await page.getByLabel('CSV file').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Upload and preview' }).click();
  await expect(page).toHaveURL(/\/clients\/import\/\d+$/);
  await hydrated(page);
}

// A file with good and bad rows: the preview names each problem at its
// line and column, nothing is written until confirmed; the corrected file is
// imported and its progress followed to the end.
test('a CSV file is previewed, corrected and imported', async ({ page }) => {
  await signInAsOwner(page);
  await openClientList(page);
  await expect(page.getByRole('link', { name: 'Import CSV' })).toBeVisible();

  await uploadFile(page, header + good + 'Bea,Bad,not-an-email,,\n');
  await expect(page.getByText('3 rows in the file')).toBeVisible();
  await expect(page.getByText('2 new members')).toBeVisible();
  await expect(page.getByRole('heading', { name: '1 row with a problem' })).toBeVisible();
  const problem = page.getByRole('row', { name: /^4 Email/ });
  await expect(problem).toContainText('email address');
  // Rows with problems are not imported unless asked for.
  await page.getByRole('button', { name: 'Start the import' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Some rows have problems' })).toBeVisible();
  await page.getByRole('button', { name: 'Discard this file' }).click();

  // The corrected file.
  await uploadFile(page, header + good + 'Bea,Bad,bea@import.test,,\n');
  await expect(page.getByText('2 new accounts')).toBeVisible();
  await expect(page.getByText('3 new members')).toBeVisible();
  await expect(page.getByRole('heading', { name: /with a problem/ })).toHaveCount(0);
  await page.getByLabel('Invite imported people').check();
  await page.getByRole('button', { name: 'Start the import' }).click();
  await expect(page.getByText('Done', { exact: true })).toBeVisible();
  await expect(page.getByText(/3 of 3 rows/)).toBeVisible();
  await expect(page.locator('progress')).toHaveAttribute('value', '3');

  await openClientList(page);
  await expect(page.getByRole('button', { name: 'The Imported family', exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Bea Bad/ })).toContainText('Invitation');
});
