// The candidate's booked oral: when (Paris time and their own), with whom, how, and the
// calendar file to add it to their agenda. Moving or cancelling is done from the emailed
// booking link, which this page does not have.

import { useEffect, useMemo } from "react";
import type { MySpaceQuery } from "../../gql/graphql";
import { oralModeLabels } from "../../labels";
import { localTimeAside, parisDate, parisDateTime, parisTimeRange } from "../../time";

export type OralView = NonNullable<MySpaceQuery["myApplications"][number]["oral"]>;

/** A Blob URL of the calendar file, revoked when the oral changes or the page leaves. */
function useCalendarUrl(calendarFile: string): string {
  const url = useMemo(() => URL.createObjectURL(new Blob([calendarFile], { type: "text/calendar;charset=utf-8" })), [calendarFile]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return url;
}

export function OralDetails({ oral }: { oral: OralView }) {
  const calendarUrl = useCalendarUrl(oral.calendarFile);
  const aside = localTimeAside(oral.startsAt);
  return (
    <>
      <ul>
        <li>
          Le {parisDate(oral.startsAt)}, {parisTimeRange(oral.startsAt, oral.endsAt)}
          {aside !== null && `, soit ${aside} pour le début`}.
        </li>
        <li>Avec {oral.coachName}, coach certificateur.</li>
        {oral.mode != null && <li>L'oral a lieu {oralModeLabels[oral.mode]}.</li>}
        {oral.mode === "VIDEO" && (
          <li>
            {oral.videoLink != null ? (
              <>
                Lien de la visioconférence :{" "}
                <a href={oral.videoLink} target="_blank" rel="noopener noreferrer">
                  {oral.videoLink} (nouvelle fenêtre)
                </a>
              </>
            ) : (
              "Le lien de la visioconférence vous sera envoyé par le coach."
            )}
          </li>
        )}
        {oral.mode === "PHONE" && (
          <li>
            {oral.phone != null ? (
              <>
                Numéro à appeler : <a href={`tel:${oral.phone.replace(/\s/g, "")}`}>{oral.phone}</a>
              </>
            ) : (
              "Le coach vous appellera : son numéro vous sera communiqué."
            )}
          </li>
        )}
      </ul>
      <p>
        <a className="fr-link fr-icon-calendar-line fr-link--icon-left" href={calendarUrl} download="oral-certification.ics">
          Ajouter à mon agenda (fichier .ics)
        </a>
      </p>
      <p className="fr-text--sm">
        Pour déplacer ou annuler votre oral, utilisez le lien de réservation reçu par email.{" "}
        {oral.canReschedule
          ? `Vous pouvez le déplacer jusqu'au ${parisDateTime(oral.changeableUntil)} ; l'annuler reste possible ensuite.`
          : "Il ne peut plus être déplacé ; l'annuler reste possible."}
      </p>
    </>
  );
}
