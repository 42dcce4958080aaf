import { test, expect } from '@playwright/test';

import { addClient, home, hydrated, openClientList, owner, signInAsOwner } from './support';

// Runs first (files run in name order): it sets the installation up.
test.describe.serial('first run', () => {
  test('setup explains each bad field next to it', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/setup$/);
    await hydrated(page);
    await page.getByLabel('Organization name').fill(owner.org);
    await page.getByLabel('Portal address').fill('Maple Tutoring');
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email', { exact: true }).fill(owner.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create organization' }).click();

    await expect(page.getByRole('alert')).toHaveText('Please correct the highlighted fields.');
    const slug = page.getByLabel('Portal address');
    await expect(slug).toHaveAttribute('aria-invalid', 'true');
    await expect(slug).toHaveAccessibleDescription(/Use lowercase letters, digits and hyphens/);
    await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/Use at least 10 characters/);
    await expect(page.getByLabel('Organization name')).toHaveAttribute('aria-invalid', 'false');
  });

  test('an owner sets up, signs out, and signs back in', async ({ page }) => {
    await page.goto('/setup');
    await hydrated(page);
    await page.getByLabel('Organization name').fill(owner.org);
    await page.getByLabel('Portal address').fill(owner.slug);
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email', { exact: true }).fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Create organization' }).click();

    await expect(page).toHaveURL(home);
    await expect(page.getByRole('banner')).toContainText(owner.org);
    await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await hydrated(page);

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
    await expect(page).toHaveURL(/\/login$/);

    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(home);
    await expect(page.getByRole('banner')).toContainText(owner.org);
    await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('clients-empty.png'), fullPage: true });
  });

  test('setup is gone once done, and signed-out visitors are sent to sign in', async ({ page }) => {
    await page.goto('/setup');
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/clients');
    await expect(page).toHaveURL(/\/login\?next=%2Fclients$/);
  });

  test('an admin invites a client, who activates from the emailed link', async ({ page, browser }) => {
    await signInAsOwner(page);
    await openClientList(page);

    await addClient(page, 'Ada', 'Lovelace', 'ada@example.test');
    const row = page.getByRole('row', { name: /Ada Lovelace/ });
    await expect(row).toContainText('Invitation sent just now');

    // The development mailbox holds the email, with its link.
    await page.goto('/mailbox');
    const email = page.getByRole('article', { name: 'Email to ada@example.test' });
    await expect(email.getByRole('heading')).toHaveText('Activate your Maple Tutoring portal account');
    const text = (await email.locator('pre').textContent()) ?? '';
    const link = text.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();

    // The client, in a browser of their own.
    const client = await browser.newContext();
    const clientPage = await client.newPage();
    await clientPage.goto(link!);
    await expect(clientPage.getByRole('heading', { name: 'Welcome to Maple Tutoring' })).toBeVisible();
    await hydrated(clientPage);
    await clientPage.getByLabel('Choose a password').fill('ada counts engines');
    await clientPage.getByRole('button', { name: 'Activate account' }).click();
    await expect(clientPage).toHaveURL(/\/dashboard$/);
    await expect(clientPage.getByRole('heading', { name: 'Hello, Ada Lovelace' })).toBeVisible();
    await client.close();

    await page.goto('/clients');
    await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toContainText('Active, last login just now');
    await page.screenshot({ path: test.info().outputPath('clients.png'), fullPage: true });
  });

  test('a disabled client cannot sign in', async ({ page, browser }) => {
    await signInAsOwner(page);
    await openClientList(page);
    const access = page.getByRole('switch', { name: 'Portal access for Ada Lovelace' });
    await expect(access).toHaveAttribute('aria-checked', 'true');
    await expect(access).toHaveText('Access on');
    await access.click();
    await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toContainText('Disabled');
    await expect(access).toHaveAttribute('aria-checked', 'false');
    await expect(access).toHaveText('Access off');

    const client = await browser.newContext();
    const clientPage = await client.newPage();
    await clientPage.goto('/login');
    await hydrated(clientPage);
    await clientPage.getByLabel('Email').fill('ada@example.test');
    await clientPage.getByLabel('Password').fill('ada counts engines');
    await clientPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(clientPage.getByRole('alert')).toHaveText(
      'Your access to Maple Tutoring is disabled. Contact them if you think this is a mistake.',
    );
    await client.close();
  });

  test('a client added without email gets an invitation once the email is known', async ({ page }) => {
    await signInAsOwner(page);
    await openClientList(page);
    await addClient(page, 'Grace', 'Hopper');
    await expect(page.getByRole('row', { name: /Grace Hopper/ })).toContainText('No email');

    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await expect(page.getByRole('heading', { name: 'Grace Hopper' })).toBeVisible();
    await page.getByLabel('Email', { exact: true }).fill('grace@example.test');
    await page.getByRole('button', { name: 'Save email' }).click();
    await expect(page.getByText('Not invited')).toBeVisible();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expect(page.getByText('Invitation sent just now')).toBeVisible();
    const timeline = page.getByRole('list', { name: 'Timeline, newest first' });
    await expect(timeline).toContainText('accepted by the mail server');
    await expect(timeline).toContainText('Email changed to grace@example.test by Mia Maple');
    await page.screenshot({ path: test.info().outputPath('client-detail.png'), fullPage: true });
  });
});
