import { test, expect, type Page } from '@playwright/test';

import { hydrated, signInAsOwner, home } from './support';

// After first-run.spec.ts (files run in name order): the owner exists.

/** Today's date as a date input takes it (the server counts days in UTC). */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The activation link of the newest email to `to`, from the mailbox page in another tab. */
async function linkFor(page: Page, to: string): Promise<string> {
  const mailbox = await page.context().newPage();
  await mailbox.goto('/mailbox');
  const email = mailbox.getByRole('article', { name: `Email to ${to}` }).first();
  const text = (await email.locator('pre').textContent()) ?? '';
  await mailbox.close();
  const link = text.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, `a link in the email to ${to}`).toBeTruthy();
  return link!;
}

test('an admin bulk-invites 25 clients created since a date and watches them go out live', async ({
  page,
  browser,
}) => {
  await signInAsOwner(page);

  // A fresh organization of 25 clients, added without inviting them.
  await page.goto('/organizations/new');
  await hydrated(page);
  await page.getByLabel('Organization name').fill('Birch Swim School');
  await page.getByLabel('Portal address').fill('birch-swim');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(home);
  await page.goto('/settings/invitations');
  await hydrated(page);
  await page.getByLabel('Invite clients as soon as they are added with an email').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Invitations saved.')).toBeVisible();
  for (let i = 1; i <= 25; i++) {
    const created = await page.request.post('/api/create_client', {
      headers: { accept: 'application/json' },
      form: { first_name: 'Swimmer', last_name: `${i}`, email: `swimmer${i}@birch.test`, role: 'client', request_key: `swimmer-${i}` },
    });
    expect(created.ok()).toBeTruthy();
  }

  await page.goto('/clients');
  await hydrated(page);
  await expect(page.getByText('25 accounts', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Swimmer 7\b/ })).toContainText('Not invited');

  await page.getByRole('button', { name: 'Invite in bulk…' }).click();
  await page.getByLabel('Created on or after', { exact: true }).fill(todayUtc());
  await expect(page.getByLabel('Clients created on or after a date')).toBeChecked();
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText('25 will get an activation invitation')).toBeVisible();

  // Another admin adds a client without email meanwhile: the list reloads
  // live, and the preview being read stays (the job will skip that client).
  const added = await page.request.post('/api/create_client', {
    headers: { accept: 'application/json' },
    form: { first_name: 'Walk-in', last_name: 'Swimmer', email: '', role: 'client', request_key: 'walk-in' },
  });
  expect(added.ok()).toBeTruthy();
  await expect(page.getByText('26 accounts', { exact: true })).toBeVisible();
  await expect(page.getByText('25 will get an activation invitation')).toBeVisible();
  await page.getByRole('button', { name: 'Send 25 invitations' }).click();

  // Progress and statuses move without reloading the page.
  const progress = page.getByRole('progressbar', { name: /Progress of “Clients created on or after/ });
  await expect(progress).toHaveAttribute('value', '25');
  await expect(page.getByText(/25 of 25 sent/)).toBeVisible();
  await expect(page.getByText('25 sent, 0 failed, 1 skipped.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Invitation sent just now' })).toHaveCount(25);

  // A client activates in a browser of their own …
  const link = await linkFor(page, 'swimmer7@birch.test');
  const client = await browser.newContext();
  const clientPage = await client.newPage();
  await clientPage.goto(link);
  await hydrated(clientPage);
  await clientPage.getByLabel('Choose a password').fill('seven lengths of crawl');
  await clientPage.getByRole('button', { name: 'Activate account' }).click();
  await expect(clientPage).toHaveURL(/\/dashboard$/);
  await client.close();

  // … and the admin's open list shows it, still without reloading.
  await expect(page.getByRole('row', { name: /Swimmer 7\b/ })).toContainText('Active, last login just now');
  await page.screenshot({ path: test.info().outputPath('bulk-done.png'), fullPage: true });
});
