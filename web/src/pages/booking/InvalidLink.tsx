// An unknown or expired booking link (or none at all): what happened, and the ways out.

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Page } from "../../app/Page";
import { paths } from "../../routes";
import { CONTACT_EMAIL } from "./format";

export const INVALID_LINK_MESSAGE =
  "Ce lien de réservation n'est plus valable : il est incomplet, ou la période des oraux de votre session est terminée.";

export function InvalidLink({ missing }: { missing: boolean }) {
  return (
    <Page title="Lien de réservation non valable">
      <Alert
        severity="error"
        as="h2"
        className="fr-mb-4w"
        title={missing ? "Ce lien est incomplet" : "Ce lien n'est pas valable"}
        description={INVALID_LINK_MESSAGE}
      />
      <p>
        Le lien pour réserver votre oral vous est envoyé par email quand l'équipe animation a trouvé votre dossier
        complet ; utilisez celui du dernier message reçu. Pour voir où en est votre candidature :
      </p>
      <Button linkProps={{ to: paths.signIn() }}>Connectez-vous à votre espace</Button>
      <p className="fr-mt-4w">
        Pour toute question sur votre oral, écrivez à l'équipe animation :{" "}
        <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>.
      </p>
    </Page>
  );
}
