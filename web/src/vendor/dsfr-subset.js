// The DSFR's JavaScript for the components certif uses, instead of the whole dsfr.module that
// react-dsfr's start imports (vite.config.ts swaps it in): the core (collapses, disclosures,
// the API react-dsfr calls) and the behaviours of the header, its navigation, modals,
// accordions, the display settings, tables, checkboxes and button groups. ~24 kB gzip instead
// of ~28. A component added to the app whose DSFR behaviour lives in a module not listed here
// must be added below (the component then renders, but does not open or toggle).
import "@codegouvfr/react-dsfr/dsfr/core/core.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/accordion/accordion.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/button/button.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/checkbox/checkbox.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/display/display.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/header/header.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/modal/modal.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/navigation/navigation.module.min.js";
import "@codegouvfr/react-dsfr/dsfr/component/table/table.module.min.js";
