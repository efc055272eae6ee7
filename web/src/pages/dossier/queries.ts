// The dossier page's operations: every one answers the whole dossier (the same fields), so the
// page shows the server's state after each change.

import { graphql } from "../../gql";

export const DossierFields = graphql(`
  fragment DossierFields on Dossier {
    editable
    startupSiteUrl
    productSheetUrl
    missingItems
    deadlineAt
    application {
      id
      state
      stateLabel
      reviewMessage
      session {
        id
        label
      }
      timeline {
        toState
        occurredAt
      }
    }
    fileSets {
      kind
      label
      files {
        id
        kind
        fileName
        sizeBytes
        mediaType
        uploadedAt
        downloadUrl
      }
    }
  }
`);

export const DossierDocument = graphql(`
  query Dossier($applicationId: ID!) {
    dossier(applicationId: $applicationId) {
      ...DossierFields
    }
  }
`);

export const SetDossierLinksDocument = graphql(`
  mutation SetDossierLinks($applicationId: ID!, $startupSiteUrl: String, $productSheetUrl: String) {
    setDossierLinks(applicationId: $applicationId, startupSiteUrl: $startupSiteUrl, productSheetUrl: $productSheetUrl) {
      ...DossierFields
    }
  }
`);

export const AddDossierFilesDocument = graphql(`
  mutation AddDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {
    addDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {
      ...DossierFields
    }
  }
`);

export const ReplaceDossierFilesDocument = graphql(`
  mutation ReplaceDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {
    replaceDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {
      ...DossierFields
    }
  }
`);

export const RemoveDossierFileDocument = graphql(`
  mutation RemoveDossierFile($fileId: ID!) {
    removeDossierFile(fileId: $fileId) {
      ...DossierFields
    }
  }
`);

export const SubmitDossierDocument = graphql(`
  mutation SubmitDossier($applicationId: ID!) {
    submitDossier(applicationId: $applicationId) {
      ...DossierFields
    }
  }
`);
