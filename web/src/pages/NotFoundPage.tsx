import { Link } from "react-router";
import { Page } from "../app/Page";
import { paths } from "../routes";

export default function NotFoundPage() {
  return (
    <Page title="Page non trouvée">
      <p className="fr-text--lead">La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
      <p>
        Si vous avez tapé l'adresse, vérifiez qu'elle est correcte. Si vous avez suivi un lien reçu par e-mail, il est
        peut-être incomplet : copiez-le en entier.
      </p>
      <ul>
        <li>
          <Link to={paths.home()}>Revenir à l'accueil</Link>
        </li>
        <li>
          <Link to={paths.siteMap()}>Consulter le plan du site</Link>
        </li>
      </ul>
    </Page>
  );
}
