// The booked oral as the candidate reads it: when (Paris time, and theirs), with whom, how.

import type { BookingOralFieldsFragment } from "../../gql/graphql";
import { modeLabel, whenLabel } from "./format";

export function OralSummary({ oral }: { oral: BookingOralFieldsFragment }) {
  return (
    <dl className="fr-mb-3w fr-pl-0">
      <dt className="fr-text--bold">Date et heure</dt>
      <dd className="fr-ml-0 fr-mb-2w">{whenLabel(oral.startsAt, oral.endsAt)}</dd>
      <dt className="fr-text--bold">Coach</dt>
      <dd className="fr-ml-0 fr-mb-2w">{oral.coachName}</dd>
      {oral.mode !== null && (
        <>
          <dt className="fr-text--bold">Mode</dt>
          <dd className="fr-ml-0 fr-mb-2w">{modeLabel(oral.mode)}</dd>
        </>
      )}
      {oral.videoLink !== null && (
        <>
          <dt className="fr-text--bold">Lien de la visio</dt>
          <dd className="fr-ml-0 fr-mb-2w" style={{ overflowWrap: "anywhere" }}>
            <a href={oral.videoLink} target="_blank" rel="noopener noreferrer" title={`${oral.videoLink} — nouvelle fenêtre`}>
              {oral.videoLink}
            </a>
          </dd>
        </>
      )}
      {oral.phone !== null && (
        <>
          <dt className="fr-text--bold">Téléphone du coach</dt>
          <dd className="fr-ml-0 fr-mb-2w">
            <a href={`tel:${oral.phone.replace(/\s+/g, "")}`}>{oral.phone}</a>
          </dd>
        </>
      )}
    </dl>
  );
}
