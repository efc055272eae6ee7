// One item of the dossier (« les maquettes du site… »): its files with their download links,
// adding files (one request per file, each with its progress bar and a cancel button),
// replacing them all (behind a confirmation) and removing one. The server checks every file;
// its refusals (FILE_TOO_LARGE, FILE_TYPE_REFUSED…) are shown next to the file.

import { useCallback, useEffect, useReducer, useRef, useState, type ChangeEvent } from "react";
import { useMutation } from "urql";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { fr } from "@codegouvfr/react-dsfr";
import { useAnnounce } from "../../app/announcer";
import { describeError, errorCode, isRetryable } from "../../api/errors";
import { upload, type UploadResult } from "../../api/upload";
import type { DossierFieldsFragment, DossierFileKind } from "../../gql/graphql";
import { parisDateTime } from "../../time";
import { ACCEPT_ATTRIBUTE, FILE_HINT, fileDetail, fileSize } from "./files";
import { AddDossierFilesDocument, RemoveDossierFileDocument, ReplaceDossierFilesDocument } from "./queries";
import { percentText, uploads, type UploadRow } from "./uploads";

export type FileSetData = DossierFieldsFragment["fileSets"][number];

/** One confirmation dialog per item (DSFR modals are created once, with a fixed id). */
const replaceModals: Record<DossierFileKind, ReturnType<typeof createModal>> = {
  USER_INTERVIEWS: createModal({ id: "remplacer-entretiens", isOpenedByDefault: false }),
  MOCKUPS: createModal({ id: "remplacer-maquettes", isOpenedByDefault: false }),
  INVESTMENT_TABLE: createModal({ id: "remplacer-tableau", isOpenedByDefault: false }),
  PRESENTATION: createModal({ id: "remplacer-presentation", isOpenedByDefault: false }),
};

/** « les maquettes du site » → « Les maquettes du site ». */
export const capitalized = (text: string) => text.charAt(0).toLocaleUpperCase("fr-FR") + text.slice(1);

const filesWord = (n: number) => `${n} fichier${n > 1 ? "s" : ""}`;

let nextUploadId = 1;

export interface FileSetProps {
  applicationId: string;
  set: FileSetData;
  editable: boolean;
  onDossier: (dossier: DossierFieldsFragment) => void;
  /** A batch of uploads ended (the page reloads the dossier once, to be sure it is current). */
  onSettled: () => void;
  /** The dossier is locked meanwhile: the page reloads it. */
  onLocked: () => void;
}

