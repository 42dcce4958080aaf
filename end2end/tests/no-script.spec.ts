import { test, expect, type Browser, type Page } from '@playwright/test';

import { addClient, hydrated, mailTo, openClientList, setSignup, signInAsOwner, signupPath } from './support';

// The public pages work before the wasm arrives (a slow phone, a script
// blocker): with JavaScript off, every form is a plain HTML form post, and
// the server answers with the next page, or the same page with the error at
// its field. After first-run.spec.ts (files run in name order).

async function withoutScripts(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

function link(mail: string, path: string): string {
  const found = mail.match(new RegExp(`https?://\\S+/${path}/[A-Za-z0-9_-]+`))?.[0];
  expect(found, `a ${path} link`).toBeTruthy();
  return found!;
}

test.describe.serial('without JavaScript', () => {
  test('a crafted address cannot put words on a page', async ({ browser }) => {
    // A refusal whose value (an organization's name) carries the crafted words.
    const problem = { problem: 'access_disabled_at', organization: 'Your account is locked. Call +1 555 0100.' };
    const json = JSON.stringify({ Invalid: [{ field: 'password', problem }] });
    const err = Buffer.from(json).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const page = await withoutScripts(browser);
    await page.goto(`/login?__path=%2Fapi%2Flogin&__err=${encodeURIComponent(err)}`);
    await expect(page.locator('#field-password-error')).toHaveText('Check this field and try again.');
    await expect(page.getByText('555 0100')).toHaveCount(0);
  });

  test('a client activates, signs out, signs in, and resets a forgotten password', async ({ page, browser }) => {
    await signInAsOwner(page);
    await openClientList(page);
    await addClient(page, 'Nora', 'Noscript', 'nora@example.test');
    await expect(page.getByRole('row', { name: /Nora Noscript/ })).toContainText('Invitation sent');
    const invitation = await mailTo(page, 'nora@example.test', 'Activate your Maple Tutoring portal account');

    const nora = await withoutScripts(browser);
    await nora.goto(link(invitation, 'activate'));
    await nora.getByLabel('Choose a password').fill('short');
    await nora.getByRole('button', { name: 'Activate account' }).click();
    // The error comes back in the page's address, which anyone could write:
    // the field shows fixed words, and its hint says the rule.
    await expect(nora.locator('#field-password-error')).toHaveText('Check this field and try again.');
    await nora.getByLabel('Choose a password').fill('nora reads without scripts');
    await nora.getByRole('button', { name: 'Activate account' }).click();
    await expect(nora).toHaveURL(/\/dashboard$/);
    await expect(nora.getByRole('heading', { name: 'Hello, Nora Noscript' })).toBeVisible();

    await nora.getByRole('button', { name: 'Sign out' }).click();
    await expect(nora).toHaveURL(/\/login$/);
    await nora.getByLabel('Email').fill('nora@example.test');
    await nora.getByLabel('Password').fill('not her password at all');
    await nora.getByRole('button', { name: 'Sign in' }).click();
    await expect(nora.getByText('Incorrect email or password.')).toBeVisible();
    await nora.getByLabel('Email').fill('nora@example.test');
    await nora.getByLabel('Password').fill('nora reads without scripts');
    await nora.getByRole('button', { name: 'Sign in' }).click();
    await expect(nora).toHaveURL(/\/dashboard$/);

    await nora.getByRole('button', { name: 'Sign out' }).click();
    await nora.getByRole('link', { name: 'Forgot your password?' }).click();
    await nora.getByLabel('Email').fill('nora@example.test');
    await nora.getByRole('button', { name: 'Email me a link' }).click();
    await expect(nora.getByRole('status')).toHaveText(
      'If an account uses this address, we have sent it an email with what to do next.',
    );
    const reset = await mailTo(page, 'nora@example.test', 'Reset your password for Maple Tutoring');
    await nora.goto(link(reset, 'reset'));
    await nora.getByLabel('New password').fill('nora forgot and came back');
    await nora.getByRole('button', { name: 'Set new password' }).click();
    await expect(nora).toHaveURL(/\/dashboard$/);
    await expect(nora.getByRole('heading', { name: 'Hello, Nora Noscript' })).toBeVisible();
  });

  test('a visitor signs up and confirms their email', async ({ page, browser }) => {
    await signInAsOwner(page);
    await setSignup(page, 'Approved by a chosen person');

    const visitor = await withoutScripts(browser);
    await visitor.goto(signupPath);
    // A plain form post comes back without the values typed: each try fills
    // the form again.
    const fill = async (password: string) => {
      await visitor.getByLabel('First name').fill('Olga');
      await visitor.getByLabel('Last name').fill('Offline');
      await visitor.getByLabel('Username').fill('olga');
      await visitor.getByLabel('Email').fill('olga@example.test');
      await visitor.getByLabel('Password').fill(password);
      await visitor.getByRole('button', { name: 'Sign up' }).click();
    };
    await fill('short');
    await expect(visitor.locator('#field-password-error')).toHaveText('Check this field and try again.');
    await fill('olga never runs scripts');
    await expect(visitor.getByRole('status')).toContainText('Check your inbox');

    const confirm = await mailTo(page, 'olga@example.test', 'Confirm your email for Maple Tutoring');
    await visitor.goto(link(confirm, 'signup/confirm'));
    await visitor.getByRole('button', { name: 'Confirm my email' }).click();
    await expect(visitor.getByRole('status')).toContainText('waits for approval');

    // Once approved (the owner's page has its scripts), Olga signs in.
    await page.goto('/approvals');
    await hydrated(page);
    await page.getByRole('button', { name: 'Approve Olga Offline' }).click();
    await expect(page.getByText('1 application decided.')).toBeVisible();
    await visitor.goto('/login');
    await visitor.getByLabel('Email').fill('olga@example.test');
    await visitor.getByLabel('Password').fill('olga never runs scripts');
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await expect(visitor).toHaveURL(/\/dashboard$/);
    await expect(visitor.getByRole('heading', { name: 'Hello, Olga Offline' })).toBeVisible();
  });
});
