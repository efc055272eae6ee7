// Once per run: the real certif server every test shares (its own database, mail folder and
// clock file), an admin, and a session open for registration. Its teardown stops the server.

import fs from "node:fs";
import path from "node:path";

import type { FullConfig } from "@playwright/test";

import { certifBinary, removeRunDir, repoRoot, startCertif } from "./support/certif-server.mjs";
import { prepareWorld } from "./support/world.mjs";

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

/** Debug builds of certif serve `web/dist` from the source tree: it must exist and be current. */
function checkBundle() {
  const web = path.join(repoRoot, "web");
  const index = path.join(web, "dist", "index.html");
  if (!fs.existsSync(index)) {
    throw new Error("web/dist/index.html is missing: run `npm run build` in web/ first");
  }
  const sources = Math.max(newest(path.join(web, "src")), fs.statSync(path.join(web, "index.html")).mtimeMs);
  if (sources > fs.statSync(index).mtimeMs) {
    console.warn("certif e2e: web/src changed since web/dist was built — the tests run the older bundle (`npm run build`).");
  }
}

export default async function globalSetup(_config: FullConfig) {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) {
    throw new Error(`${chromium} is missing: apt-get install -y chromium`);
  }
  checkBundle();
  const binary = certifBinary();
  const server = await startCertif({ name: "shared", binary });
  try {
    await prepareWorld(server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  // Workers inherit these: where the shared world is, and the binary for tests that need a
  // server of their own (those that move the clock).
  console.log(`certif e2e: ${server.base}, log in ${server.logFile}${process.env.E2E_KEEP ? " (kept)" : ""}`);
  process.env.CERTIF_E2E_WORLD = path.join(server.runDir, "world.json");
  process.env.CERTIF_BIN = binary;
  return async () => {
    await server.stop();
    if (!process.env.E2E_KEEP) removeRunDir(server.runDir);
  };
}
