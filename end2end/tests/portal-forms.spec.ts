import { expect, test } from '@playwright/test';
import { addClient, hydrated, mailTo, openClientList, signInAsOwner } from './support';

// After first-run.spec.ts (files run in name order): the owner exists and
// invites new clients at once.

test('an invitation sent with a form: the client activates, fills it in with a file, and staff read the answers', async ({ page, browser }) => {
  await signInAsOwner(page);

  // Settings → Forms: a form with a required question and a file.
  await page.goto('/settings/forms');
  await hydrated(page);
  await page.getByRole('link', { name: 'New form' }).click();
  await expect(page).toHaveURL(/\/settings\/forms\/new$/);
  await hydrated(page);
  await page.getByLabel('Title').fill('Welcome questions');
  await page.getByLabel('Question 1').fill('Which school does your child attend?');
  await page.getByLabel('An answer is required').check();
  await page.getByRole('button', { name: 'Add a question' }).click();
  await page.getByLabel('Question 2').fill('Latest report card');
  await page.locator('#field-1-kind').selectOption('file');
  await page.getByRole('button', { name: 'Save the form' }).click();
  await expect(page).toHaveURL(/\/settings\/forms\/\d+\?saved=1$/);
  await expect(page.getByText('The form is saved.')).toBeVisible();

  // A new client, invited again with the form.
  await openClientList(page);
  await addClient(page, 'Fern', 'Form', 'fern@form.test');
  await page.getByRole('link', { name: 'Fern Form' }).click();
  await hydrated(page);
  await page.getByLabel('Form to send with the invitation').selectOption({ label: 'Welcome questions' });
  await page.getByRole('button', { name: 'Resend invitation' }).click();
  const mail = await mailTo(page, 'fern@form.test', 'Activate your Maple Tutoring portal account');
  expect(mail).toContain('A form is waiting for you: "Welcome questions"');
  const link = mail.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();

  // Fern activates and lands on the form.
  const context = await browser.newContext();
  const fern = await context.newPage();
  await fern.goto(link!);
  await hydrated(fern);
  await fern.getByLabel('Choose a password').fill('fern fills forms');
  await fern.getByRole('button', { name: 'Activate account' }).click();
  await expect(fern).toHaveURL(/\/forms\/\d+$/);
  await hydrated(fern);
  await expect(fern.getByRole('heading', { name: 'Welcome questions' })).toBeVisible();

  // Submitting too early says what is missing, at the question.
  await fern.getByRole('button', { name: 'Submit' }).click();
  await expect(fern.getByText('This question needs an answer.').first()).toBeVisible();

  // A draft first, then the file, then the whole.
  await fern.getByLabel(/Which school does your child attend\?/).fill('Maple Elementary');
  await fern.getByRole('button', { name: 'Save a draft' }).click();
  await expect(fern.getByText('Your answers are saved.')).toBeVisible();
  await fern.getByLabel(/Latest report card/).setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% report\n%%EOF\n') });
  await fern.getByRole('button', { name: 'Send this file' }).click();
  await expect(fern.getByText('Given: report.pdf')).toBeVisible();
  await hydrated(fern);
  await expect(fern.getByLabel(/Which school does your child attend\?/)).toHaveValue('Maple Elementary');
  await fern.getByRole('button', { name: 'Submit' }).click();
  await expect(fern.getByText(/^Submitted .*Thank you\.$/)).toBeVisible();
  await context.close();

  // The owner reads the answers on Fern's page.
  await openClientList(page);
  await expect(page.getByRole('row', { name: /Fern Form/ })).toContainText('Form Welcome questions: submitted on');
  await page.getByRole('link', { name: 'Fern Form' }).click();
  const answers = page.getByRole('article', { name: 'Welcome questions' });
  await expect(answers).toContainText('Maple Elementary');
  await expect(answers.getByRole('link', { name: 'report.pdf' })).toBeVisible();
});
