import { expect, type Page } from '@playwright/test';

/** The owner that the first-run story sets up; later stories sign in as them. */
export const owner = {
  org: 'Maple Tutoring',
  slug: 'maple-tutoring',
  name: 'Mia Maple',
  email: 'mia@maple.test',
  password: 'maple syrup pancakes',
};

// Hydration sets data-hydrated on <html>; clicking before that would land on
// server-rendered HTML with no event handlers.
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/** Signs the owner in and waits for the hydrated client list. */
export async function signInAsOwner(page: Page) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/clients$/);
  await hydrated(page);
}
