// The app runs under the production Content-Security-Policy: the server sends it with the app's
// pages, and the recorder that fails every other test on a violation really sees one.

import { expect, test } from "./support/fixtures";

const EXPECTED_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

const directives = (header: string | undefined) =>
  (header ?? "")
    .split(";")
    .map((directive) => directive.trim().replace(/\s+/g, " "))
    .filter(Boolean);

test("the home page and a client route carry the CSP and the other security headers", async ({ page, request }) => {
  for (const path of ["/", "/reservation/un-jeton-inconnu", "/connexion"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const headers = response.headers();
    expect(directives(headers["content-security-policy"]), `CSP of ${path}`).toEqual(EXPECTED_CSP);
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("no-referrer");
    expect(headers["cross-origin-opener-policy"], path).toBe("same-origin");
    expect(headers["permissions-policy"], path).toMatch(/camera=\(\)/);
    expect(headers["cache-control"], path).toBe("no-cache");
    expect(await response.text(), path).toContain('lang="fr"');
  }
  // What the browser received for the document it shows.
  const response = await page.goto("/");
  expect(directives(response?.headers()["content-security-policy"])).toEqual(EXPECTED_CSP);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("an inline script is refused and the violation is recorded", async ({ page, pageProblems }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // What an injected script would look like: the CSP blocks it, and the recorder sees it.
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.__inlineRan = true;";
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran, "the inline script must not run").toBe(false);
  await expect.poll(() => pageProblems.problems.length).toBeGreaterThan(0);
  const recorded = pageProblems.take();
  expect(recorded.join("\n")).toMatch(/script-src/);
});

test("the hashed assets are cached for long and the unknown ones are not the app", async ({ request }) => {
  const index = await (await request.get("/")).text();
  const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] as string);
  expect(assets.length, "index.html loads hashed assets").toBeGreaterThan(0);
  for (const asset of assets) {
    const response = await request.get(asset);
    expect(response.status(), asset).toBe(200);
    expect(response.headers()["cache-control"], asset).toContain("immutable");
  }
  const missing = await request.get("/assets/absent-0000.js");
  expect(missing.status()).toBe(404);
});
