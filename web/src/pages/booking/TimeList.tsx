// Step 2: the times of the chosen day, each a button with its Paris time (and the person's own
// time beside it when their browser is elsewhere), the coach and the modes.

import type { Ref } from "react";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { OralMode } from "../../gql/graphql";
import { slotLabel } from "./format";
import type { BookableDay } from "./DayList";
import { StepHeading } from "./StepHeading";

export interface TimeListProps {
  day: BookableDay | undefined;
  headingRef: Ref<HTMLHeadingElement>;
  onChoose: (slotId: string, modes: readonly OralMode[]) => void;
  onBack: () => void;
}

export function TimeList({ day, headingRef, onChoose, onBack }: TimeListProps) {
  return (
    <section aria-labelledby="etape-horaire">
      <StepHeading
        id="etape-horaire"
        step="times"
        title={day === undefined ? "Choisissez un horaire" : `Choisissez un horaire le ${day.label}`}
        next="vérifier et confirmer"
        headingRef={headingRef}
      />
      {day === undefined || day.slots.length === 0 ? (
        <p>Ce jour n'a plus de créneau libre : choisissez un autre jour.</p>
      ) : (
        <ul className="fr-btns-group fr-btns-group--left" aria-label={`Horaires libres le ${day.label}`}>
          {day.slots.map((slot) => (
            <li key={slot.id}>
              <Button priority="secondary" onClick={() => onChoose(slot.id, slot.modes)}>
                {slotLabel(slot)}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button priority="tertiary" iconId="fr-icon-arrow-left-line" onClick={onBack}>
        Choisir un autre jour
      </Button>
    </section>
  );
}
