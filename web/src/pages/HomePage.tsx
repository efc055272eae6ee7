import { Table } from "@codegouvfr/react-dsfr/Table";
import { Page } from "../app/Page";
import { CONTACT_EMAIL, competences, revisionVideos, steps } from "../certification";
import { SessionsSection } from "./home/SessionsSection";

export default function HomePage() {
  return (
    <Page title="Accueil" heading="La certification des intrapreneurs de beta.gouv.fr">
      <p className="fr-text--lead">
        Agent public, vous avez mené une startup d'État ou de territoire au sein de votre administration ? La
        certification reconnaît officiellement vos compétences d'intrapreneur.
      </p>
      <p>
        Elle est proposée deux fois par an, en mai et en décembre. Elle est entièrement financée par beta.gouv.fr pour
        les intrapreneurs du réseau des incubateurs de startups d'État et de territoires. Les lauréat·es reçoivent un
        certificat, et leur administration est informée de leur réussite.
      </p>

      <SessionsSection />

      <section aria-labelledby="competences-titre" className="fr-mb-6w">
        <h2 id="competences-titre">Les 8 compétences évaluées</h2>
        <ol>
          {competences.map(({ name, description }) => (
            <li key={name} className="fr-mb-1w">
              <strong>{name}</strong> : {description}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="eligibilite-titre" className="fr-mb-6w">
        <h2 id="eligibilite-titre">Qui peut se présenter ?</h2>
        <p>Vous pouvez vous présenter si vous remplissez toutes ces conditions :</p>
        <ul>
          <li>
            vous êtes agent de l'administration (État, collectivité territoriale, hôpital, établissement public, opérateur
            de l'État…), fonctionnaire ou contractuel·le de droit public ou de droit privé ;
          </li>
          <li>vous avez intégré le programme beta.gouv.fr ;</li>
          <li>
            vous avez été intrapreneur à temps plein pendant au moins 6 mois, ou à temps partiel pendant au moins 12 mois ;
          </li>
          <li>
            votre startup a connu une phase d'accélération, et vous maîtrisez les étapes de construction d'un produit
            numérique ;
          </li>
          <li>vous n'avez pas déjà été certifié·e, ni par Numa ni par beta.gouv.fr.</li>
        </ul>
        <p>
          Si vous avez quitté votre startup, vous pouvez encore vous présenter aux deux sessions qui suivent votre départ.
          À l'inscription, vous recevez la réponse sur votre éligibilité, avec ses raisons.
        </p>
      </section>

      <section aria-labelledby="deroule-titre" className="fr-mb-6w">
        <h2 id="deroule-titre">Le déroulé</h2>
        <Table
          caption="Les six étapes de la certification"
          headers={["Étape", "Délai", "Durée"]}
          data={steps.map((step, index) => [`${index + 1}. ${step.title}`, step.when, step.duration])}
        />
        <ol>
          <li>
            <strong>Inscription</strong> : vous remplissez le formulaire d'inscription, puis confirmez votre adresse
            électronique avec le lien reçu.
          </li>
          <li>
            <strong>Dossier</strong> : vous déposez le lien du site de la startup, le lien de sa fiche produit, des
            comptes rendus d'entretiens utilisateurs avec les questions posées, des maquettes ou captures d'écran, un
            exemple de tableau d'investissement et le support de présentation du service.
          </li>
          <li>
            <strong>Prise de rendez-vous</strong> : une fois votre dossier complet, vous recevez un email pour choisir la
            date de votre oral.
          </li>
          <li>
            <strong>Oral</strong> : un entretien de 60 à 90 minutes, par téléphone ou en visioconférence, avec un coach
            certificateur.
          </li>
          <li>
            <strong>Résultat</strong> : il est publié quelques jours après l'oral, avec l'avis du jury sur chaque
            compétence ; les lauréat·es reçoivent leur certificat.
          </li>
          <li>
            <strong>Courrier à l'administration</strong> : si vous l'acceptez, beta.gouv.fr informe votre service des
            ressources humaines et votre responsable, pour que la certification soit valorisée dans votre dossier et lors
            de votre entretien annuel.
          </li>
        </ol>
      </section>

      <section aria-labelledby="preparation-titre" className="fr-mb-6w">
        <h2 id="preparation-titre">Se préparer à l'oral</h2>
        <p>
          {revisionVideos.count} vidéos de révision reprennent les éléments attendus à l'oral. Elles ont été réalisées
          par Numa, en anglais sous-titré en français, et sont hébergées sur Vimeo :
        </p>
        <ul>
          <li>
            <a href={revisionVideos.first} target="_blank" rel="noopener noreferrer">
              première vidéo de révision (Vimeo, nouvelle fenêtre)
            </a>
          </li>
          <li>
            <a href={revisionVideos.last} target="_blank" rel="noopener noreferrer">
              dernière vidéo de révision, la {revisionVideos.count}e (Vimeo, nouvelle fenêtre)
            </a>
          </li>
        </ul>
      </section>

      <section aria-labelledby="questions-titre">
        <h2 id="questions-titre">Une question ?</h2>
        <p>
          Écrivez à l'équipe animation : <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>.
        </p>
      </section>
    </Page>
  );
}
