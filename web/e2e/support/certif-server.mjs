// Starts and stops the REAL `certif` binary for the browser tests and the benchmark: `certif up`
// (API + scheduler) on a free loopback port, with its own private PostgreSQL cluster, its own
// mail folder (the scheduler writes every email there as an `.eml` file) and its own clock-offset
// file. Nothing of the machine's configuration leaks in.

import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (web/e2e/support → ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Variables of the caller's environment that must not reach the program (same list as tests/e2e). */
const CONFIG_VARS = [
  "DATABASE_URL",
  "DATABASE_POOL_SIZE",
  "CERTIF_ENV",
  "CERTIF_DATA_DIR",
  "CERTIF_PG_SOCKET_DIRS",
  "CERTIF_CLOCK_OFFSET_FILE",
  "LISTEN_ADDR",
  "PUBLIC_URL",
  "LOG_FORMAT",
  "GRAPHQL_MAX_DEPTH",
  "GRAPHQL_MAX_COMPLEXITY",
  "SCHEDULER_INSTANCE",
  "SCHEDULER_HEARTBEAT_CRON",
  "SESSION_MONTHS",
  "SMTP_URL",
  "SMTP_TIMEOUT_SECONDS",
  "MAIL_FROM",
  "MAIL_REPLY_TO",
  "OUTBOX_MAX_ATTEMPTS",
  "OUTBOX_BATCH_SIZE",
  "OUTBOX_CONCURRENCY",
  "OUTBOX_POLL_MILLIS",
  "OUTBOX_LEASE_SECONDS",
  "CHAT_WEBHOOK_URL",
  "THROTTLE_PER_ADDRESS",
  "THROTTLE_PER_ACCOUNT",
  "SESSION_IDLE_MINUTES",
  "SESSION_MAX_AGE_MINUTES",
];

/** The binary: `CERTIF_BIN` when set (used as is), else `<cargo target dir>/debug/certif`, built with cargo. */
export function certifBinary({ build = true } = {}) {
  if (process.env.CERTIF_BIN) return path.resolve(process.env.CERTIF_BIN);
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR) : path.join(repoRoot, "target");
  const binary = path.join(targetDir, "debug", "certif");
  if (!build && fs.existsSync(binary)) return binary;
  // cargo is quick when nothing changed; others may be editing the Rust sources, so a failed
  // build is tried again a few times before giving up (an existing binary is then used).
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const built = spawnSync("cargo", ["build", "--quiet", "--bin", "certif"], {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (built.status === 0) return binary;
    if (attempt < 3) spawnSync("sleep", ["20"]);
  }
  if (fs.existsSync(binary)) {
    console.warn("certif e2e: `cargo build --bin certif` failed; using the existing binary.");
    return binary;
  }
  throw new Error("`cargo build --bin certif` failed and there is no binary to use");
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A fresh folder under the system's temporary folder that the `postgres` system user can reach. */
export function scratchDir(name) {
  const parent = path.join(os.tmpdir(), "certif-e2e");
  fs.mkdirSync(parent, { recursive: true });
  const dir = path.join(parent, `${name}-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(dir);
  for (const folder of [parent, dir]) fs.chmodSync(folder, 0o755);
  return dir;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `certif up`; resolves once `/readyz` answers 200.
 * @param {{ name?: string, env?: Record<string, string>, binary?: string }} [options]
 */
export async function startCertif({ name = "server", env = {}, binary = certifBinary() } = {}) {
  const runDir = scratchDir(name);
  const dataDir = path.join(runDir, "data");
  const socketDir = path.join(runDir, "no-sockets");
  const offsetFile = path.join(runDir, "clock-offset");
  fs.mkdirSync(dataDir);
  fs.mkdirSync(socketDir);
  fs.writeFileSync(offsetFile, "0\n");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const childEnv = { ...process.env };
  for (const name of CONFIG_VARS) delete childEnv[name];
  Object.assign(childEnv, {
    RUST_LOG: "info",
    CERTIF_DATA_DIR: dataDir,
    // An empty folder: no local server is found, so certif creates its private cluster.
    CERTIF_PG_SOCKET_DIRS: socketDir,
    CERTIF_CLOCK_OFFSET_FILE: offsetFile,
    LISTEN_ADDR: `127.0.0.1:${port}`,
    PUBLIC_URL: base,
    // Mail leaves within a fifth of a second instead of a second.
    OUTBOX_POLL_MILLIS: "200",
    // Every test signs in from 127.0.0.1: the per-address limits would throttle the suite.
    THROTTLE_PER_ADDRESS: "100000",
    ...env,
  });
  const logFile = path.join(runDir, "certif.log");
  const log = fs.openSync(logFile, "a");
  const child = spawn(binary, ["up"], {
    cwd: runDir,
    env: childEnv,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  let exited = null;
  child.once("exit", (code, signal) => {
    exited = { code, signal };
  });
  const tail = () => fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
  const started = Date.now();
  for (;;) {
    if (exited) {
      throw new Error(`certif exited (${JSON.stringify(exited)}) before it was ready:\n${tail()}`);
    }
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > 120_000) {
      child.kill("SIGKILL");
      throw new Error(`certif was not ready within 120 s:\n${tail()}`);
    }
    await sleep(100);
  }

  const server = {
    base,
    port,
    pid: child.pid,
    runDir,
    dataDir,
    mailDir: path.join(dataDir, "mail"),
    offsetFile,
    logFile,
    binary,
    env: childEnv,
    /** Creates an admin with `certif admin create` (password on standard input). */
    createAdmin(email, displayName, password) {
      const created = spawnSync(binary, ["admin", "create", "--email", email, "--name", displayName], {
        cwd: runDir,
        env: { ...childEnv, RUST_LOG: "warn" },
        input: `${password}\n`,
        encoding: "utf8",
      });
      if (created.status !== 0) {
        throw new Error(`certif admin create failed: ${created.stderr}`);
      }
    },
    /** SIGTERM (certif stops its cluster), then SIGKILL after 30 s. */
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timeout = sleep(30_000).then(() => "timeout");
      if ((await Promise.race([done, timeout])) === "timeout") {
        child.kill("SIGKILL");
        await done;
      }
    },
  };
  return server;
}

/** Removes a run folder (the private cluster is stopped by then). */
export function removeRunDir(runDir) {
  fs.rmSync(runDir, { recursive: true, force: true });
}
