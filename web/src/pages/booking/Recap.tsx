// Step 3: what is about to be booked (or where the oral moves), the mode when the slot offers
// both, then « Confirmer » or « Modifier ».

import type { Ref } from "react";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import type { OralMode } from "../../gql/graphql";
import { ErrorAlert } from "../../app/status";
import type { ErrorLike } from "../../api/errors";
import { whenLabel } from "./format";
import type { Purpose } from "./flow";
import { StepHeading } from "./StepHeading";

export interface RecapSlot {
  startsAt: string;
  endsAt: string;
  coachName?: string | null;
  modes: readonly OralMode[];
}

export interface RecapProps {
  slot: RecapSlot | undefined;
  purpose: Purpose;
  mode: OralMode | null;
  /** The oral being moved (its mode stays). */
  current: { startsAt: string; endsAt: string; mode: OralMode | null } | null;
  submitting: boolean;
  error: ErrorLike | null;
  headingRef: Ref<HTMLHeadingElement>;
  onMode: (mode: OralMode) => void;
  onConfirm: () => void;
  onBack: () => void;
}

const MODE_OPTIONS: Record<OralMode, string> = {
  VIDEO: "En visio",
  PHONE: "Par téléphone",
};

export function Recap({ slot, purpose, mode, current, submitting, error, headingRef, onMode, onConfirm, onBack }: RecapProps) {
  const moving = purpose === "reschedule";
  return (
    <section aria-labelledby="etape-recapitulatif">
      <StepHeading id="etape-recapitulatif" step="recap" title="Vérifiez et confirmez" headingRef={headingRef} />
      {slot === undefined ? (
        <p>Ce créneau n'est plus proposé : choisissez-en un autre.</p>
      ) : (
        <>
          <div className="fr-callout fr-mb-4w">
            <p className="fr-callout__text">
              {moving ? "Votre oral va être déplacé au : " : "Vous allez réserver : "}
              <strong>{whenLabel(slot.startsAt, slot.endsAt)}</strong>
              {slot.coachName ? <>, avec {slot.coachName}</> : null}
              {moving && current?.mode ? <>, {current.mode === "VIDEO" ? "en visio" : "par téléphone"} comme prévu</> : null}
              {!moving && mode !== null ? <>, {mode === "VIDEO" ? "en visio" : "par téléphone"}</> : null}.
            </p>
            {moving && current !== null && (
              <p className="fr-text--sm fr-mb-0">Il était prévu le {whenLabel(current.startsAt, current.endsAt)}.</p>
            )}
          </div>
          {!moving && slot.modes.length > 1 && (
            <RadioButtons
              legend="Comment souhaitez-vous passer l'oral ?"
              name="mode"
              orientation="horizontal"
              options={((["VIDEO", "PHONE"] as const).filter((offered) => slot.modes.includes(offered))).map((offered) => ({
                label: MODE_OPTIONS[offered],
                nativeInputProps: {
                  value: offered,
                  checked: mode === offered,
                  onChange: () => onMode(offered),
                },
              }))}
            />
          )}
          {!moving && slot.modes.length === 1 && mode !== null && (
            <p>L'oral se tient {mode === "VIDEO" ? "en visio" : "par téléphone"} : c'est le seul mode proposé pour ce créneau.</p>
          )}
          {error !== null && <ErrorAlert error={error} title={moving ? "Le déplacement n'a pas abouti" : "La réservation n'a pas abouti"} as="h3" />}
        </>
      )}
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--left">
        {slot !== undefined && (
          <li>
            <Button
              onClick={() => {
                // Not `disabled`: a disabled button drops the keyboard focus.
                if (!submitting) onConfirm();
              }}
              nativeButtonProps={{ "aria-disabled": submitting }}
            >
              {submitting ? "Envoi en cours…" : moving ? "Confirmer le déplacement" : "Confirmer la réservation"}
            </Button>
          </li>
        )}
        <li>
          <Button priority="secondary" onClick={() => !submitting && onBack()}>
            Modifier
          </Button>
        </li>
      </ul>
    </section>
  );
}
