// « Annuler mon oral »: a DSFR modal (focus trapped, Échap closes it) asking for the reason,
// which is required — the API sends it to the coach — then `cancelOral` with the link.

import { useEffect, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { ErrorAlert } from "../../app/status";
import { isTokenError, type ErrorLike } from "../../api/errors";
import { requiredProblem } from "../forms";
import { CancelOralDocument } from "./queries";

export const cancelModal = createModal({ id: "annuler-oral", isOpenedByDefault: false });

const REASON_ID = "annulation-raison";

export interface CancelDialogProps {
  token: string;
  /** The oral is cancelled (the modal is closing). */
  onCancelled: () => void;
  /** The link was refused meanwhile. */
  onTokenError: (error: ErrorLike) => void;
}

export function CancelDialog({ token, onCancelled, onTokenError }: CancelDialogProps) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, cancel] = useMutation(CancelOralDocument);
  const [shownError, setShownError] = useState<ErrorLike | null>(null);
  const isOpen = useIsModalOpen(cancelModal);

  useEffect(() => {
    if (isOpen) {
      setProblem(null);
      setShownError(null);
    }
  }, [isOpen]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (fetching) return;
    const found = requiredProblem(reason, "la raison de l'annulation");
    setProblem(found);
    if (found !== null) {
      document.getElementById(REASON_ID)?.focus();
      return;
    }
    const result = await cancel({ token, reason: reason.trim() });
    if (result.error !== undefined) {
      if (isTokenError(result.error)) {
        cancelModal.close();
        onTokenError(result.error);
        return;
      }
      setShownError(result.error);
      return;
    }
    setReason("");
    cancelModal.close();
    onCancelled();
  };

  return (
    <cancelModal.Component
      title="Annuler votre oral ?"
      titleAs="h2"
      buttons={[
        { children: "Garder mon oral", priority: "secondary" },
        {
          children: fetching ? "Annulation en cours…" : "Confirmer l'annulation",
          doClosesModal: false,
          onClick: () => void submit(),
        },
      ]}
    >
      <p>
        Le créneau sera libéré et le coach prévenu. Vous pourrez ensuite choisir un autre créneau avec ce même lien.
      </p>
      {shownError !== null && <ErrorAlert error={shownError} title="L'annulation n'a pas abouti" as="h3" />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Input
          textArea
          label="Raison de l'annulation (obligatoire)"
          hintText="Elle est transmise au coach et à l'équipe animation."
          state={problem === null ? "default" : "error"}
          stateRelatedMessage={problem}
          nativeTextAreaProps={{
            id: REASON_ID,
            name: "raison",
            rows: 4,
            required: true,
            value: reason,
            onChange: (event) => setReason(event.target.value),
            "aria-invalid": problem !== null,
          }}
        />
      </form>
    </cancelModal.Component>
  );
}
