import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { hydrated, signInAsOwner, signupPath } from './support';

// Runs after the other stories: the portal holds clients in every state,
// bulk jobs, applications and email by now.

const widths = [390, 1280];

/** Checks the open page at both widths: no sideways scrolling, no serious
 * or critical accessibility fault (axe-core, WCAG 2.1 A and AA), and a
 * full-page screenshot attached to the report. */
async function checkPage(page: Page, path: string, label: string, info: TestInfo) {
  await page.setViewportSize({ width: widths[0], height: 900 });
  await page.goto(path);
  await hydrated(page);
  // Let the page's data arrive before measuring (live pages keep a
  // connection open, so the network is never idle).
  await expect(page.locator('.loading')).toHaveCount(0);
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const { scroll, viewport } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(scroll, `${label} at ${width} px scrolls sideways`).toBe(viewport);
    // The mailbox's emails, each in its own frame, are email, not page:
    // their HTML is checked by the snapshot tests.
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .exclude('iframe')
      .analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious, `${label} at ${width} px`).toEqual([]);
    // Kept in end2end/test-results/ after the run (not committed).
    const file = info.outputPath(`${label.replace(/[^A-Za-z0-9]+/g, '-')}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await info.attach(`${label} ${width}px`, { path: file, contentType: 'image/png' });
  }
}

/** Tabs forward until `target` has the focus (at most `max` presses). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with the keyboard`);
}

/** A new client of Maple Tutoring who reads `language`, her invitation
 * link, and a browser of her own (closed by the caller). */
async function invitedClient(page: Page, browser: Browser, language: string) {
  const email = `dana.${language}@maple.test`;
  const created = await page.request.post('/api/create_client', {
    headers: { accept: 'application/json' },
    form: { first_name: 'Dana', last_name: language, email, role: 'client', language, request_key: `dana-${language}` },
  });
  expect(created.ok()).toBeTruthy();
  await page.goto('/mailbox');
  const mail = page.locator('ul.mailbox article').filter({ hasText: email }).first();
  const text = (await mail.locator('pre').textContent()) ?? '';
  const link = text.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)![0];
  const context = await browser.newContext({ locale: language });
  const client = await context.newPage();
  return { context, client, link };
}

for (const language of ['en', 'fr'] as const) {
  test(`every page fits a phone and a laptop and passes axe (${language})`, async ({ page, browser }, info) => {
    test.setTimeout(300_000);
    await signInAsOwner(page);
    await chooseLanguage(page, language);
    try {
      await everyPage(page, browser, language, info);
    } finally {
      await chooseLanguage(page, 'en');
    }
  });
}

/** The owner's own language, kept on their account. */
async function chooseLanguage(page: Page, language: string) {
  const chosen = await page.request.post('/api/choose_language', {
    headers: { accept: 'application/json' },
    form: { language },
  });
  expect(chosen.ok()).toBeTruthy();
}

async function everyPage(page: Page, browser: Browser, language: 'en' | 'fr', info: TestInfo) {
  {
    const someClient = await page.request.post('/api/list_clients', {
      headers: { accept: 'application/json' },
      form: { page: '1' },
    });
    const firstAccount = (await someClient.json()).rows[0];
    const imports = await page.request.post('/api/list_imports', { headers: { accept: 'application/json' } });
    const importIds: number[] = (await imports.json()).map((i: { id: number }) => i.id);
    const staffPages = [
      '/',
      '/clients',
      `/clients/${firstAccount.members[0].id}`,
      `/accounts/${firstAccount.id}`,
      '/clients/import',
      ...importIds.slice(0, 1).map((id) => `/clients/import/${id}`),
      '/invitations',
      '/approvals',
      '/audit',
      '/settings/invitations',
      '/settings/branding',
      '/settings/passwords',
      '/settings/signup',
      '/settings/language',
      '/settings/plans',
      '/mailbox',
      '/organizations/new',
    ];
    for (const path of staffPages) {
      await checkPage(page, path, `${language} staff ${path}`, info);
    }
    await expect(page.locator('html')).toHaveAttribute('lang', language);

    // A client's pages: activation and the dashboard.
    const { context, client, link } = await invitedClient(page, browser, language);
    await checkPage(client, new URL(link).pathname, `${language} activate`, info);
    await expect(client.locator('html')).toHaveAttribute('lang', language);
    await client.getByLabel(language === 'en' ? 'Choose a password' : 'Choisissez un mot de passe').fill('dana reads every page');
    await client.locator('form button[type=submit]').click();
    await expect(client).toHaveURL(/\/dashboard$/);
    await checkPage(client, '/dashboard', `${language} dashboard`, info);
    await expect(client.locator('html')).toHaveAttribute('lang', language);
    await context.close();

    // Signed out, in a browser that asks for the language.
    const visitor = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'fr-CA' });
    const v = await visitor.newPage();
    for (const path of ['/login', '/forgot', signupPath, '/reset/not-a-real-link', '/signup/waiting', '/no-such-page']) {
      await checkPage(v, path, `${language} signed out ${path}`, info);
    }
    // (In the browser's language when the installation has several
    // organizations, as it has once french.spec.ts ran; else in the only
    // organization's.)
    await visitor.close();
  }
}

