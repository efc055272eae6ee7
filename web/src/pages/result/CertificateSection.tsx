// The laureate's certificate: its number, the PDF (a server file: a plain link) and the public
// verification address with a copy button.

import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { MyResultQuery } from "../../gql/graphql";
import { useAnnounce } from "../../app/announcer";
import { naiveDate } from "../../time";

export type CertificateView = NonNullable<MyResultQuery["application"]["certificate"]>;

export function CertificateSection({ certificate }: { certificate: CertificateView }) {
  const announce = useAnnounce();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(certificate.verifyUrl);
      announce("Lien copié.");
    } catch {
      announce("La copie n'a pas fonctionné : sélectionnez le lien et copiez-le.", { assertive: true });
    }
  };
  return (
    <section aria-labelledby="resultat-certificat" className="fr-mb-6w">
      <h2 id="resultat-certificat">Votre certificat</h2>
      {certificate.revoked && (
        <Alert
          severity="error"
          as="h3"
          className="fr-mb-3w"
          title="Ce certificat est révoqué"
          description="Il n'est plus valable. Pour en savoir plus, écrivez à contact@beta.gouv.fr."
        />
      )}
      <p>
        {certificate.title} — {certificate.sessionLabel}, délivré le {naiveDate(certificate.issuedOn, false)}.
        <br />
        Numéro : <strong>{certificate.number}</strong>
      </p>
      {certificate.downloadUrl != null && (
        <p>
          <a className="fr-link fr-icon-download-line fr-link--icon-left" href={certificate.downloadUrl}>
            Télécharger le certificat (PDF)
          </a>
        </p>
      )}
      <p className="fr-mb-1w">
        Lien public de vérification, à donner à qui veut vérifier votre certificat :{" "}
        <a href={certificate.verifyUrl} className="fr-text--break" style={{ overflowWrap: "anywhere" }}>
          {certificate.verifyUrl}
        </a>
      </p>
      <Button priority="secondary" size="small" iconId="fr-icon-clipboard-line" onClick={() => void copy()}>
        Copier le lien de vérification
      </Button>
    </section>
  );
}
