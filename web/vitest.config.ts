import { defineConfig } from "vitest/config";

// Unit tests of pure front-end logic (src/**/*.test.ts). Browser tests live in e2e/ and run with Playwright.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
