#!/usr/bin/env bash
# Runs every test of certif: the Rust workspace (real PostgreSQL, loopback SMTP), then the web
# app's unit tests and its browser tests (Debian's Chromium driving the app on the real certif
# server). The web app is rebuilt first, so the browser tests run what its sources say.
set -euo pipefail
cd "$(dirname "$0")"

cargo nextest run --workspace
cargo build --bin certif

cd web
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
fi
npm run --silent codegen:check
npm run --silent build
npm test
npm run test:e2e
