#!/usr/bin/env node
// Benchmark (not a test): how heavy the app's first load is, and how fast the booking page shows
// its slots, against the real certif server on loopback.
//
//   node scripts/bench.mjs [--runs 9]
//
// Prints:
//   1. the JavaScript and CSS that web/dist/index.html loads (entry script, module preloads,
//      stylesheets): raw and gzip sizes (zlib level 9, as a compressing proxy would send them);
//   2. what Chromium actually fetched to show the home page, by kind (raw bytes as certif sent
//      them, and their gzip size);
//   3. the time from navigation to the booking page showing its free slots (the list of days with
//      their slot counts), opened from an emailed link, cold (new browser context each run):
//      median, min and max of N runs (after one warm-up run).
// Goals (issue 11): ≤ 150 kB of JavaScript (gzip) on first load; slots visible ≤ 1 s.
//
// It starts its own certif (target/debug/certif, or CERTIF_BIN) with a private database, so it
// needs the same things as the browser tests: PostgreSQL's binaries and /usr/bin/chromium.

import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

import { certifBinary, removeRunDir, repoRoot, startCertif } from "../e2e/support/certif-server.mjs";
import {
  SLOT_TIMES,
  allocateOralDay,
  candidateWithBookingLink,
  createCoach,
  parisInstant,
  publishSlots,
} from "../e2e/support/scenario.mjs";
import { prepareWorld } from "../e2e/support/world.mjs";

const JS_GOAL_BYTES = 150 * 1000;
const SLOTS_GOAL_MS = 1000;

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const runs = Number(argument("runs", "9"));
const dist = path.join(repoRoot, "web", "dist");

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The scripts and stylesheets index.html names, with their sizes. */
function initialAssets() {
  const index = fs.readFileSync(path.join(dist, "index.html"), "utf8");
  const assets = [];
  for (const tag of index.match(/<(?:script|link)\b[^>]*>/g) ?? []) {
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (!url || !url.startsWith("/")) continue;
    const kind = tag.startsWith("<script")
      ? "js"
      : /rel="modulepreload"/.test(tag)
        ? "js"
        : /rel="stylesheet"/.test(tag)
          ? "css"
          : null;
    if (!kind) continue;
    const file = path.join(dist, url.split("?")[0]);
    const bytes = fs.readFileSync(file);
    assets.push({ kind, url, raw: bytes.length, gzip: gzipSize(bytes) });
  }
  return assets;
}

function printAssets(assets) {
  console.log("\n1. What web/dist/index.html loads");
  for (const asset of assets) {
    console.log(`   ${asset.kind.padEnd(3)} ${asset.url.padEnd(52)} ${kB(asset.raw).padStart(10)} raw ${kB(asset.gzip).padStart(9)} gzip`);
  }
  const sum = (kind, field) => assets.filter((asset) => asset.kind === kind).reduce((total, asset) => total + asset[field], 0);
  console.log(`   initial JavaScript: ${kB(sum("js", "raw"))} raw, ${kB(sum("js", "gzip"))} gzip`);
  console.log(`   initial CSS:        ${kB(sum("css", "raw"))} raw, ${kB(sum("css", "gzip"))} gzip`);
  return { js: sum("js", "gzip"), css: sum("css", "gzip") };
}

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

/** What the browser fetched to show the home page, by resource type. */
async function homePageFetches(browser, base) {
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  const fetched = [];
  page.on("requestfinished", (request) => {
    fetched.push(
      (async () => {
        const response = await request.response();
        const body = response ? await response.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
        const sizes = await request.sizes();
        return {
          type: request.resourceType(),
          url: new URL(request.url()).pathname,
          transferred: sizes.responseBodySize,
          raw: body.length,
          gzip: body.length ? gzipSize(body) : 0,
        };
      })(),
    );
  });
  await page.goto(`${base}/`, { waitUntil: "networkidle" });
  await page.getByRole("heading", { level: 1 }).waitFor();
  const all = await Promise.all(fetched);
  await context.close();
  console.log("\n2. What Chromium fetched to show the home page");
  const byType = new Map();
  for (const item of all) {
    const entry = byType.get(item.type) ?? { count: 0, transferred: 0, raw: 0, gzip: 0 };
    entry.count += 1;
    entry.transferred += item.transferred;
    entry.raw += item.raw;
    entry.gzip += item.gzip;
    byType.set(item.type, entry);
  }
  for (const [type, entry] of [...byType.entries()].sort()) {
    console.log(
      `   ${type.padEnd(11)} ${String(entry.count).padStart(3)} files ${kB(entry.transferred).padStart(10)} transferred ${kB(entry.gzip).padStart(9)} gzip`,
    );
  }
  const scripts = all.filter((item) => item.type === "script");
  for (const script of scripts) console.log(`      ${script.url.padEnd(52)} ${kB(script.gzip).padStart(9)} gzip`);
  return {
    js: scripts.reduce((total, item) => total + item.gzip, 0),
    css: all.filter((item) => item.type === "stylesheet").reduce((total, item) => total + item.gzip, 0),
  };
}

