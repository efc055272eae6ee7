// The files of one dossier item being sent, one request per file (so each has its own progress
// bar), one after the other: a pure list of rows that the page feeds with the uploads' events.

export type UploadStatus = "waiting" | "sending" | "failed";

export interface UploadRow {
  id: number;
  name: string;
  sizeBytes: number;
  status: UploadStatus;
  /** 0–100 while sending. */
  percent: number;
  /** The French sentence of a refusal (FILE_TOO_LARGE, FILE_TYPE_REFUSED…). */
  error: string | null;
  /** The failure was the network's or the server's, not the file's: sending it again may work. */
  retryable: boolean;
  /** Sent with `replaceDossierFiles` (the first file of a replacement), else added. */
  replace: boolean;
}

export type UploadEvent =
  | { type: "queued"; rows: ReadonlyArray<Pick<UploadRow, "id" | "name" | "sizeBytes" | "replace">> }
  | { type: "started"; id: number }
  | { type: "progress"; id: number; percent: number }
  /** Sent (the file is now in the dossier's list) or cancelled: the row goes. */
  | { type: "done"; id: number }
  | { type: "failed"; id: number; error: string; retryable: boolean }
  /** « Réessayer » on a failed row: it waits for its turn again. */
  | { type: "requeued"; id: number }
  /** « Fermer » on a failed row. */
  | { type: "dismissed"; id: number };

export function uploads(rows: readonly UploadRow[], event: UploadEvent): UploadRow[] {
  const update = (id: number, change: Partial<UploadRow>) =>
    rows.map((row) => (row.id === id ? { ...row, ...change } : row));
  switch (event.type) {
    case "queued":
      return [
        ...rows,
        ...event.rows.map((row) => ({ ...row, status: "waiting" as const, percent: 0, error: null, retryable: false })),
      ];
    case "started":
      return update(event.id, { status: "sending", percent: 0 });
    case "progress": {
      const percent = Math.max(0, Math.min(100, Math.floor(event.percent)));
      return update(event.id, { percent });
    }
    case "done":
    case "dismissed":
      return rows.filter((row) => row.id !== event.id);
    case "failed":
      return update(event.id, { status: "failed", error: event.error, retryable: event.retryable });
    case "requeued":
      return update(event.id, { status: "waiting", percent: 0, error: null, retryable: false });
  }
}

/** « 42 % » (the visible text beside the bar). */
export function percentText(percent: number): string {
  return `${Math.floor(percent)} %`;
}

/** Whether any row is still to send or being sent. */
export function busy(rows: readonly UploadRow[]): boolean {
  return rows.some((row) => row.status !== "failed");
}
