// A small GraphQL client for the setup the tests do "through the API" (what the équipe animation,
// a coach or a candidate would do in their own pages): JSON POSTs, a Bearer token, and GraphQL
// multipart uploads with the `X-Certif-Upload` header.

export class GraphQLRequestError extends Error {
  /** @param {string} operation @param {Array<{message: string, extensions?: {code?: string}}>} errors */
  constructor(operation, errors) {
    super(
      `${operation}: ${errors.map((error) => `${error.extensions?.code ?? "?"} — ${error.message}`).join("; ")}`,
    );
    this.errors = errors;
    this.code = errors[0]?.extensions?.code;
  }
}

const operationName = (query) => /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? query.trim().slice(0, 40);

export class GraphQLClient {
  /** @param {string} base @param {string | null} [token] */
  constructor(base, token = null) {
    this.base = base;
    this.token = token;
  }

  /** The same server as another identity. @param {string | null} token */
  as(token) {
    return new GraphQLClient(this.base, token);
  }

  headers(extra = {}) {
    return this.token ? { ...extra, authorization: `Bearer ${this.token}` } : extra;
  }

  /** Runs an operation; its data, or throws with every error's code and message. */
  async request(query, variables = {}) {
    const { data, errors } = await this.attempt(query, variables);
    if (errors?.length) throw new GraphQLRequestError(operationName(query), errors);
    return data;
  }

  /** Runs an operation; `{ data, errors }` as answered (for tests of refusals). */
  async attempt(query, variables = {}) {
    const response = await fetch(`${this.base}/graphql`, {
      method: "POST",
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${operationName(query)}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    }
  }

  /**
   * A GraphQL multipart request (graphql-multipart-request-spec): `files` go to
   * `variables.<filesVariable>` in order.
   * @param {string} query
   * @param {Record<string, unknown>} variables
   * @param {Array<{ name: string, type: string, bytes: Uint8Array }>} files
   */
  async upload(query, variables, files, filesVariable = "files") {
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({ query, variables: { ...variables, [filesVariable]: files.map(() => null) } }),
    );
    form.append(
      "map",
      JSON.stringify(Object.fromEntries(files.map((_, index) => [String(index), [`variables.${filesVariable}.${index}`]]))),
    );
    files.forEach((file, index) => {
      form.append(String(index), new Blob([file.bytes], { type: file.type }), file.name);
    });
    const response = await fetch(`${this.base}/graphql`, {
      method: "POST",
      headers: this.headers({ "x-certif-upload": "1" }),
      body: form,
    });
    const { data, errors } = await response.json();
    if (errors?.length) throw new GraphQLRequestError(operationName(query), errors);
    return data;
  }
}
