// The jury's feedback per competence: acquired or not said in words (never by colour alone),
// and its comment.

import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { MyResultQuery } from "../../gql/graphql";

type CompetenceFeedback = MyResultQuery["myResults"][number]["competences"][number];

export function CompetenceFeedbackList({ competences }: { competences: ReadonlyArray<CompetenceFeedback> }) {
  return (
    <ol>
      {competences.map((competence) => (
        <li key={competence.name} className="fr-mb-3w">
          <h3 className="fr-h6 fr-mb-1w">{competence.name}</h3>
          {competence.acquired === true && (
            <Badge severity="success" small className="fr-mb-1w">
              Acquise
            </Badge>
          )}
          {competence.acquired === false && (
            <Badge severity="warning" small className="fr-mb-1w">
              Non acquise
            </Badge>
          )}
          {competence.acquired == null && (
            <Badge small className="fr-mb-1w">
              Non évaluée
            </Badge>
          )}
          {competence.comment.trim() !== "" && <p className="fr-mb-0">{competence.comment}</p>}
        </li>
      ))}
    </ol>
  );
}