/** In the page: the moment (ms after navigation start) the list of free days first shows a day. */
function recordSlotsShown() {
  const selector = '[aria-label="Jours ayant des créneaux libres"] button';
  const seen = () => {
    if (window.__slotsShownAt === undefined && document.querySelector(selector)) window.__slotsShownAt = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

async function timeToSlots(page, link) {
  await page.goto(link, { waitUntil: "commit" });
  // The first step of the booking page lists the days that have free slots, each with its
  // count (« samedi 5 décembre 2026 — 3 créneaux »): the slots have arrived and are shown.
  await page.getByRole("list", { name: "Jours ayant des créneaux libres" }).getByRole("button").first().waitFor({ timeout: 15_000 });
  return Math.round(await page.evaluate(() => window.__slotsShownAt));
}

/** Milliseconds from navigation start to the free slots on screen: cold (new context) and warm. */
async function slotsVisible(browser, bookingLink) {
  const cold = [];
  const warm = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
    await context.addInitScript(recordSlotsShown);
    const page = await context.newPage();
    const first = await timeToSlots(page, bookingLink);
    const again = await timeToSlots(page, bookingLink);
    await context.close();
    if (run === 0) continue; // the first run warms certif and the disk cache
    cold.push(first);
    warm.push(again);
  }
  const line = (times) => `median ${median(times)} ms, min ${Math.min(...times)} ms, max ${Math.max(...times)} ms`;
  console.log(`\n3. Booking page, from navigation start to its free slots on screen (${runs} runs)`);
  console.log(`   cold (new browser context, nothing cached): ${line(cold)}`);
  console.log(`   warm (same context, assets cached):        ${line(warm)}`);
  return median(cold);
}

/** The bookable-slots query alone, as the page sends it: its round trip on loopback. */
async function slotsQuery(base, token) {
  const times = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const started = performance.now();
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "query Slots($token: String!) { bookableSlots(token: $token) { date label slots { id startsAt endsAt coachName modes } } }",
        variables: { token },
      }),
    });
    await response.json();
    if (run > 0) times.push(performance.now() - started);
  }
  console.log(`   the bookableSlots query alone: median ${median(times).toFixed(1)} ms`);
}

async function main() {
  if (!fs.existsSync(path.join(dist, "index.html"))) throw new Error("web/dist is missing: run `npm run build` first");
  const server = await startCertif({ name: "bench", binary: certifBinary() });
  let browser;
  try {
    const world = await prepareWorld(server);
    const coach = await createCoach(world);
    for (let day = 0; day < 3; day += 1) {
      const date = allocateOralDay(world);
      await publishSlots(world, coach.id, SLOT_TIMES.slice(0, 3).map(([hours, minutes]) => parisInstant(date, hours, minutes)));
    }
    const { bookingLink, bookingToken } = await candidateWithBookingLink(world, "bench");

    const fromIndex = printAssets(initialAssets());
    browser = await chromium.launch(launchOptions);
    const fetched = await homePageFetches(browser, world.base);
    const slotsMs = await slotsVisible(browser, bookingLink);
    await slotsQuery(world.base, bookingToken);

    console.log("\nSummary");
    console.log(`   initial JS (index.html) ${kB(fromIndex.js)} gzip; fetched for the home page ${kB(fetched.js)} gzip — goal ≤ ${kB(JS_GOAL_BYTES)}: ${fetched.js <= JS_GOAL_BYTES && fromIndex.js <= JS_GOAL_BYTES ? "met" : "NOT met"}`);
    console.log(`   initial CSS (index.html) ${kB(fromIndex.css)} gzip; fetched for the home page ${kB(fetched.css)} gzip`);
    console.log(`   slots visible, cold (median) ${slotsMs} ms — goal ≤ ${SLOTS_GOAL_MS} ms: ${slotsMs <= SLOTS_GOAL_MS ? "met" : "NOT met"}`);
  } finally {
    await browser?.close();
    await server.stop();
    removeRunDir(server.runDir);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
