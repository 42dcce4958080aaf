import { defineConfig } from '@playwright/test';

// The browser tests drive Debian's Chromium against the real built server
// (`cargo leptos build`), started fresh with an empty SQLite database.
const port = Number(process.env.PORCHLIGHT_E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: `bash end2end/serve.sh ${port}`,
      cwd: '..',
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    // A second installation that sends its email to a real SMTP server
    // (aiosmtpd), for the stories that read email from the wire.
    {
      command: `bash end2end/serve.sh ${port + 1} smtp`,
      cwd: '..',
      url: `http://127.0.0.1:${port + 1}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
