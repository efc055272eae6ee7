import { Link } from "react-router";
import { Page } from "../app/Page";
import { CONTACT_EMAIL } from "../certification";
import { paths } from "../routes";
import { EDITOR_ADDRESS, EDITOR_NAME, TO_COMPLETE } from "./legal/facts";

export default function PrivacyPage() {
  return (
    <Page title="Données personnelles">
      <h2>Responsable du traitement</h2>
      <p>
        {EDITOR_NAME}, {EDITOR_ADDRESS}.
      </p>

      <h2>Ce que nous collectons</h2>
      <p>Pour organiser la certification des intras, nous collectons :</p>
      <ul>
        <li>votre identité : vos prénom et nom, votre adresse électronique ;</li>
        <li>votre administration : le type et le nom de votre employeur, votre statut ;</li>
        <li>
          votre parcours d'intrapreneur : la startup, son incubateur, sa fiche produit, vos dates, votre temps de travail
          sur la startup, sa phase d'accélération, une éventuelle certification antérieure ;
        </li>
        <li>
          si vous les donnez, les nom et adresse de votre service des ressources humaines et de votre responsable
          hiérarchique ;
        </li>
        <li>votre dossier : ses liens et les fichiers que vous déposez ;</li>
        <li>votre oral (date, coach, mode), l'évaluation du jury, votre résultat et votre certificat ;</li>
        <li>pour la liste d'attente, votre seule adresse électronique.</li>
      </ul>

      <h2>Pourquoi</h2>
      <p>
        Pour vérifier votre éligibilité, instruire votre dossier, organiser votre oral, vous communiquer votre
        résultat, délivrer votre certificat et permettre à quiconque d'en vérifier la validité, et, si vous l'acceptez,
        informer votre administration de votre réussite. Les chiffres publiés sur la certification sont anonymes.
      </p>

      <h2>Base légale</h2>
      <p>
        Le traitement est nécessaire à l'exécution d'une mission d'intérêt public (article 6.1.e du règlement général
        sur la protection des données, RGPD).
      </p>

      <h2>Durée de conservation</h2>
      <p>
        Votre certificat et le nom qu'il porte sont conservés tant que sa validité peut être vérifiée. La durée de
        conservation des autres données : {TO_COMPLETE}. Vous quittez la liste d'attente quand vous le souhaitez, avec
        le lien présent dans chacun de nos messages.
      </p>

      <h2>Qui y a accès</h2>
      <ul>
        <li>l'équipe animation de beta.gouv.fr, qui organise les sessions : toutes les données ;</li>
        <li>
          les coachs certificateurs et le jury de votre oral : votre candidature et votre dossier, sans vos coordonnées
          ni celles de vos contacts ;
        </li>
        <li>
          votre service des ressources humaines et votre responsable, si vous l'acceptez et si vous êtes lauréat·e : le
          courrier qui les informe de votre certification ;
        </li>
        <li>
          toute personne qui a le numéro de votre certificat : sa validité, votre nom, l'intitulé de la certification et
          sa date, rien d'autre.
        </li>
      </ul>
      <p>Hébergeur et prestataire d'envoi des courriers électroniques : {TO_COMPLETE}.</p>

      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier, demander la limitation de leur traitement ou vous y
        opposer. Écrivez à <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>. Si vous estimez, après nous avoir
        contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL.
      </p>

      <h2>Cookies</h2>
      <p>
        Le site dépose un seul cookie, strictement nécessaire : le cookie de session qui vous garde connecté·e. Il
        cesse de servir quand vous vous déconnectez ou après une période sans activité. Aucun cookie de mesure d'audience ni
        de suivi, aucun service tiers : aucun consentement n'est donc demandé. Le lien reçu par email est gardé le temps
        de l'onglet, dans votre navigateur, pour que la page fonctionne si vous la rechargez.
      </p>
      <p>
        Voir aussi les <Link to={paths.legal()}>mentions légales</Link>.
      </p>
    </Page>
  );
}
