// The fixtures every spec uses. Each test gets fresh browser contexts on the shared server (or,
// with the `ownServer` option, on a server of its own: for tests that move the clock).
// Every context records Content-Security-Policy violations (the `securitypolicyviolation` event,
// from an init script, and the console's CSP errors) and uncaught page errors: any of them fails
// the test that caused it.

import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";

import { removeRunDir, startCertif } from "./certif-server.mjs";
import { GraphQLClient } from "./graphql.mjs";
import { prepareWorld, readWorld, type CalendarDays, type World } from "./world.mjs";

export { expect };

/** What went wrong in the pages of one context. */
export class PageProblems {
  readonly problems: string[] = [];

  add(problem: string) {
    this.problems.push(problem);
  }

  /** Forgets what was recorded (for a test that provokes a violation on purpose). */
  take(): string[] {
    return this.problems.splice(0, this.problems.length);
  }
}

declare global {
  interface Window {
    __certifReportViolation?: (violation: Record<string, unknown>) => Promise<void>;
  }
}

/** Starts recording CSP violations and page errors in every page of `context`. */
export async function watchContext(context: BrowserContext): Promise<PageProblems> {
  const problems = new PageProblems();
  await context.exposeBinding("__certifReportViolation", (_source, violation: Record<string, unknown>) => {
    problems.add(
      `CSP violation on ${violation.documentURI}: ${violation.effectiveDirective} blocked ` +
        `${violation.blockedURI || "(inline)"} at ${violation.sourceFile ?? "?"}:${violation.lineNumber ?? "?"}` +
        (violation.sample ? ` — « ${violation.sample} »` : ""),
    );
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      void window.__certifReportViolation?.({
        documentURI: event.documentURI,
        effectiveDirective: event.effectiveDirective,
        blockedURI: event.blockedURI,
        sourceFile: event.sourceFile,
        lineNumber: event.lineNumber,
        sample: event.sample,
      });
    });
  });
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error" && /Content[ -]Security[ -]Policy/i.test(message.text())) {
        problems.add(`CSP error in the console of ${page.url()}: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.add(`Uncaught error in ${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return problems;
}

/** Fails when a context recorded a problem (after letting late reports arrive). */
async function expectNoProblems(problems: PageProblems, what: string) {
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(problems.problems, `${what}: no CSP violation nor uncaught error`).toEqual([]);
}

type TestFixtures = {
  /** What the default context's pages recorded. */
  pageProblems: PageProblems;
  /** Another browser (a second candidate): same options, also watched, closed at the end. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  /** The équipe animation, through the API. */
  admin: GraphQLClient;
};

/** A certif server of a spec's own: for tests that move its clock. */
export type OwnServer = {
  /** More settings of the server (e.g. a cron schedule), on top of the harness's. */
  env?: Record<string, string>;
  /** The test session's calendar, in days. */
  calendar?: CalendarDays;
};

export type WorkerOptions = {
  /** Run these tests on a server of their own (null: the shared one). */
  ownServer: OwnServer | null;
};

type WorkerFixtures = WorkerOptions & {
  world: World;
};

export const test = base.extend<TestFixtures, WorkerFixtures>({
  ownServer: [null, { option: true, scope: "worker" }],
  world: [
    async ({ ownServer }, use) => {
      if (ownServer === null) {
        const file = process.env.CERTIF_E2E_WORLD;
        if (!file) throw new Error("CERTIF_E2E_WORLD is unset: run the tests with `npx playwright test`");
        await use(readWorld(file));
        return;
      }
      const server = await startCertif({ name: "own", env: ownServer.env ?? {} });
      try {
        await use(await prepareWorld(server, ownServer.calendar));
      } finally {
        await server.stop();
        if (!process.env.E2E_KEEP) removeRunDir(server.runDir);
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
  baseURL: async ({ world }, use) => {
    await use(world.base);
  },
  pageProblems: [
    async ({ context }, use) => {
      const problems = await watchContext(context);
      await use(problems);
      await expectNoProblems(problems, "the test's pages");
    },
    { auto: true },
  ],
  newContext: async ({ browser, world, locale, timezoneId, viewport }, use) => {
    const opened: Array<{ context: BrowserContext; problems: PageProblems }> = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL: world.base, locale, timezoneId, viewport, ...options });
      opened.push({ context, problems: await watchContext(context) });
      return context;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (const { context } of opened) await context.close();
    for (const [index, { problems }] of opened.entries()) {
      expect(problems.problems, `browser context ${index + 2}: no CSP violation nor uncaught error`).toEqual([]);
    }
  },
  admin: async ({ world }, use) => {
    await use(new GraphQLClient(world.base, world.adminToken));
  },
});

/** The WCAG 2.1 A and AA rules axe-core checks. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** axe-core finds no WCAG 2.1 A/AA violation in the page as it is now (`what` names the state). */
export async function expectAccessible(page: Page, what: string) {
  // A dialog fading in has nearly transparent colours: axe would measure contrast mid-transition.
  // Wait for every running CSS transition and animation to finish first.
  // (Endless ones, a spinner say, are left alone; two seconds at most.)
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime ?? Infinity))
          .map((animation) => animation.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]),
  );
  // Legacy mode runs axe.run in the page itself instead of runPartial per frame plus finishRun in
  // a new blank page: three times faster, and the app has no iframe for it to miss.
  const results = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    .setLegacyMode(true)
    .options({ resultTypes: ["violations"] })
    .analyze();
  const summary = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(" ")} — ${node.failureSummary?.split("\n").join(" ")}`)
        .join("\n"),
  );
  expect(summary, `axe-core violations on ${what} (${page.url()})`).toEqual([]);
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `target` has the focus; fails after `max`
 * presses. The keyboard-only tests move with this and Enter/Space, never with the mouse.
 */
export async function tabTo(page: Page, target: Locator, { max = 80, backwards = false } = {}) {
  for (let presses = 0; presses < max; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`${target} never got the focus in ${max} presses of Tab (focus is on ${focused})`);
}

/** The page scrolls horizontally: something is wider than the viewport. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
