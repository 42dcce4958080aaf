import { test, expect } from '@playwright/test';

import { home, hydrated, owner, signInAsOwner } from './support';

// After first-run.spec.ts (files run in name order): the owner exists.

async function savePortal(page: import('@playwright/test').Page, on: boolean, slug: string) {
  await page.goto('/settings/portal');
  await hydrated(page);
  const enabled = page.getByLabel(/Portal enabled/);
  if (on) await enabled.check();
  else await enabled.uncheck();
  await page.getByLabel('Portal address').fill(slug);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Client portal saved.')).toBeVisible();
  await expect(page.getByRole('link', { name: `/o/${slug}` })).toBeVisible();
}

test('the owner closes the portal, opens it at a new address, and visitors see each', async ({ page, browser }) => {
  await signInAsOwner(page);
  await savePortal(page, false, owner.slug);
  await page.goto('/clients');
  await expect(page.getByText('The client portal is off')).toBeVisible();

  // A visitor at the front door is told, and offered no form.
  const visitor = await browser.newContext();
  const door = await visitor.newPage();
  await door.goto(`/o/${owner.slug}`);
  await expect(door.getByRole('heading', { name: `The ${owner.org} portal is closed for now` })).toBeVisible();
  await expect(door.getByLabel('Password')).toHaveCount(0);

  // On again, at a new address: the old one leads there.
  await savePortal(page, true, 'maple');
  await door.goto(`/o/${owner.slug}`);
  await expect(door).toHaveURL(/\/o\/maple$/);
  await expect(door.getByRole('heading', { name: `Sign in to ${owner.org}` })).toBeVisible();
  await door.screenshot({ path: test.info().outputPath('front-door.png'), fullPage: true });
  await hydrated(door);
  await door.getByLabel('Email').fill(owner.email);
  await door.getByLabel('Password').fill(owner.password);
  await door.getByRole('button', { name: 'Sign in' }).click();
  await expect(door).toHaveURL(home);
  await visitor.close();

  // The organization takes its first address back (the later stories use it).
  await savePortal(page, true, owner.slug);
});