test('at a phone\'s width the navigation hides behind a menu button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signInAsOwner(page);
  await page.goto('/');
  await hydrated(page);
  const menu = page.getByRole('button', { name: 'Menu' });
  const clients = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(clients).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await clients.click();
  await expect(page).toHaveURL(/\/clients$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  // Touch targets: every button and the menu's links are at least 44 px high.
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, .topbar a')]
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => el.textContent?.trim()),
  );
  expect(small).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(clients).toBeVisible();
});

test('the overview shows the funnel, the weeks and what needs attention', async ({ page }, info) => {
  await signInAsOwner(page);
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Onboarding' })).toBeVisible();
  await expect(page.locator('.funnel-steps li')).toHaveCount(3);
  // The chart's numbers are in a table for screen readers.
  await expect(page.getByRole('table', { name: 'Invitations per week' }).getByRole('row')).toHaveCount(13);
  await expect(page.getByRole('heading', { name: 'Needs attention' })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: test.info().outputPath('overview.png'), fullPage: true });
  await info.attach('overview', { path: test.info().outputPath('overview.png'), contentType: 'image/png' });

  // Live: a client added elsewhere moves the funnel without a reload.
  const created = page.locator('.funnel-steps li').first().locator('.figure');
  const before = Number((await created.textContent())!.replace(/\D/g, ''));
  const added = await page.request.post('/api/create_client', {
    headers: { accept: 'application/json' },
    form: { first_name: 'Live', last_name: 'Funnel', email: '', role: 'client', request_key: 'live-funnel' },
  });
  expect(added.ok()).toBeTruthy();
  await expect(created).toHaveText((before + 1).toLocaleString('en-US'));
});

test('without a mouse: add a client, invite, open them, disable their access', async ({ page }) => {
  await signInAsOwner(page);
  await page.goto('/clients');
  await hydrated(page);
  await tabTo(page, page.getByLabel('First name'));
  await page.keyboard.type('Kim');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Keys');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim.keys@maple.test');
  await tabTo(page, page.getByRole('button', { name: 'Add client' }));
  await page.keyboard.press('Enter');
  // Added: said in the live region, the form emptied, the cursor back at the start.
  await expect(page.locator('.notices').getByText('Client added.')).toBeVisible();
  await expect(page.getByLabel('First name')).toBeFocused();
  await expect(page.getByLabel('First name')).toHaveValue('');
  await expect(page.getByLabel('Email (optional)')).toHaveValue('');

  await tabTo(page, page.getByRole('link', { name: 'Open their page' }), 80);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Kim Keys' })).toBeVisible();
  await hydrated(page);
  await tabTo(page, page.getByRole('button', { name: /invitation/ }));
  await page.keyboard.press('Enter');
  await expect(page.locator('.notices')).toContainText('Invitation queued.');
  await tabTo(page, page.getByRole('switch', { name: 'Portal access for Kim Keys' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('.notices')).toContainText('Portal access disabled');
  await expect(page.locator('h1 + p .status')).toHaveText(/Disabled/);
});

test('a double click on Add client adds the client once', async ({ page }) => {
  await signInAsOwner(page);
  await page.goto('/clients');
  await hydrated(page);
  await page.getByLabel('First name').fill('Dot');
  await page.getByLabel('Last name').fill('Twice');
  await page.getByRole('button', { name: 'Add client' }).dblclick();
  await expect(page.getByText('Client added.')).toBeVisible();
  await page.goto('/clients?q=Twice');
  await hydrated(page);
  await expect(page.getByRole('row', { name: /Dot Twice/ })).toHaveCount(1);
});

test('the same client list in the dark', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await signInAsOwner(page);
  await page.goto('/clients');
  await hydrated(page);
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(background).not.toBe('rgb(245, 247, 250)');
  const results = await new AxeBuilder({ page }).withTags(['wcag2aa']).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await context.close();
});

