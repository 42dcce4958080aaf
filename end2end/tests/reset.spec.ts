import * as fs from 'node:fs';
import * as path from 'node:path';

import { test, expect, type Page } from '@playwright/test';

import { hydrated, home } from './support';

// Runs against the second installation (playwright.config.ts), whose email
// goes to a real SMTP server; its messages land in end2end/.mail-<port>/.
const port = Number(process.env.PORCHLIGHT_E2E_PORT ?? 3100) + 1;
const mailDir = path.join(__dirname, '..', `.mail-${port}`);
test.use({ baseURL: `http://127.0.0.1:${port}` });

const admin = {
  email: 'rhea@river.test',
  password: 'river stones everywhere',
  newPassword: 'new river stones all over',
};

/** The newest message the SMTP server accepted for `to`, quoted-printable undone. */
async function newestMailTo(to: string): Promise<string> {
  let found = '';
  await expect
    .poll(() => {
      const files = fs.existsSync(mailDir)
        ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'))
        : [];
      files.sort((a, b) => parseInt(a) - parseInt(b));
      for (const f of files.reverse()) {
        const raw = fs.readFileSync(path.join(mailDir, f), 'utf8');
        if (raw.includes(`To: ${to}`) && raw.includes('/reset/')) {
          found = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          return true;
        }
      }
      return false;
    }, { timeout: 15_000 })
    .toBe(true);
  return found;
}

async function signIn(page: Page, password: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a forgotten password is reset from an email sent over SMTP', async ({ page }) => {
  await page.goto('/setup');
  await hydrated(page);
  await page.getByLabel('Organization name').fill('River School');
  await page.getByLabel('Portal address').fill('river-school');
  await page.getByLabel('Your name').fill('Rhea River');
  await page.getByLabel('Email', { exact: true }).fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(home);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot$/);
  await hydrated(page);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'If an account uses this address, we have sent it an email with what to do next.',
  );

  const mail = await newestMailTo(admin.email);
  expect(mail).toContain('Subject: Reset your password for River School');
  const link = mail.match(/https?:\/\/\S+\/reset\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await hydrated(page);
  await page.getByLabel('New password').fill(admin.newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(home);
  await expect(page.getByRole('banner')).toContainText('River School');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, admin.password);
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await signIn(page, admin.newPassword);
  await expect(page).toHaveURL(home);
});
