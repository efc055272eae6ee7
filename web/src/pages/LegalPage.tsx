import { Link } from "react-router";
import { Page } from "../app/Page";
import { CONTACT_EMAIL } from "../certification";
import { paths } from "../routes";
import { EDITOR_ADDRESS, EDITOR_NAME, TO_COMPLETE } from "./legal/facts";

export default function LegalPage() {
  return (
    <Page title="Mentions légales">
      <h2>Éditeur du site</h2>
      <p>
        {EDITOR_NAME}
        <br />
        {EDITOR_ADDRESS}
      </p>
      <p>Le site est réalisé par beta.gouv.fr, l'incubateur de services numériques de la DINUM.</p>

      <h2>Directeur de la publication</h2>
      <p>Le directeur interministériel du numérique.</p>

      <h2>Hébergement</h2>
      <p>Hébergeur : {TO_COMPLETE}.</p>

      <h2>Accessibilité</h2>
      <p>
        Le site n'a pas encore été audité : il est non conforme au RGAA. Voir la{" "}
        <Link to={paths.accessibility()}>déclaration d'accessibilité</Link>.
      </p>

      <h2>Données personnelles</h2>
      <p>
        Voir la page <Link to={paths.privacy()}>données personnelles</Link> : ce qui est collecté, pourquoi, et vos
        droits.
      </p>

      <h2>Contact</h2>
      <p>
        <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>
      </p>
    </Page>
  );
}
