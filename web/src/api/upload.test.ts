import { describe, expect, it } from "vitest";
import { extractFiles } from "./upload";

describe("multipart uploads", () => {
  it("replaces each file by null and maps where it was", () => {
    const a = new Blob(["a"]);
    const b = new Blob(["b"]);
    const { clone, files } = extractFiles({ applicationId: "7", kind: "PRODUCT", files: [a, b] });
    expect(clone).toEqual({ applicationId: "7", kind: "PRODUCT", files: [null, null] });
    expect(files).toEqual([
      { path: "variables.files.0", file: a },
      { path: "variables.files.1", file: b },
    ]);
  });
});
