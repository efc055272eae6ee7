import { Link } from "react-router";
import { Page } from "../app/Page";
import { CONTACT_EMAIL } from "../certification";
import { paths } from "../routes";
import { DECLARATION_DATE, EDITOR_ADDRESS, EDITOR_NAME } from "./legal/facts";

export default function AccessibilityPage() {
  return (
    <Page title="Déclaration d'accessibilité">
      <p>
        La {EDITOR_NAME} s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la loi
        n° 2005-102 du 11 février 2005.
      </p>
      <p>
        Cette déclaration d'accessibilité s'applique au site de la certification des intrapreneurs de beta.gouv.fr
        (certification des intras).
      </p>

      <h2>État de conformité</h2>
      <p>
        Le site de la certification des intras est <strong>non conforme</strong> avec le référentiel général
        d'amélioration de l'accessibilité (RGAA), version 4.1 : il n'a pas encore été audité.
      </p>

      <h2>Résultats des tests</h2>
      <p>Aucun audit de conformité n'a encore été réalisé.</p>

      <h2>Contenus non accessibles</h2>
      <p>
        Non audité : faute d'audit, les contenus non accessibles ne sont pas encore identifiés. Si vous rencontrez une
        difficulté, signalez-la-nous (voir ci-dessous) : nous vous proposerons une autre façon d'accéder au contenu ou au
        service.
      </p>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le {DECLARATION_DATE}.</p>
      <p>Technologies utilisées pour la réalisation du site : HTML, CSS, JavaScript, WAI-ARIA.</p>

      <h2>Amélioration et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez l'équipe du site pour être orienté·e
        vers une solution accessible ou obtenir le contenu sous une autre forme :
      </p>
      <ul>
        <li>
          par courrier électronique : <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a> ;
        </li>
        <li>par courrier postal : beta.gouv.fr, {EDITOR_NAME}, {EDITOR_ADDRESS}.</li>
      </ul>

      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service du site
        et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :
      </p>
      <ul>
        <li>
          écrire un message au Défenseur des droits avec le{" "}
          <a href="https://formulaire.defenseurdesdroits.fr/" target="_blank" rel="noopener noreferrer">
            formulaire en ligne du Défenseur des droits (nouvelle fenêtre)
          </a>{" "}
          ;
        </li>
        <li>
          contacter{" "}
          <a href="https://www.defenseurdesdroits.fr/saisir/delegues" target="_blank" rel="noopener noreferrer">
            le délégué du Défenseur des droits dans votre région (nouvelle fenêtre)
          </a>{" "}
          ;
        </li>
        <li>
          envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse
          71120, 75342 Paris CEDEX 07.
        </li>
      </ul>
      <p>
        Voir aussi les <Link to={paths.legal()}>mentions légales</Link>.
      </p>
    </Page>
  );
}
