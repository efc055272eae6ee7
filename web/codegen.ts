import type { CodegenConfig } from "@graphql-codegen/cli";

// Operation types generated from the API's committed schema. `npm run codegen` rewrites src/gql/;
// `npm run codegen:check` (CI) fails when the committed files are stale.
const config: CodegenConfig = {
  schema: "../api/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: false,
        scalars: {
          DateTime: "string",
          NaiveDate: "string",
          NaiveTime: "string",
          UUID: "string",
          Upload: "File",
        },
      },
    },
  },
};

export default config;
