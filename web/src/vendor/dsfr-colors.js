// Stands in for @codegouvfr/react-dsfr/fr/colors.js in production builds (see vite.config.ts):
// the original brings the DSFR's whole palette twice more as hexadecimal tables (~9 kB gzip on
// every page) only for react-dsfr to write one <meta name="theme-color">. Colours stay available
// as CSS variables: `fr.colors.decisions.*` (e.g. `fr.colors.decisions.text.mention.grey.default`).
import { colorDecisions } from "@codegouvfr/react-dsfr/fr/generatedFromCss/colorDecisions";

const backgroundDefaultGrey = { light: "#ffffff", dark: "#161616" };

export const colors = {
  decisions: colorDecisions,
  get options() {
    throw new Error("fr.colors.options is left out of the bundle (web/vite.config.ts): use fr.colors.decisions");
  },
  getHex: ({ isDark }) => ({
    decisions: {
      background: { default: { grey: { default: isDark ? backgroundDefaultGrey.dark : backgroundDefaultGrey.light } } },
    },
  }),
};
