// Facts the legal pages share: who publishes the site, and when the accessibility
// declaration was made.

export const EDITOR_NAME = "Direction interministérielle du numérique (DINUM)";
export const EDITOR_ADDRESS = "20 avenue de Ségur, 75007 Paris";
/** When the accessibility declaration was made (change it with the declaration). */
export const DECLARATION_DATE = "1er décembre 2026";
/** Where a fact depends on the deployment and is not known to the code. */
export const TO_COMPLETE = "à compléter par l'équipe qui déploie le service";
