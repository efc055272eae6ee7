import { describe, expect, it } from "vitest";
import { colors as original } from "@codegouvfr/react-dsfr/fr/colors";
// @ts-expect-error: plain JS module without types
import { colors as slim } from "./dsfr-colors.js";

describe("the slim DSFR palette", () => {
  it("gives react-dsfr the theme colour the original gives", () => {
    for (const isDark of [false, true]) {
      expect(slim.getHex({ isDark }).decisions.background.default.grey.default).toBe(
        original.getHex({ isDark }).decisions.background.default.grey.default,
      );
    }
  });
  it("keeps the colour decisions as CSS variables", () => {
    expect(slim.decisions).toEqual(original.decisions);
    expect(slim.decisions.text.mention.grey.default).toMatch(/^var\(--/);
  });
});
