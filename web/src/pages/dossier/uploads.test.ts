import { describe, expect, it } from "vitest";
import { busy, percentText, uploads, type UploadEvent, type UploadRow } from "./uploads";

const run = (...events: UploadEvent[]) => events.reduce<UploadRow[]>(uploads, []);
const queued: UploadEvent = {
  type: "queued",
  rows: [
    { id: 1, name: "a.pdf", sizeBytes: 10, replace: true },
    { id: 2, name: "b.pdf", sizeBytes: 20, replace: false },
  ],
};

describe("uploads of one item", () => {
  it("queues each file with its own row, waiting", () => {
    const rows = run(queued);
    expect(rows.map((row) => [row.name, row.status, row.percent, row.replace])).toEqual([
      ["a.pdf", "waiting", 0, true],
      ["b.pdf", "waiting", 0, false],
    ]);
    expect(busy(rows)).toBe(true);
  });

  it("follows one file's progress, bounded to 0–100, and drops it once sent", () => {
    let rows = run(queued, { type: "started", id: 1 }, { type: "progress", id: 1, percent: 42.7 });
    expect(rows[0]).toMatchObject({ status: "sending", percent: 42 });
    expect(rows[1]?.status).toBe("waiting");
    rows = uploads(rows, { type: "progress", id: 1, percent: 140 });
    expect(rows[0]?.percent).toBe(100);
    rows = uploads(rows, { type: "done", id: 1 });
    expect(rows.map((row) => row.id)).toEqual([2]);
  });

  it("keeps a refused file with the API's sentence until dismissed", () => {
    let rows = run(queued, { type: "started", id: 2 }, { type: "failed", id: 2, error: "« b.pdf » pèse 25 Mo : un fichier ne peut dépasser 20 Mo.", retryable: false });
    expect(rows[1]).toMatchObject({ status: "failed", error: "« b.pdf » pèse 25 Mo : un fichier ne peut dépasser 20 Mo.", retryable: false });
    rows = uploads(rows, { type: "done", id: 1 });
    expect(busy(rows)).toBe(false);
    expect(uploads(rows, { type: "dismissed", id: 2 })).toEqual([]);
  });

  it("sends a file again after a failure of the network", () => {
    let rows = run(queued, { type: "started", id: 1 }, { type: "progress", id: 1, percent: 30 });
    rows = uploads(rows, { type: "failed", id: 1, error: "Le service est momentanément indisponible, réessayez dans un instant.", retryable: true });
    expect(rows[0]).toMatchObject({ status: "failed", retryable: true });
    rows = uploads(rows, { type: "requeued", id: 1 });
    expect(rows[0]).toMatchObject({ status: "waiting", percent: 0, error: null, retryable: false });
    expect(busy(rows)).toBe(true);
  });

  it("writes the percentage as French text", () => {
    expect(percentText(42)).toBe("42 %");
    expect(percentText(99.9)).toBe("99 %");
  });
});
