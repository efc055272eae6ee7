// File uploads: the GraphQL multipart request spec over XHR (fetch has no upload progress),
// with the `X-Certif-Upload` header certif requires of multipart requests (api/src/http/graphql.rs).
// One call sends one request; send one file per call to show one progress bar per file.

import { stringifyDocument } from "@urql/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { ErrorLike } from "./errors";
import { GRAPHQL_URL } from "./client";
import { noteApiActivity } from "./activity";

export const UPLOAD_HEADER = "X-Certif-Upload";

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send (the whole request body). */
  total: number;
  /** 0–100, rounded down. */
  percent: number;
}

export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** A failed upload, shaped like urql's `CombinedError` for `describeError`. */
export class UploadError extends Error implements ErrorLike {
  readonly graphQLErrors: GraphQLErrorLike[];
  readonly networkError: Error | undefined;
  readonly aborted: boolean;
  constructor(graphQLErrors: GraphQLErrorLike[], networkError?: Error, aborted = false) {
    super(graphQLErrors[0]?.message ?? networkError?.message ?? "upload failed");
    this.graphQLErrors = graphQLErrors;
    this.networkError = networkError;
    this.aborted = aborted;
  }
}

export type UploadResult<TData> = { data: TData; error?: undefined } | { data?: undefined; error: UploadError };

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Replaces each File or Blob in `variables` by `null`, and lists where each was
 * (`variables.files.0`): the spec's `operations` and `map`.
 */
export function extractFiles(variables: unknown): { clone: unknown; files: Array<{ path: string; file: Blob }> } {
  const files: Array<{ path: string; file: Blob }> = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof Blob !== "undefined" && value instanceof Blob) {
      files.push({ path, file: value });
      return null;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}.${i}`));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, `${path}.${key}`)]));
    }
    return value;
  };
  return { clone: walk(variables, "variables"), files };
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLErrorLike[];
}

function parseResponse<TData>(status: number, body: string): UploadResult<TData> {
  let json: GraphQLResponse<TData> | null;
  try {
    const parsed: unknown = JSON.parse(body);
    json = parsed !== null && typeof parsed === "object" ? (parsed as GraphQLResponse<TData>) : null;
  } catch {
    json = null;
  }
  if (json === null) return { error: new UploadError([], new Error(`HTTP ${status}`)) };
  if (Array.isArray(json.errors) && json.errors.length > 0) return { error: new UploadError(json.errors) };
  if (json.data === undefined || json.data === null) return { error: new UploadError([], new Error(`HTTP ${status}`)) };
  return { data: json.data };
}

/** Sends a mutation whose variables hold files; resolves (never rejects) with its data or error. */
export function upload<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: UploadOptions = {},
): Promise<UploadResult<TData>> {
  const { clone, files } = extractFiles(variables);
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: stringifyDocument(document), variables: clone }));
  form.append("map", JSON.stringify(Object.fromEntries(files.map(({ path }, i) => [String(i), [path]]))));
  files.forEach(({ file }, i) => form.append(String(i), file, file instanceof File ? file.name : `fichier-${i}`));

  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", GRAPHQL_URL);
    xhr.withCredentials = false; // same origin: the cookie goes anyway
    xhr.setRequestHeader(UPLOAD_HEADER, "1");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable || options.onProgress === undefined) return;
      options.onProgress({
        loaded: event.loaded,
        total: event.total,
        percent: Math.floor((event.loaded / Math.max(event.total, 1)) * 100),
      });
    };
    xhr.onload = () => resolve(parseResponse<TData>(xhr.status, xhr.responseText));
    xhr.onerror = () => resolve({ error: new UploadError([], new Error("network")) });
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => resolve({ error: new UploadError([], new Error("aborted"), true) });
    if (options.signal !== undefined) {
      if (options.signal.aborted) {
        resolve({ error: new UploadError([], new Error("aborted"), true) });
        return;
      }
      options.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    noteApiActivity();
    xhr.send(form);
  });
}
