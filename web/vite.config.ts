import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

// Paths the certif server answers itself; in development Vite forwards them to a running API
// (`CERTIF_API_URL`, default the server's own default address).
const API = process.env.CERTIF_API_URL ?? "http://127.0.0.1:8080";
const serverPrefixes = [
  "/graphql",
  "/fichiers",
  "/certificats",
  "/verify",
  "/calendar",
  "/export",
  "/healthz",
  "/readyz",
];

/** Replaces react-dsfr's hexadecimal palette by src/vendor/dsfr-colors.js in builds (see that file). */
function slimDsfrColors(): Plugin {
  const shim = fileURLToPath(new URL("./src/vendor/dsfr-colors.js", import.meta.url));
  return {
    name: "certif:slim-dsfr-colors",
    apply: "build",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "./colors" && importer?.replace(/\\/g, "/").endsWith("@codegouvfr/react-dsfr/fr/index.js")) {
        return shim;
      }
      return null;
    },
  };
}

/** Replaces the whole DSFR JavaScript that react-dsfr's start imports by src/vendor/dsfr-subset.js. */
function dsfrSubset(): Plugin {
  const subset = fileURLToPath(new URL("./src/vendor/dsfr-subset.js", import.meta.url));
  return {
    name: "certif:dsfr-subset",
    apply: "build",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "./dsfr/dsfr.module" && importer?.replace(/\\/g, "/").endsWith("@codegouvfr/react-dsfr/start.js")) {
        return subset;
      }
      return null;
    },
  };
}

/**
 * react-dsfr writes a `.gitignore` of `*` into public/dsfr; Vite copies it to dist/dsfr, where it
 * would keep the committed bundle's DSFR files out of git. Removed after each build.
 */
function dropCopiedGitignore(): Plugin {
  return {
    name: "certif:drop-copied-gitignore",
    apply: "build",
    closeBundle() {
      rmSync(fileURLToPath(new URL("./dist/dsfr/.gitignore", import.meta.url)), { force: true });
    },
  };
}

/**
 * Writes `<file>.gz` beside every compressible file of dist/ (scripts, styles, html, svg, json)
 * worth compressing, so that certif answers `Accept-Encoding: gzip` with bytes made once here
 * instead of compressing on every request. Deterministic: zlib writes no time or name.
 */
function precompress(): Plugin {
  const dist = fileURLToPath(new URL("./dist", import.meta.url));
  const compressible = /\.(js|css|html|svg|json|webmanifest)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: "certif:precompress",
    apply: "build",
    closeBundle() {
      for (const file of walk(dist)) {
        if (!compressible.test(file)) continue;
        const raw = readFileSync(file);
        const gz = gzipSync(raw, { level: 9 });
        if (raw.length >= 1024 && gz.length < raw.length * 0.9) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

export default defineConfig({
  plugins: [slimDsfrColors(), dsfrSubset(), dropCopiedGitignore(), precompress(), react()],
  publicDir: "public",
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(serverPrefixes.map((prefix) => [prefix, { target: API, changeOrigin: false }])),
  },
  // `npm run preview` serves dist/ under the production CSP, to catch a violation before the server does.
  preview: {
    host: "127.0.0.1",
    port: 4173,
    strictPort: true,
    headers: {
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // The CSP forbids inline scripts: no module-preload polyfill injected into index.html.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
  },
});
