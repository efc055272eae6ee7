// What the public pages say about the certification (the beta.gouv.fr page « Certification des
// intras », /work/shared/seed): the competences as that page names them, the six steps and
// their durations, the revision videos. The grid a session really uses is data in the API;
// this is the description shown to people before they register.

export interface CompetenceDescription {
  name: string;
  description: string;
}

export const competences: ReadonlyArray<CompetenceDescription> = [
  {
    name: "Pitch",
    description:
      "Présenter oralement le service en montrant la démarche centrée sur les usagers, et convaincre des décideurs (comité d'investissement).",
  },
  {
    name: "Investigation du problème que ta Startup cherche à résoudre",
    description: "Préparer, mener et analyser des entretiens avec les usagers pour comprendre leurs besoins.",
  },
  {
    name: "Conception/Priorisation",
    description: "Proposer des fonctionnalités et les classer selon leur impact et leur difficulté.",
  },
  {
    name: "Prototypage",
    description: "Participer à la construction du produit minimum viable et du parcours usager pour pouvoir le tester.",
  },
  {
    name: "Test",
    description: "Concevoir et conduire un protocole de test (appétence, utilisabilité) et en analyser les résultats.",
  },
  {
    name: "Déploiement",
    description: "Prévoir comment gagner les premiers usagers : une stratégie d'acquisition viable à 12–24 mois.",
  },
  {
    name: "Financement",
    description: "Trouver des financements, prévoir un budget, suivre l'impact.",
  },
  {
    name: "Mettre en place et maintenir une cohésion d'équipe",
    description: "Constituer une équipe et la garder efficace et en bonne santé.",
  },
];

export interface CertificationStep {
  /** As the table of the public page names it. */
  title: string;
  /** As the candidate's stepper names it. */
  short: string;
  /** When it happens (« Jour 1 »), or empty. */
  when: string;
  /** How long it takes, or empty. */
  duration: string;
}

export const steps: ReadonlyArray<CertificationStep> = [
  { title: "Inscription", short: "Inscription", when: "Jour 1", duration: "" },
  { title: "Complétion du dossier", short: "Dossier", when: "", duration: "4 à 5\u00a0h" },
  { title: "Prise de rendez-vous", short: "Prise de rendez-vous", when: "", duration: "" },
  { title: "Oral d'évaluation", short: "Oral", when: "", duration: "1\u00a0h à 1\u00a0h\u00a030" },
  { title: "Résultat", short: "Résultat", when: "Quelques jours après l'oral", duration: "" },
  { title: "Courrier à l'administration", short: "Courrier à l'administration", when: "Vers le jour 40", duration: "" },
];

/** The revision videos by Numa (English, French subtitles): their number and the first and last. */
export const revisionVideos = {
  count: 12,
  first: "https://vimeo.com/320507167",
  last: "https://vimeo.com/320512350",
} as const;

export const CONTACT_EMAIL = "contact@beta.gouv.fr";
