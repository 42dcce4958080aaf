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

/** Where staff land after signing in: the overview, `/`. */
export const home = /:\d+\/$/;

/** Opens the client list and waits until it is interactive. */
export async function openClientList(page: Page) {
  await page.goto('/clients');
  await hydrated(page);
}

/** Signs the owner in and waits for the hydrated overview. */
export async function signInAsOwner(page: Page) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(home);
  await hydrated(page);
}

/** The owner's public sign-up page. */
export const signupPath = `/o/${owner.slug}/signup`;

/** Opens sign-up to clients, approved as `approval` says (the owner is the approver). */
export async function setSignup(page: Page, approval: 'Approved by default: confirmed applicants get in at once' | 'Approved by a chosen person') {
  await page.goto('/settings/signup');
  await hydrated(page);
  await page.getByLabel('Who may sign up').selectOption({ label: 'Open to clients' });
  await page.getByLabel('Approval').selectOption({ label: approval });
  await page.getByRole('checkbox', { name: owner.name }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Sign-up saved.')).toBeVisible();
  await expect(page.getByRole('link', { name: signupPath })).toBeVisible();
}

/** The newest email to `to` in the development mailbox, as text. */
export async function mailTo(page: Page, to: string, subject: string | RegExp): Promise<string> {
  await page.goto('/mailbox');
  const email = page.getByRole('article', { name: `Email to ${to}` }).first();
  await expect(email.getByRole('heading')).toHaveText(subject);
  return (await email.locator('pre').textContent()) ?? '';
}

/** Adds a client from the client list's form (signed in as staff), with an email or without. */
export async function addClient(page: Page, first: string, last: string, email?: string) {
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  if (email) await page.getByLabel('Email (optional)').fill(email);
  await page.getByRole('button', { name: 'Add client' }).click();
}
