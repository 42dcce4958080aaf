import { expect, test, type Browser, type Page } from '@playwright/test';
import { addClient, hydrated, mailTo, openClientList, signInAsOwner } from './support';

// After first-run.spec.ts (files run in name order): the owner exists and
// invites new clients at once.

/** Ivy's activation link, followed in her own browser; returns her page. */
async function activate(page: Page, browser: Browser, email: string, password: string): Promise<Page> {
  const mail = await mailTo(page, email, 'Activate your Maple Tutoring portal account');
  const link = mail.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();
  const context = await browser.newContext();
  const client = await context.newPage();
  await client.goto(link!);
  await hydrated(client);
  await client.getByLabel('Choose a password').fill(password);
  await client.getByRole('button', { name: 'Activate account' }).click();
  await expect(client).toHaveURL(/\/dashboard$/);
  await hydrated(client);
  return client;
}

test('staff upload an invoice with a payment link; the client sees it and its Pay button; uploads follow their switch', async ({ page, browser }) => {
  await signInAsOwner(page);
  await openClientList(page);
  await addClient(page, 'Ivy', 'Invoice', 'ivy@invoice.test');
  await expect(page.getByRole('link', { name: 'Ivy Invoice' })).toBeVisible();
  const ivy = await activate(page, browser, 'ivy@invoice.test', 'ivy pays her bills');
  // Nothing shared yet, and no upload control: Uploads is off by default.
  await expect(ivy.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await expect(ivy.getByText('No documents yet.')).toBeVisible();
  await expect(ivy.getByLabel('File')).toHaveCount(0);

  // The owner uploads a PDF to her account and makes it an invoice.
  await openClientList(page);
  await page.getByRole('link', { name: 'Ivy Invoice' }).click();
  await page.getByRole('paragraph').filter({ hasText: 'Owner of the account' }).getByRole('link').click();
  await expect(page).toHaveURL(/\/accounts\/\d+$/);
  await hydrated(page);
  const documents = page.locator('section#documents');
  await documents.getByLabel('File').setInputFiles({
    name: 'INV-001.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\n% invoice 001\n%%EOF\n'),
  });
  await documents.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText('The file is uploaded.')).toBeVisible();
  await hydrated(page);
  await documents.getByRole('button', { name: 'Invoice details of INV-001.pdf' }).click();
  await page.getByLabel('Invoice number').fill('INV-001');
  await page.getByLabel('Issued on').fill('2026-12-01');
  await page.getByLabel('Due on').fill('2026-12-31');
  await page.getByLabel('Amount').fill('120');
  await page.getByLabel('Currency').fill('cad');
  await page.getByLabel('Payment link').fill('https://pay.example.com/inv-001');
  await page.getByRole('button', { name: 'Save invoice details' }).click();
  await expect(page.getByText('The invoice details are saved.')).toBeVisible();
  await expect(documents.getByText('Invoice INV-001 · CAD 120.00 · due 31 Dec 2026')).toBeVisible();

  // Ivy sees it among her invoices, with its Pay button.
  await ivy.reload();
  await hydrated(ivy);
  const pay = ivy.getByRole('link', { name: 'Pay invoice INV-001 (CAD 120.00)' });
  await expect(pay).toHaveAttribute('href', 'https://pay.example.com/inv-001');
  await expect(ivy.getByRole('link', { name: /INV-001\.pdf/ })).toBeVisible();
  await ivy.screenshot({ path: test.info().outputPath('client-invoices.png'), fullPage: true });

  // Her account is given Uploads: the paper clip appears; taken away, it goes.
  const permissions = page.locator('form', { has: page.getByRole('heading', { name: 'What its members may use' }) });
  await permissions.getByLabel('Uploads').selectOption('on');
  await permissions.getByRole('button', { name: 'Save permissions' }).click();
  await expect(page.getByText("The account's permissions are saved.")).toBeVisible();
  await ivy.reload();
  await hydrated(ivy);
  await expect(ivy.getByLabel('File')).toBeVisible();
  await ivy.getByLabel('File').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Paid by cheque\n') });
  await ivy.getByRole('button', { name: 'Upload' }).click();
  await expect(ivy.getByText('The file is uploaded.')).toBeVisible();

  // The owner sees her upload as new until marking it seen.
  await page.reload();
  await hydrated(page);
  await expect(documents.getByText('New upload')).toBeVisible();
  await documents.getByRole('button', { name: 'Mark receipt.txt as seen' }).click();
  await expect(documents.getByText('New upload')).toHaveCount(0);

  // Marking the upload seen told the open pages, and this one redraws the
  // account (its forms too) when it hears it: start again from a fresh page.
  await page.reload();
  await hydrated(page);
  await permissions.getByLabel('Uploads').selectOption('off');
  // The notice of the first save still shows: wait for this save's answer.
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/save_account_permissions') && r.ok());
  await permissions.getByRole('button', { name: 'Save permissions' }).click();
  await saved;
  await expect(page.getByText("The account's permissions are saved.")).toBeVisible();
  await ivy.reload();
  await hydrated(ivy);
  await expect(ivy.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await expect(ivy.getByLabel('File')).toHaveCount(0);
  await ivy.context().close();
});
