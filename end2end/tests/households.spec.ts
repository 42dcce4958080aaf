import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { addClient, hydrated, mailTo, openClientList, signInAsOwner } from './support';

// A household: two owners and a guest. The guest's invitation goes out the
// moment she is added; "Invite all owners" invites the owners; one of them
// activates while the owner watches the list, which shows it live; the list
// is exported and read back.
test('a household with two owners and a guest, invited and exported', async ({ page, browser }) => {
  await signInAsOwner(page);
  await openClientList(page);
  await addClient(page, 'Hana', 'Holm');
  await page.getByRole('link', { name: 'Hana Holm' }).click();
  await expect(page).toHaveURL(/\/clients\/\d+$/);
  // Her page says which account she is in, and leads there.
  const account = page.getByRole('paragraph').filter({ hasText: 'Owner of the account' });
  await account.getByRole('link', { name: 'Hana Holm' }).click();
  await expect(page).toHaveURL(/\/accounts\/\d+$/);
  await expect(page.getByRole('heading', { name: 'Hana Holm', level: 1 })).toBeVisible();

  // The account gets its family name.
  await page.getByLabel('Account name').fill('The Holm family');
  await page.getByRole('button', { name: 'Save account' }).click();
  await expect(page.getByText('Account saved.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The Holm family', level: 1 })).toBeVisible();

  // A co-owner, then a guest.
  const addForm = page.locator('section', { has: page.getByRole('heading', { name: 'Add a member' }) });
  for (const [first, email, place] of [
    ['Hugo', 'hugo@holm.test', 'Owner'],
    ['Gwen', 'gwen@holm.test', 'Guest'],
  ]) {
    await addForm.getByLabel('First name').fill(first);
    await addForm.getByLabel('Last name').fill('Holm');
    await addForm.getByLabel('Email (optional)').fill(email);
    await addForm.getByLabel('Place').selectOption({ label: place });
    await addForm.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByRole('row', { name: new RegExp(`${first} Holm`) })).toBeVisible();
  }
  await expect(page.getByRole('row', { name: /Gwen Holm/ })).toContainText('Guest');

  // The guest's invitation arrived at once.
  const gwenMail = await mailTo(page, 'gwen@holm.test', 'Activate your Maple Tutoring portal account');
  expect(gwenMail).toMatch(/\/activate\//);

  // The list: one row for the household, its members behind a disclosure.
  await openClientList(page);
  const household = page.getByRole('button', { name: 'The Holm family', exact: true });
  await expect(household).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('row', { name: /The Holm family/ })).toContainText('0 of 3 active');
  await household.click();
  await expect(household).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('row', { name: /Hugo Holm/ })).toBeVisible();

  await page.getByRole('button', { name: 'Invite all owners of The Holm family' }).click();
  await expect(page.getByText(/owner(s)? invited\./)).toBeVisible();
  const hugoMail = await mailTo(page, 'hugo@holm.test', 'Activate your Maple Tutoring portal account');
  const link = hugoMail.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();

  // Hugo activates in his own browser while the list is open.
  await openClientList(page);
  await page.getByRole('button', { name: 'The Holm family', exact: true }).click();
  const hugoRow = page.getByRole('row', { name: /Hugo Holm/ });
  await expect(hugoRow).toBeVisible();
  const hugo = await browser.newContext();
  const hugoPage = await hugo.newPage();
  await hugoPage.goto(link!);
  await hydrated(hugoPage);
  await hugoPage.getByLabel('Choose a password').fill('hugo holds the house');
  await hugoPage.getByRole('button', { name: 'Activate account' }).click();
  await expect(hugoPage).toHaveURL(/\/dashboard$/);
  // His dashboard shows the household and who joined.
  await expect(hugoPage.getByRole('heading', { name: 'Your account: The Holm family' })).toBeVisible();
  await expect(hugoPage.getByRole('listitem').filter({ hasText: 'Gwen Holm' })).toContainText('Not joined yet');
  await hugo.close();

  await expect(hugoRow).toContainText('Active, last login just now');
  await expect(page.getByRole('row', { name: /The Holm family/ })).toContainText('1 of 3 active');
  await expect(page.getByRole('button', { name: 'The Holm family', exact: true })).toHaveAttribute('aria-expanded', 'true');

  // The export, downloaded and read back.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe('Account,First name,Last name,Email,Place,Portal role,Status,Invited at,Activated at,Last login,Access,Plan,Assigned staff');
  const holm = lines.filter((l) => l.startsWith('The Holm family,'));
  expect(holm.map((l) => l.split(',')[1])).toEqual(['Hana', 'Hugo', 'Gwen']);
  expect(holm[1]).toContain(',hugo@holm.test,Owner,Client,Active,');
});