export function FileSet({ applicationId, set, editable, onDossier, onSettled, onLocked }: FileSetProps) {
  const [rows, dispatch] = useReducer(uploads, []);
  const files = useRef(new Map<number, File>());
  const controllers = useRef(new Map<number, AbortController>());
  const queue = useRef<number[]>([]);
  const running = useRef(false);
  const replaceFlags = useRef(new Map<number, boolean>());
  const heading = useRef<HTMLHeadingElement>(null);
  const announce = useAnnounce();
  const [{ fetching: removing }, removeFile] = useMutation(RemoveDossierFileDocument);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const modal = replaceModals[set.kind];
  const title = capitalized(set.label);
  const inputId = `fichiers-${set.kind}`;

  const sendOne = useCallback(
    async (id: number) => {
      const file = files.current.get(id);
      if (file === undefined) return;
      const controller = new AbortController();
      controllers.current.set(id, controller);
      dispatch({ type: "started", id });
      const variables = { applicationId, kind: set.kind, files: [file] };
      const options = {
        signal: controller.signal,
        onProgress: ({ percent }: { percent: number }) => dispatch({ type: "progress", id, percent }),
      };
      const result: UploadResult<DossierFieldsFragment> =
        replaceFlags.current.get(id) === true
          ? await upload(ReplaceDossierFilesDocument, variables, options).then((answer) =>
              answer.error === undefined ? { data: answer.data.replaceDossierFiles } : answer,
            )
          : await upload(AddDossierFilesDocument, variables, options).then((answer) =>
              answer.error === undefined ? { data: answer.data.addDossierFiles } : answer,
            );
      controllers.current.delete(id);
      if (result.error === undefined || result.error.aborted || !isRetryable(result.error)) files.current.delete(id);
      if (result.error === undefined) {
        onDossier(result.data);
        dispatch({ type: "done", id });
        announce(`« ${file.name} » ajouté.`);
        return;
      }
      if (result.error.aborted) {
        dispatch({ type: "done", id });
        announce(`Envoi de « ${file.name} » annulé.`);
        return;
      }
      const { message } = describeError(result.error);
      dispatch({ type: "failed", id, error: message, retryable: isRetryable(result.error) });
      announce(`« ${file.name} » n'a pas été ajouté. ${message}`, { assertive: true });
      if (errorCode(result.error) === "DOSSIER_LOCKED") onLocked();
    },
    [applicationId, set.kind, onDossier, onLocked, announce],
  );

  const pump = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    for (let id = queue.current.shift(); id !== undefined; id = queue.current.shift()) {
      await sendOne(id);
    }
    running.current = false;
    onSettled();
  }, [sendOne, onSettled]);

  const enqueue = (chosen: File[], replace: boolean) => {
    if (chosen.length === 0) return;
    const queued = chosen.map((file, index) => {
      const id = nextUploadId++;
      files.current.set(id, file);
      replaceFlags.current.set(id, replace && index === 0);
      queue.current.push(id);
      return { id, name: file.name, sizeBytes: file.size, replace: replace && index === 0 };
    });
    dispatch({ type: "queued", rows: queued });
    announce(`Envoi de ${filesWord(chosen.length)} en cours.`);
    void pump();
  };

  const retry = (row: UploadRow) => {
    if (!files.current.has(row.id)) return;
    queue.current.push(row.id);
    dispatch({ type: "requeued", id: row.id });
    announce(`Nouvel envoi de « ${row.name} ».`);
    void pump();
  };

  const dismiss = (row: UploadRow) => {
    files.current.delete(row.id);
    dispatch({ type: "dismissed", id: row.id });
  };

  const cancel = (row: UploadRow) => {
    const controller = controllers.current.get(row.id);
    if (controller !== undefined) {
      controller.abort();
      return;
    }
    queue.current = queue.current.filter((id) => id !== row.id);
    files.current.delete(row.id);
    dispatch({ type: "done", id: row.id });
    announce(`Envoi de « ${row.name} » annulé.`);
  };

  // Leaving the page stops the uploads under way.
  useEffect(() => {
    const pending = controllers.current;
    return () => pending.forEach((controller) => controller.abort());
  }, []);

  const onChoose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = "";
    enqueue(chosen, false);
  };

  const remove = async (fileId: string, name: string) => {
    setRemoveError(null);
    const result = await removeFile({ fileId });
    if (result.error !== undefined || result.data === undefined) {
      const message = result.error === undefined ? describeError({ graphQLErrors: [] }).message : describeError(result.error).message;
      setRemoveError(`« ${name} » n'a pas été supprimé. ${message}`);
      announce(`« ${name} » n'a pas été supprimé. ${message}`, { assertive: true });
      if (result.error !== undefined && errorCode(result.error) === "DOSSIER_LOCKED") onLocked();
      return;
    }
    onDossier(result.data.removeDossierFile);
    announce(`« ${name} » supprimé.`);
    // The button is gone: the item's heading keeps the person's place.
    heading.current?.focus();
  };

  return (
    <div className="fr-mb-6w">
      <h3 className="fr-h5" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {set.files.length === 0 ? (
        <p className="fr-text--sm">Aucun fichier pour le moment.</p>
      ) : (
        <ul className="fr-raw-list fr-mb-3w">
          {set.files.map((file) => (
            <li key={file.id} className="fr-mb-2w">
              <a className="fr-link fr-link--download" href={file.downloadUrl} download={file.fileName} style={{ overflowWrap: "anywhere" }}>
                {file.fileName}
                <span className="fr-link__detail">{fileDetail(file.mediaType, file.sizeBytes)}</span>
              </a>
              <p className="fr-text--xs fr-mb-1v">Ajouté le {parisDateTime(file.uploadedAt)}</p>
              {editable && (
                <Button
                  priority="tertiary no outline"
                  size="small"
                  iconId="fr-icon-delete-line"
                  onClick={() => !removing && void remove(file.id, file.fileName)}
                  nativeButtonProps={{ "aria-label": `Supprimer ${file.fileName}` }}
                >
                  Supprimer
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {removeError !== null && (
        <p className="fr-error-text fr-mb-2w" role="alert">
          {removeError}
        </p>
      )}
      {rows.length > 0 && (
        <ul className="fr-raw-list fr-mb-3w">
          {rows.map((row) => (
            <li key={row.id} className="fr-mb-2w">
              <p className="fr-mb-1v" style={{ overflowWrap: "anywhere" }}>
                {row.name} <span className="fr-text--xs">({fileSize(row.sizeBytes)})</span>
              </p>
              {row.status === "failed" ? (
                <>
                  <p className="fr-error-text fr-mt-0 fr-mb-1v">{row.error}</p>
                  {row.retryable && (
                    <Button priority="secondary" size="small" className="fr-mr-2w" onClick={() => retry(row)} nativeButtonProps={{ "aria-label": `Réessayer l'envoi de ${row.name}` }}>
                      Réessayer
                    </Button>
                  )}
                  <Button priority="tertiary no outline" size="small" onClick={() => dismiss(row)}>
                    Fermer ce message
                  </Button>
                </>
              ) : (
                <div style={{ display: "flex", alignItems: "center", gap: "0.75rem", flexWrap: "wrap" }}>
                  <progress
                    max={100}
                    value={row.status === "waiting" ? 0 : row.percent}
                    aria-label={`Envoi de ${row.name}`}
                    style={{ flex: "1 1 10rem", height: "0.75rem", accentColor: fr.colors.decisions.background.actionHigh.blueFrance.default }}
                  />
                  <span className="fr-text--sm fr-mb-0" aria-hidden="true">
                    {row.status === "waiting" ? "En attente" : percentText(row.percent)}
                  </span>
                  <Button priority="tertiary" size="small" onClick={() => cancel(row)} nativeButtonProps={{ "aria-label": `Annuler l'envoi de ${row.name}` }}>
                    Annuler
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <>
          <Upload
            label={`Ajouter des fichiers : ${set.label}`}
            hint={FILE_HINT}
            multiple
            nativeInputProps={{ id: inputId, accept: ACCEPT_ATTRIBUTE, onChange: onChoose }}
          />
          {set.files.length > 0 && (
            <Button className="fr-mt-2w" priority="secondary" size="small" iconId="fr-icon-refresh-line" nativeButtonProps={modal.buttonProps}>
              Remplacer tous les fichiers
            </Button>
          )}
          <ReplaceDialog kind={set.kind} title={title} count={set.files.length} onConfirm={(chosen) => enqueue(chosen, true)} />
        </>
      )}
    </div>
  );
}

function ReplaceDialog({
  kind,
  title,
  count,
  onConfirm,
}: {
  kind: DossierFileKind;
  title: string;
  count: number;
  onConfirm: (files: File[]) => void;
}) {
  const modal = replaceModals[kind];
  const [chosen, setChosen] = useState<File[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const isOpen = useIsModalOpen(modal);
  const inputId = `remplacement-${kind}`;

  useEffect(() => {
    if (!isOpen) return;
    setChosen([]);
    setProblem(null);
    // The same input serves each time the dialog opens: empty it.
    const input = document.getElementById(inputId);
    if (input instanceof HTMLInputElement) input.value = "";
  }, [isOpen, inputId]);

  const confirm = () => {
    if (chosen.length === 0) {
      setProblem("Choisissez au moins un fichier.");
      document.getElementById(inputId)?.focus();
      return;
    }
    modal.close();
    // Closed by the page, the dialog gives the focus back to no one: back to its button.
    document.getElementById(modal.buttonProps.id)?.focus();
    onConfirm(chosen);
  };

  return (
    <modal.Component
      title="Remplacer tous les fichiers de cette pièce ?"
      titleAs="h2"
      buttons={[
        { children: "Annuler", priority: "secondary" },
        { children: "Remplacer les fichiers", doClosesModal: false, onClick: confirm },
      ]}
    >
      <p>
        Pièce : {title}.{" "}
        {count > 1
          ? `Ses ${count} fichiers actuels seront supprimés et remplacés par ceux que vous choisissez ici.`
          : "Son fichier actuel sera supprimé et remplacé par ceux que vous choisissez ici."}
      </p>
      <Upload
        label="Nouveaux fichiers"
        hint={FILE_HINT}
        multiple
        state={problem === null ? "default" : "error"}
        stateRelatedMessage={problem}
        nativeInputProps={{
          id: inputId,
          accept: ACCEPT_ATTRIBUTE,
          onChange: (event) => {
            setChosen(Array.from(event.target.files ?? []));
            setProblem(null);
          },
        }}
      />
    </modal.Component>
  );
}
