// Step 1: the days that have free slots, each a button read in full (« mardi 18 mai 2027 —
// 3 créneaux »), never a grid of bare numbers.

import type { Ref } from "react";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { BookableSlotsQuery } from "../../gql/graphql";
import { CONTACT_EMAIL, dayButtonLabel } from "./format";
import type { Purpose } from "./flow";
import { StepHeading } from "./StepHeading";

export type BookableDay = BookableSlotsQuery["bookableSlots"][number];

export interface DayListProps {
  days: readonly BookableDay[];
  purpose: Purpose;
  refreshing: boolean;
  headingRef: Ref<HTMLHeadingElement>;
  onChoose: (date: string) => void;
  onBack: () => void;
}

export function DayList({ days, purpose, refreshing, headingRef, onChoose, onBack }: DayListProps) {
  return (
    <section aria-labelledby="etape-jour">
      <StepHeading id="etape-jour" step="days" title="Choisissez un jour" next="choisir un horaire" headingRef={headingRef} />
      {refreshing && (
        <p className="fr-text--sm" role="status">
          Mise à jour des créneaux…
        </p>
      )}
      {days.length === 0 ? (
        <div className="fr-mb-4w">
          <p>Aucun créneau n'est libre pour le moment.</p>
          <p>
            Les coachs publient leurs disponibilités au fil de la session : revenez sur cette page un peu plus tard, ou
            écrivez à l'équipe animation : <a href={`mailto:${CONTACT_EMAIL}`}>{CONTACT_EMAIL}</a>.
          </p>
        </div>
      ) : (
        <>
          <p>Les jours ci-dessous ont au moins un créneau libre.</p>
          <ul className="fr-btns-group fr-btns-group--left" aria-label="Jours ayant des créneaux libres">
            {days.map((day) => (
              <li key={day.date}>
                <Button priority="secondary" onClick={() => onChoose(day.date)}>
                  {dayButtonLabel(day.label, day.slots.length)}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
      {purpose === "reschedule" && (
        <Button priority="tertiary" iconId="fr-icon-arrow-left-line" onClick={onBack}>
          Revenir à mon oral
        </Button>
      )}
    </section>
  );
}
