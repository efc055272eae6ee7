// The heading of a booking step, drawn as the DSFR stepper (« Étape 2 sur 3 »). It takes the
// page's focus ref: after each step the page moves focus here, so a screen reader reads where
// the person now is and a phone scrolls to it (Cal.com loses focus after choosing a day).

import type { Ref } from "react";
import { stepNumber, type StepName } from "./flow";

export const STEP_COUNT = 3;

export interface StepHeadingProps {
  /** The heading's id, for the section's aria-labelledby. */
  id: string;
  step: StepName;
  title: string;
  next?: string;
  headingRef: Ref<HTMLHeadingElement>;
}

export function StepHeading({ id, step, title, next, headingRef }: StepHeadingProps) {
  const number = stepNumber(step) ?? STEP_COUNT;
  return (
    <div className="fr-stepper fr-mt-4w">
      <h2 id={id} className="fr-stepper__title" ref={headingRef} tabIndex={-1}>
        {title}{" "}
        <span className="fr-stepper__state">
          Étape {number} sur {STEP_COUNT}
        </span>
      </h2>
      <div className="fr-stepper__steps" data-fr-current-step={number} data-fr-steps={STEP_COUNT} />
      {next !== undefined && (
        <p className="fr-stepper__details">
          <span className="fr-text--bold">Étape suivante :</span> {next}
        </p>
      )}
    </div>
  );
}
