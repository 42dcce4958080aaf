import { test, expect, type Browser, type Page } from '@playwright/test';

import { hydrated, mailTo, owner, setSignup, signInAsOwner, signupPath } from './support';

// After first-run.spec.ts (files run in name order): the owner exists.

async function signUp(browser: Browser, who: { first: string; last: string; username: string; email: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(signupPath);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: `Sign up to ${owner.org}` })).toBeVisible();
  await page.getByLabel('First name').fill(who.first);
  await page.getByLabel('Last name').fill(who.last);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill('swims every morning');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('status')).toContainText('Check your inbox');
  return page;
}

async function confirmFromLink(visitor: Page, mail: string) {
  const link = mail.match(/https?:\/\/\S+\/signup\/confirm\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, 'a confirmation link').toBeTruthy();
  await visitor.goto(link!);
  await hydrated(visitor);
  await expect(visitor.getByRole('heading', { name: `Confirm your email for ${owner.org}` })).toBeVisible();
  await visitor.getByRole('button', { name: 'Confirm my email' }).click();
}

test.describe.serial('self sign-up', () => {
  test('a visitor signs up, an approver approves, and they reach their dashboard', async ({ page, browser }) => {
    await signInAsOwner(page);
    await setSignup(page, 'Approved by a chosen person');

    const visitor = await signUp(browser, {
      first: 'Vera',
      last: 'Visitor',
      username: 'vera.v',
      email: 'vera@example.test',
    });
    await confirmFromLink(visitor, await mailTo(page, 'vera@example.test', `Confirm your email for ${owner.org}`));
    await expect(visitor.getByRole('status')).toContainText('waits for approval');

    // Waiting: signing in says so.
    await visitor.goto('/login');
    await hydrated(visitor);
    await visitor.getByLabel('Email').fill('vera@example.test');
    await visitor.getByLabel('Password').fill('swims every morning');
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await expect(visitor.getByRole('alert')).toContainText('waiting for approval');

    // The approver was emailed, and approves in the queue.
    const request = await mailTo(page, owner.email, `Vera Visitor asks to join ${owner.org}`);
    expect(request).toContain('/approvals');
    await page.goto('/approvals');
    await hydrated(page);
    await page.getByRole('button', { name: 'Approve Vera Visitor' }).click();
    await expect(page.getByText('1 application decided.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No application is waiting' })).toBeVisible();

    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await expect(visitor).toHaveURL(/\/dashboard$/);
    await expect(visitor.getByRole('heading', { name: 'Hello, Vera Visitor' })).toBeVisible();
    await visitor.context().close();
  });

  test('with automatic approval a confirmed visitor is in at once', async ({ page, browser }) => {
    await signInAsOwner(page);
    await setSignup(page, 'Approved by default: confirmed applicants get in at once');
    const visitor = await signUp(browser, {
      first: 'Otto',
      last: 'Auto',
      username: 'otto',
      email: 'otto@example.test',
    });
    await confirmFromLink(visitor, await mailTo(page, 'otto@example.test', `Confirm your email for ${owner.org}`));
    await expect(visitor).toHaveURL(/\/dashboard$/);
    await expect(visitor.getByRole('heading', { name: 'Hello, Otto Auto' })).toBeVisible();
    await visitor.context().close();

    await page.goto('/clients');
    await expect(page.getByRole('row', { name: /Otto Auto/ })).toContainText('Active, last login just now');
  });
});
