// The candidate's dossier (`/espace/dossier/:applicationId`, signed in): where it stands, the
// two links (autosaved), the four sets of files, and the submission. Once sent it is shown
// read-only, until the équipe animation returns it with a message.

import { useCallback, useEffect, useRef, useState } from "react";
import { useQuery } from "urql";
import { Link, useParams } from "react-router";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Page } from "../app/Page";
import { ErrorAlert, Loading } from "../app/status";
import { useAnnounce } from "../app/announcer";
import { errorCode } from "../api/errors";
import type { DossierFieldsFragment } from "../gql/graphql";
import { paths } from "../routes";
import { DossierStatus } from "./dossier/DossierStatus";
import { FileSet } from "./dossier/FileSet";
import { LinkField } from "./dossier/LinkField";
import { DossierDocument } from "./dossier/queries";
import { SubmitDossier } from "./dossier/SubmitDossier";

export const PRODUCT_SHEET_HINT = "Sa page sur beta.gouv.fr, de la forme https://beta.gouv.fr/startups/<id>.html";

export default function DossierPage() {
  const { applicationId = "" } = useParams();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: DossierDocument, variables: { applicationId } });
  const [latest, setLatest] = useState<DossierFieldsFragment | null>(null);
  const [justSubmitted, setJustSubmitted] = useState(false);
  const statusHeading = useRef<HTMLHeadingElement>(null);
  const announce = useAnnounce();

  useEffect(() => {
    if (data !== undefined) setLatest(data.dossier);
  }, [data]);

  const reload = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const onDossier = useCallback((dossier: DossierFieldsFragment) => setLatest(dossier), []);

  useEffect(() => {
    if (justSubmitted) statusHeading.current?.focus();
  }, [justSubmitted]);

  const dossier = latest ?? data?.dossier ?? null;

  if (dossier === null) {
    if (error === undefined || fetching) {
      return (
        <Page title="Mon dossier">
          <Loading label="Chargement de votre dossier…" />
        </Page>
      );
    }
    const code = errorCode(error);
    if (code === "UNAUTHENTICATED" || code === "FORBIDDEN") {
      return (
        <Page title="Mon dossier">
          <p>Connectez-vous pour voir et compléter votre dossier.</p>
          <Button linkProps={{ to: paths.signIn() }}>Se connecter</Button>
        </Page>
      );
    }
    return (
      <Page title="Mon dossier">
        <ErrorAlert error={error} title="Votre dossier n'a pas pu s'afficher" announce={false} />
        {code === "NOT_FOUND" ? (
          <Button linkProps={{ to: paths.space() }}>Revenir à mon espace</Button>
        ) : (
          <Button onClick={reload}>Réessayer</Button>
        )}
      </Page>
    );
  }

  const { editable } = dossier;
  return (
    <Page title="Mon dossier">
      <DossierStatus dossier={dossier} headingRef={statusHeading} justSubmitted={justSubmitted} />

      <section className="fr-mb-6w">
        <h2>Les liens</h2>
        {editable ? (
          <>
            <p className="fr-text--sm">Chaque lien est enregistré dès que vous arrêtez de taper.</p>
            <LinkField
              applicationId={applicationId}
              name="startupSiteUrl"
              id="dossier-site"
              label="Site de la startup"
              hint="Son adresse web, par exemple https://mes-aides.gouv.fr"
              serverValue={dossier.startupSiteUrl}
              onDossier={onDossier}
              onLocked={reload}
            />
            <LinkField
              applicationId={applicationId}
              name="productSheetUrl"
              id="dossier-fiche"
              label="Fiche produit sur beta.gouv.fr"
              hint={PRODUCT_SHEET_HINT}
              serverValue={dossier.productSheetUrl}
              onDossier={onDossier}
              onLocked={reload}
            />
          </>
        ) : (
          <ul>
            <li>
              Site de la startup :{" "}
              {dossier.startupSiteUrl === null ? "non renseigné" : <ExternalLink href={dossier.startupSiteUrl} />}
            </li>
            <li>
              Fiche produit :{" "}
              {dossier.productSheetUrl === null ? "non renseignée" : <ExternalLink href={dossier.productSheetUrl} />}
            </li>
          </ul>
        )}
      </section>

      <section className="fr-mb-6w">
        <h2>Les pièces</h2>
        {editable && <p className="fr-text--sm">Chaque fichier est envoyé dès que vous le choisissez.</p>}
        {dossier.fileSets.map((set) => (
          <FileSet
            key={set.kind}
            applicationId={applicationId}
            set={set}
            editable={editable}
            onDossier={onDossier}
            onSettled={reload}
            onLocked={reload}
          />
        ))}
      </section>

      {editable && (
        <SubmitDossier
          applicationId={applicationId}
          missingItems={dossier.missingItems}
          onSubmitted={(submitted) => {
            setLatest(submitted);
            setJustSubmitted(true);
            announce("Votre dossier est envoyé.");
          }}
          onRefused={reload}
        />
      )}

      <p className="fr-mt-6w">
        <Link to={paths.space()}>Revenir à mon espace</Link>
      </p>
    </Page>
  );
}

function ExternalLink({ href }: { href: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" title={`${href} — nouvelle fenêtre`} style={{ overflowWrap: "anywhere" }}>
      {href}
    </a>
  );
}
