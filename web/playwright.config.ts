import { defineConfig } from "@playwright/test";

import type { WorkerOptions } from "./e2e/support/fixtures";

// Browser tests of the app against the real certif server (see e2e/README.md). Debian's Chromium,
// never Playwright's own browser download.
export default defineConfig<unknown, WorkerOptions>({
  testDir: "./e2e",
  // The journey moves its server's clock: it runs on a certif of its own, and first, since it is
  // the longest test (the other worker meanwhile runs the specs sharing the common server).
  projects: [
    { name: "journey", testMatch: "journey.spec.ts", use: { ownServer: true } },
    { name: "pages", testMatch: "**/*.spec.ts", testIgnore: "journey.spec.ts" },
  ],
  globalSetup: "./e2e/global-setup.ts",
  // The two cores are shared by certif, its PostgreSQL and the browser: two workers at most.
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    browserName: "chromium",
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
