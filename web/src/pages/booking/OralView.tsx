// The oral already booked with this link (or just booked, or just moved): its details, the
// calendar file, and what the person may do — move it while the API says so, cancel it.

import type { Ref } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { BookingOralFieldsFragment } from "../../gql/graphql";
import { parisDateTime } from "../../time";
import { AddToCalendar } from "./AddToCalendar";
import { cancelModal } from "./CancelDialog";
import { CONTACT_EMAIL } from "./format";
import { OralSummary } from "./OralSummary";

export interface OralViewProps {
  oral: BookingOralFieldsFragment;
  /** Set right after booking or moving: the confirmation. */
  justDone: "booked" | "moved" | null;
  /** Moving and cancelling are offered (the application is at the booking stage). */
  actions: boolean;
  headingRef: Ref<HTMLHeadingElement>;
  onReschedule: () => void;
}

export function OralView({ oral, justDone, actions, headingRef, onReschedule }: OralViewProps) {
  return (
    <section aria-labelledby="votre-oral" className="fr-mt-4w">
      <h2 id="votre-oral" ref={headingRef} tabIndex={-1}>
        {justDone === "moved" ? "Votre oral est déplacé" : "Votre oral est réservé"}
      </h2>
      {justDone !== null && (
        <Alert
          severity="success"
          as="h3"
          className="fr-mb-3w"
          title={justDone === "moved" ? "C'est noté : votre oral a changé d'horaire" : "C'est confirmé"}
          description="Vous recevrez une invitation par email, avec le fichier à ajouter à votre agenda."
        />
      )}
      <OralSummary oral={oral} />
      <p>
        <AddToCalendar calendarFile={oral.calendarFile} />
      </p>
      {actions && (
        <>
          <h3 className="fr-mt-4w">Changer ou annuler</h3>
          {oral.canReschedule ? (
            <>
              <p>Vous pouvez déplacer votre oral jusqu'au {parisDateTime(oral.changeableUntil)}.</p>
              <Button priority="secondary" iconId="fr-icon-calendar-event-line" onClick={onReschedule}>
                Déplacer mon oral
              </Button>
            </>
          ) : (
            <p>
              Moins de 48 heures avant l'oral, écrivez à l'équipe animation (
              <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>) pour le déplacer.
            </p>
          )}
          <p className="fr-mt-3w">
            <Button priority="tertiary" iconId="fr-icon-close-circle-line" nativeButtonProps={cancelModal.buttonProps}>
              Annuler mon oral
            </Button>
          </p>
        </>
      )}
    </section>
  );
}
