import { test, expect } from '@playwright/test';

import { hydrated, signInAsOwner, home } from './support';

// An organization that writes in French: its staff pages, the invitation,
// the activation page and the client list's statuses are all in French,
// whatever the browsers ask for. It is a second organization of the owner,
// so the English stories that follow keep theirs.
test('a French organization invites a client who activates, all in French', async ({ page, browser }) => {
  // A page hydrated in another language than the server wrote it in would
  // log errors here. Not kept: a refused form's 422 (the browser's own
  // line) and the mailbox's sandboxed email frames, where scripts are
  // blocked on purpose.
  const errors: string[] = [];
  const expected = [/^Failed to load resource/, /^Blocked script execution in 'about:srcdoc'/];
  const keep = (m: { type(): string; text(): string }) => {
    if (m.type() === 'error' && !expected.some((e) => e.test(m.text()))) errors.push(m.text());
  };
  page.on('console', keep);
  await signInAsOwner(page);
  await page.goto('/organizations/new');
  await hydrated(page);
  await page.getByLabel('Organization name').fill('École Érable');
  await page.getByLabel('Portal address').fill('ecole-erable');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(home);
  await expect(page.getByRole('banner')).toContainText('École Érable');

  await page.goto('/settings/language');
  await hydrated(page);
  await page.getByLabel('Language of emails and pages').selectOption({ label: 'Français' });
  await page.getByLabel('Time zone').fill('America/Toronto');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Language and time saved.')).toBeVisible();

  // From the next page on, the owner reads this organization in French.
  await page.goto('/clients');
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { name: 'Aucun client pour l\'instant' })).toBeVisible();
  await page.getByLabel('Prénom').fill('Zoé');
  await page.getByLabel('Nom de famille').fill('Tremblay');
  await page.getByLabel('Courriel (facultatif)').fill('zoe@example.test');
  await page.getByRole('button', { name: 'Ajouter le client' }).click();
  const row = page.getByRole('row', { name: /Zoé Tremblay/ });
  await expect(row).toContainText('Invitation envoyée à l\'instant');

  await page.goto('/mailbox');
  const email = page.getByRole('article', { name: 'Courriel à zoe@example.test' });
  await expect(email.getByRole('heading')).toHaveText('Activez votre compte sur le portail École Érable');
  const text = (await email.locator('pre').textContent()) ?? '';
  expect(text).toContain('Bonjour Zoé');
  const link = text.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();

  // The client's browser asks for English; the page follows the organization.
  const client = await browser.newContext({ locale: 'en-US' });
  const clientPage = await client.newPage();
  clientPage.on('console', keep);
  await clientPage.goto(link!);
  await expect(clientPage.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(clientPage.getByRole('heading', { name: 'Bienvenue chez École Érable' })).toBeVisible();
  await hydrated(clientPage);
  await clientPage.getByLabel('Choisissez un mot de passe').fill('court');
  await clientPage.getByRole('button', { name: 'Activer le compte' }).click();
  await expect(clientPage.getByLabel('Choisissez un mot de passe')).toHaveAccessibleDescription(
    /Utilisez au moins 10 caractères/,
  );
  await clientPage.getByLabel('Choisissez un mot de passe').fill('zoé compte les érables');
  await clientPage.getByRole('button', { name: 'Activer le compte' }).click();
  await expect(clientPage).toHaveURL(/\/dashboard$/);
  await expect(clientPage.getByRole('heading', { name: 'Bonjour, Zoé Tremblay' })).toBeVisible();

  // Her own choice of language, kept on her account, comes before the
  // organization's.
  await hydrated(clientPage);
  await clientPage.getByLabel('Langue').selectOption({ label: 'English' });
  await clientPage.getByRole('button', { name: 'Changer de langue' }).click();
  await expect(clientPage.getByRole('heading', { name: 'Hello, Zoé Tremblay' })).toBeVisible();
  await expect(clientPage.locator('html')).toHaveAttribute('lang', 'en');
  await client.close();

  // Signing in from a sign-in page in another language (her browser asks
  // for French, and there are two organizations): the page she lands on is
  // in her own choice, loaded whole, not the sign-in page's language.
  const again = await browser.newContext({ locale: 'fr-CA' });
  const againPage = await again.newPage();
  againPage.on('console', keep);
  await againPage.goto('/login');
  await expect(againPage.locator('html')).toHaveAttribute('lang', 'fr');
  await hydrated(againPage);
  await againPage.getByLabel('Courriel').fill('zoe@example.test');
  await againPage.getByLabel('Mot de passe').fill('zoé compte les érables');
  await againPage.getByRole('button', { name: 'Se connecter' }).click();
  await expect(againPage).toHaveURL(/\/dashboard$/);
  await expect(againPage.getByRole('heading', { name: 'Hello, Zoé Tremblay' })).toBeVisible();
  await expect(againPage.locator('html')).toHaveAttribute('lang', 'en');
  await again.close();

  await page.goto('/clients');
  await expect(page.getByRole('row', { name: /Zoé Tremblay/ })).toContainText(
    'Actif, dernière connexion à l\'instant',
  );
  await page.screenshot({ path: test.info().outputPath('clients-fr.png'), fullPage: true });
  expect(errors).toEqual([]);
});
