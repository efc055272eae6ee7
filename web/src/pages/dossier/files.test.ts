import { describe, expect, it } from "vitest";
import { ACCEPT_ATTRIBUTE, fileDetail, fileSize, fileTypeLabel } from "./files";

describe("dossier files", () => {
  it("reads sizes in French units, rounded up to a tenth like the server", () => {
    expect(fileSize(20 * 1024 * 1024)).toBe("20 Mo");
    expect(fileSize(64 * 1024)).toBe("64 Ko");
    expect(fileSize(1536 * 1024)).toBe("1,5 Mo");
    expect(fileSize(1)).toBe("0,1 Ko");
    expect(fileSize(0)).toBe("0 Ko");
    expect(fileSize(1024 * 1024 - 1)).toBe("1024 Ko");
  });

  it("names the types in words", () => {
    expect(fileTypeLabel("application/pdf")).toBe("PDF");
    expect(fileTypeLabel("image/PNG")).toBe("image PNG");
    expect(fileTypeLabel("application/vnd.oasis.opendocument.presentation")).toBe("présentation OpenDocument");
    expect(fileTypeLabel("application/x-unknown")).toBe("application/x-unknown");
    expect(fileDetail("application/pdf", 2048)).toBe("PDF – 2 Ko");
  });

  it("accepts the extensions the server takes", () => {
    for (const extension of [".pdf", ".jpeg", ".odp", ".xlsx"]) expect(ACCEPT_ATTRIBUTE.split(",")).toContain(extension);
    expect(ACCEPT_ATTRIBUTE).not.toMatch(/exe|zip/);
  });
});
