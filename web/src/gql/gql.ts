/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Viewer {\n    viewer {\n      signedIn\n      idleTimeoutMinutes\n      user {\n        id\n        email\n        displayName\n        roles\n      }\n      candidate {\n        id\n        email\n        displayName\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation LeaveWaitingList($token: String!) {\n    leaveWaitingList(token: $token)\n  }\n": typeof types.LeaveWaitingListDocument,
    "\n  query RegistrationCurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n": typeof types.RegistrationCurrentSessionsDocument,
    "\n  query RegistrationNamedSession($id: ID!) {\n    certificationSession(id: $id) {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n": typeof types.RegistrationNamedSessionDocument,
    "\n  query MyResult($applicationId: ID!) {\n    myResults {\n      applicationId\n      decision\n      overallComment\n      publishedAt\n      competences {\n        name\n        acquired\n        comment\n      }\n    }\n    application(id: $applicationId) {\n      id\n      state\n      letterConsent\n      session {\n        label\n        resultsAt\n        lettersAt\n      }\n      certificate {\n        number\n        title\n        sessionLabel\n        issuedOn\n        revoked\n        downloadUrl\n        verifyUrl\n      }\n      administrationLetters {\n        id\n        recipient\n        recipientName\n        recipientEmail\n        delivery {\n          state\n          sentAt\n        }\n      }\n    }\n  }\n": typeof types.MyResultDocument,
    "\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n": typeof types.SignInWithLinkDocument,
    "\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n": typeof types.RequestSignInLinkDocument,
    "\n  query MySpace {\n    myApplications {\n      id\n      state\n      stateLabel\n      eligible\n      eligibilityReasons\n      eligibilityOverrideReason\n      dossierDeadlineExtendedTo\n      reviewMessage\n      createdAt\n      session {\n        id\n        label\n        dossierDeadlineAt\n        resultsAt\n      }\n      oral {\n        bookingId\n        startsAt\n        endsAt\n        mode\n        coachName\n        videoLink\n        phone\n        changeableUntil\n        canReschedule\n        calendarFile\n      }\n      timeline {\n        fromState\n        toState\n        occurredAt\n        actor\n        reason\n      }\n    }\n  }\n": typeof types.MySpaceDocument,
    "\n  mutation JoinWaitingList($email: String!) {\n    joinWaitingList(email: $email)\n  }\n": typeof types.JoinWaitingListDocument,
    "\n  fragment BookingOralFields on CandidateOral {\n    bookingId\n    startsAt\n    endsAt\n    mode\n    coachName\n    videoLink\n    phone\n    sequence\n    changeableUntil\n    canReschedule\n    calendarFile\n  }\n": typeof types.BookingOralFieldsFragmentDoc,
    "\n  query BookingLink($token: String!) {\n    bookingLink(token: $token) {\n      candidateName\n      application {\n        id\n        state\n        stateLabel\n      }\n      session {\n        id\n        label\n      }\n      oral {\n        ...BookingOralFields\n      }\n    }\n  }\n": typeof types.BookingLinkDocument,
    "\n  query BookableSlots($token: String!) {\n    bookableSlots(token: $token) {\n      date\n      label\n      slots {\n        id\n        startsAt\n        endsAt\n        modes\n        coachName\n      }\n    }\n  }\n": typeof types.BookableSlotsDocument,
    "\n  mutation BookOral($token: String!, $slotId: ID!, $mode: OralMode!) {\n    bookOral(token: $token, slotId: $slotId, mode: $mode) {\n      id\n      state\n      sequence\n    }\n  }\n": typeof types.BookOralDocument,
    "\n  mutation RescheduleOral($token: String!, $slotId: ID!) {\n    rescheduleOral(token: $token, slotId: $slotId) {\n      id\n      state\n      sequence\n    }\n  }\n": typeof types.RescheduleOralDocument,
    "\n  mutation CancelOral($token: String!, $reason: String!) {\n    cancelOral(token: $token, reason: $reason) {\n      id\n      state\n      sequence\n    }\n  }\n": typeof types.CancelOralDocument,
    "\n  fragment DossierFields on Dossier {\n    editable\n    startupSiteUrl\n    productSheetUrl\n    missingItems\n    deadlineAt\n    application {\n      id\n      state\n      stateLabel\n      reviewMessage\n      session {\n        id\n        label\n      }\n      timeline {\n        toState\n        occurredAt\n      }\n    }\n    fileSets {\n      kind\n      label\n      files {\n        id\n        kind\n        fileName\n        sizeBytes\n        mediaType\n        uploadedAt\n        downloadUrl\n      }\n    }\n  }\n": typeof types.DossierFieldsFragmentDoc,
    "\n  query Dossier($applicationId: ID!) {\n    dossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n": typeof types.DossierDocument,
    "\n  mutation SetDossierLinks($applicationId: ID!, $startupSiteUrl: String, $productSheetUrl: String) {\n    setDossierLinks(applicationId: $applicationId, startupSiteUrl: $startupSiteUrl, productSheetUrl: $productSheetUrl) {\n      ...DossierFields\n    }\n  }\n": typeof types.SetDossierLinksDocument,
    "\n  mutation AddDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    addDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n": typeof types.AddDossierFilesDocument,
    "\n  mutation ReplaceDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    replaceDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n": typeof types.ReplaceDossierFilesDocument,
    "\n  mutation RemoveDossierFile($fileId: ID!) {\n    removeDossierFile(fileId: $fileId) {\n      ...DossierFields\n    }\n  }\n": typeof types.RemoveDossierFileDocument,
    "\n  mutation SubmitDossier($applicationId: ID!) {\n    submitDossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n": typeof types.SubmitDossierDocument,
    "\n  query CurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      phaseLabel\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n      oralsStartAt\n      oralsEndAt\n      resultsAt\n      lettersAt\n      nextStep {\n        label\n        at\n      }\n    }\n  }\n": typeof types.CurrentSessionsDocument,
    "\n  mutation Register($input: RegistrationInput!) {\n    register(input: $input) {\n      emailToConfirm\n      application {\n        id\n        state\n      }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation WithdrawApplication($applicationId: ID!, $reason: String!) {\n    withdrawApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      state\n      stateLabel\n    }\n  }\n": typeof types.WithdrawApplicationDocument,
    "\n  mutation SetPassword($token: String!, $newPassword: String!) {\n    setPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n": typeof types.SetPasswordDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      viewer {\n        user {\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.LoginDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer {\n      signedIn\n      idleTimeoutMinutes\n      user {\n        id\n        email\n        displayName\n        roles\n      }\n      candidate {\n        id\n        email\n        displayName\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation LeaveWaitingList($token: String!) {\n    leaveWaitingList(token: $token)\n  }\n": types.LeaveWaitingListDocument,
    "\n  query RegistrationCurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n": types.RegistrationCurrentSessionsDocument,
    "\n  query RegistrationNamedSession($id: ID!) {\n    certificationSession(id: $id) {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n": types.RegistrationNamedSessionDocument,
    "\n  query MyResult($applicationId: ID!) {\n    myResults {\n      applicationId\n      decision\n      overallComment\n      publishedAt\n      competences {\n        name\n        acquired\n        comment\n      }\n    }\n    application(id: $applicationId) {\n      id\n      state\n      letterConsent\n      session {\n        label\n        resultsAt\n        lettersAt\n      }\n      certificate {\n        number\n        title\n        sessionLabel\n        issuedOn\n        revoked\n        downloadUrl\n        verifyUrl\n      }\n      administrationLetters {\n        id\n        recipient\n        recipientName\n        recipientEmail\n        delivery {\n          state\n          sentAt\n        }\n      }\n    }\n  }\n": types.MyResultDocument,
    "\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n": types.SignInWithLinkDocument,
    "\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n": types.RequestSignInLinkDocument,
    "\n  query MySpace {\n    myApplications {\n      id\n      state\n      stateLabel\n      eligible\n      eligibilityReasons\n      eligibilityOverrideReason\n      dossierDeadlineExtendedTo\n      reviewMessage\n      createdAt\n      session {\n        id\n        label\n        dossierDeadlineAt\n        resultsAt\n      }\n      oral {\n        bookingId\n        startsAt\n        endsAt\n        mode\n        coachName\n        videoLink\n        phone\n        changeableUntil\n        canReschedule\n        calendarFile\n      }\n      timeline {\n        fromState\n        toState\n        occurredAt\n        actor\n        reason\n      }\n    }\n  }\n": types.MySpaceDocument,
    "\n  mutation JoinWaitingList($email: String!) {\n    joinWaitingList(email: $email)\n  }\n": types.JoinWaitingListDocument,
    "\n  fragment BookingOralFields on CandidateOral {\n    bookingId\n    startsAt\n    endsAt\n    mode\n    coachName\n    videoLink\n    phone\n    sequence\n    changeableUntil\n    canReschedule\n    calendarFile\n  }\n": types.BookingOralFieldsFragmentDoc,
    "\n  query BookingLink($token: String!) {\n    bookingLink(token: $token) {\n      candidateName\n      application {\n        id\n        state\n        stateLabel\n      }\n      session {\n        id\n        label\n      }\n      oral {\n        ...BookingOralFields\n      }\n    }\n  }\n": types.BookingLinkDocument,
    "\n  query BookableSlots($token: String!) {\n    bookableSlots(token: $token) {\n      date\n      label\n      slots {\n        id\n        startsAt\n        endsAt\n        modes\n        coachName\n      }\n    }\n  }\n": types.BookableSlotsDocument,
    "\n  mutation BookOral($token: String!, $slotId: ID!, $mode: OralMode!) {\n    bookOral(token: $token, slotId: $slotId, mode: $mode) {\n      id\n      state\n      sequence\n    }\n  }\n": types.BookOralDocument,
    "\n  mutation RescheduleOral($token: String!, $slotId: ID!) {\n    rescheduleOral(token: $token, slotId: $slotId) {\n      id\n      state\n      sequence\n    }\n  }\n": types.RescheduleOralDocument,
    "\n  mutation CancelOral($token: String!, $reason: String!) {\n    cancelOral(token: $token, reason: $reason) {\n      id\n      state\n      sequence\n    }\n  }\n": types.CancelOralDocument,
    "\n  fragment DossierFields on Dossier {\n    editable\n    startupSiteUrl\n    productSheetUrl\n    missingItems\n    deadlineAt\n    application {\n      id\n      state\n      stateLabel\n      reviewMessage\n      session {\n        id\n        label\n      }\n      timeline {\n        toState\n        occurredAt\n      }\n    }\n    fileSets {\n      kind\n      label\n      files {\n        id\n        kind\n        fileName\n        sizeBytes\n        mediaType\n        uploadedAt\n        downloadUrl\n      }\n    }\n  }\n": types.DossierFieldsFragmentDoc,
    "\n  query Dossier($applicationId: ID!) {\n    dossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n": types.DossierDocument,
    "\n  mutation SetDossierLinks($applicationId: ID!, $startupSiteUrl: String, $productSheetUrl: String) {\n    setDossierLinks(applicationId: $applicationId, startupSiteUrl: $startupSiteUrl, productSheetUrl: $productSheetUrl) {\n      ...DossierFields\n    }\n  }\n": types.SetDossierLinksDocument,
    "\n  mutation AddDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    addDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n": types.AddDossierFilesDocument,
    "\n  mutation ReplaceDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    replaceDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n": types.ReplaceDossierFilesDocument,
    "\n  mutation RemoveDossierFile($fileId: ID!) {\n    removeDossierFile(fileId: $fileId) {\n      ...DossierFields\n    }\n  }\n": types.RemoveDossierFileDocument,
    "\n  mutation SubmitDossier($applicationId: ID!) {\n    submitDossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n": types.SubmitDossierDocument,
    "\n  query CurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      phaseLabel\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n      oralsStartAt\n      oralsEndAt\n      resultsAt\n      lettersAt\n      nextStep {\n        label\n        at\n      }\n    }\n  }\n": types.CurrentSessionsDocument,
    "\n  mutation Register($input: RegistrationInput!) {\n    register(input: $input) {\n      emailToConfirm\n      application {\n        id\n        state\n      }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation WithdrawApplication($applicationId: ID!, $reason: String!) {\n    withdrawApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      state\n      stateLabel\n    }\n  }\n": types.WithdrawApplicationDocument,
    "\n  mutation SetPassword($token: String!, $newPassword: String!) {\n    setPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n": types.SetPasswordDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      viewer {\n        user {\n          displayName\n        }\n      }\n    }\n  }\n": types.LoginDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      signedIn\n      idleTimeoutMinutes\n      user {\n        id\n        email\n        displayName\n        roles\n      }\n      candidate {\n        id\n        email\n        displayName\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      signedIn\n      idleTimeoutMinutes\n      user {\n        id\n        email\n        displayName\n        roles\n      }\n      candidate {\n        id\n        email\n        displayName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveWaitingList($token: String!) {\n    leaveWaitingList(token: $token)\n  }\n"): (typeof documents)["\n  mutation LeaveWaitingList($token: String!) {\n    leaveWaitingList(token: $token)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegistrationCurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n"): (typeof documents)["\n  query RegistrationCurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegistrationNamedSession($id: ID!) {\n    certificationSession(id: $id) {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n"): (typeof documents)["\n  query RegistrationNamedSession($id: ID!) {\n    certificationSession(id: $id) {\n      id\n      label\n      phase\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyResult($applicationId: ID!) {\n    myResults {\n      applicationId\n      decision\n      overallComment\n      publishedAt\n      competences {\n        name\n        acquired\n        comment\n      }\n    }\n    application(id: $applicationId) {\n      id\n      state\n      letterConsent\n      session {\n        label\n        resultsAt\n        lettersAt\n      }\n      certificate {\n        number\n        title\n        sessionLabel\n        issuedOn\n        revoked\n        downloadUrl\n        verifyUrl\n      }\n      administrationLetters {\n        id\n        recipient\n        recipientName\n        recipientEmail\n        delivery {\n          state\n          sentAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyResult($applicationId: ID!) {\n    myResults {\n      applicationId\n      decision\n      overallComment\n      publishedAt\n      competences {\n        name\n        acquired\n        comment\n      }\n    }\n    application(id: $applicationId) {\n      id\n      state\n      letterConsent\n      session {\n        label\n        resultsAt\n        lettersAt\n      }\n      certificate {\n        number\n        title\n        sessionLabel\n        issuedOn\n        revoked\n        downloadUrl\n        verifyUrl\n      }\n      administrationLetters {\n        id\n        recipient\n        recipientName\n        recipientEmail\n        delivery {\n          state\n          sentAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySpace {\n    myApplications {\n      id\n      state\n      stateLabel\n      eligible\n      eligibilityReasons\n      eligibilityOverrideReason\n      dossierDeadlineExtendedTo\n      reviewMessage\n      createdAt\n      session {\n        id\n        label\n        dossierDeadlineAt\n        resultsAt\n      }\n      oral {\n        bookingId\n        startsAt\n        endsAt\n        mode\n        coachName\n        videoLink\n        phone\n        changeableUntil\n        canReschedule\n        calendarFile\n      }\n      timeline {\n        fromState\n        toState\n        occurredAt\n        actor\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  query MySpace {\n    myApplications {\n      id\n      state\n      stateLabel\n      eligible\n      eligibilityReasons\n      eligibilityOverrideReason\n      dossierDeadlineExtendedTo\n      reviewMessage\n      createdAt\n      session {\n        id\n        label\n        dossierDeadlineAt\n        resultsAt\n      }\n      oral {\n        bookingId\n        startsAt\n        endsAt\n        mode\n        coachName\n        videoLink\n        phone\n        changeableUntil\n        canReschedule\n        calendarFile\n      }\n      timeline {\n        fromState\n        toState\n        occurredAt\n        actor\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinWaitingList($email: String!) {\n    joinWaitingList(email: $email)\n  }\n"): (typeof documents)["\n  mutation JoinWaitingList($email: String!) {\n    joinWaitingList(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BookingOralFields on CandidateOral {\n    bookingId\n    startsAt\n    endsAt\n    mode\n    coachName\n    videoLink\n    phone\n    sequence\n    changeableUntil\n    canReschedule\n    calendarFile\n  }\n"): (typeof documents)["\n  fragment BookingOralFields on CandidateOral {\n    bookingId\n    startsAt\n    endsAt\n    mode\n    coachName\n    videoLink\n    phone\n    sequence\n    changeableUntil\n    canReschedule\n    calendarFile\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BookingLink($token: String!) {\n    bookingLink(token: $token) {\n      candidateName\n      application {\n        id\n        state\n        stateLabel\n      }\n      session {\n        id\n        label\n      }\n      oral {\n        ...BookingOralFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query BookingLink($token: String!) {\n    bookingLink(token: $token) {\n      candidateName\n      application {\n        id\n        state\n        stateLabel\n      }\n      session {\n        id\n        label\n      }\n      oral {\n        ...BookingOralFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BookableSlots($token: String!) {\n    bookableSlots(token: $token) {\n      date\n      label\n      slots {\n        id\n        startsAt\n        endsAt\n        modes\n        coachName\n      }\n    }\n  }\n"): (typeof documents)["\n  query BookableSlots($token: String!) {\n    bookableSlots(token: $token) {\n      date\n      label\n      slots {\n        id\n        startsAt\n        endsAt\n        modes\n        coachName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BookOral($token: String!, $slotId: ID!, $mode: OralMode!) {\n    bookOral(token: $token, slotId: $slotId, mode: $mode) {\n      id\n      state\n      sequence\n    }\n  }\n"): (typeof documents)["\n  mutation BookOral($token: String!, $slotId: ID!, $mode: OralMode!) {\n    bookOral(token: $token, slotId: $slotId, mode: $mode) {\n      id\n      state\n      sequence\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RescheduleOral($token: String!, $slotId: ID!) {\n    rescheduleOral(token: $token, slotId: $slotId) {\n      id\n      state\n      sequence\n    }\n  }\n"): (typeof documents)["\n  mutation RescheduleOral($token: String!, $slotId: ID!) {\n    rescheduleOral(token: $token, slotId: $slotId) {\n      id\n      state\n      sequence\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOral($token: String!, $reason: String!) {\n    cancelOral(token: $token, reason: $reason) {\n      id\n      state\n      sequence\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOral($token: String!, $reason: String!) {\n    cancelOral(token: $token, reason: $reason) {\n      id\n      state\n      sequence\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DossierFields on Dossier {\n    editable\n    startupSiteUrl\n    productSheetUrl\n    missingItems\n    deadlineAt\n    application {\n      id\n      state\n      stateLabel\n      reviewMessage\n      session {\n        id\n        label\n      }\n      timeline {\n        toState\n        occurredAt\n      }\n    }\n    fileSets {\n      kind\n      label\n      files {\n        id\n        kind\n        fileName\n        sizeBytes\n        mediaType\n        uploadedAt\n        downloadUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment DossierFields on Dossier {\n    editable\n    startupSiteUrl\n    productSheetUrl\n    missingItems\n    deadlineAt\n    application {\n      id\n      state\n      stateLabel\n      reviewMessage\n      session {\n        id\n        label\n      }\n      timeline {\n        toState\n        occurredAt\n      }\n    }\n    fileSets {\n      kind\n      label\n      files {\n        id\n        kind\n        fileName\n        sizeBytes\n        mediaType\n        uploadedAt\n        downloadUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dossier($applicationId: ID!) {\n    dossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n"): (typeof documents)["\n  query Dossier($applicationId: ID!) {\n    dossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDossierLinks($applicationId: ID!, $startupSiteUrl: String, $productSheetUrl: String) {\n    setDossierLinks(applicationId: $applicationId, startupSiteUrl: $startupSiteUrl, productSheetUrl: $productSheetUrl) {\n      ...DossierFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetDossierLinks($applicationId: ID!, $startupSiteUrl: String, $productSheetUrl: String) {\n    setDossierLinks(applicationId: $applicationId, startupSiteUrl: $startupSiteUrl, productSheetUrl: $productSheetUrl) {\n      ...DossierFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    addDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    addDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplaceDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    replaceDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n"): (typeof documents)["\n  mutation ReplaceDossierFiles($applicationId: ID!, $kind: DossierFileKind!, $files: [Upload!]!) {\n    replaceDossierFiles(applicationId: $applicationId, kind: $kind, files: $files) {\n      ...DossierFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveDossierFile($fileId: ID!) {\n    removeDossierFile(fileId: $fileId) {\n      ...DossierFields\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveDossierFile($fileId: ID!) {\n    removeDossierFile(fileId: $fileId) {\n      ...DossierFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitDossier($applicationId: ID!) {\n    submitDossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitDossier($applicationId: ID!) {\n    submitDossier(applicationId: $applicationId) {\n      ...DossierFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      phaseLabel\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n      oralsStartAt\n      oralsEndAt\n      resultsAt\n      lettersAt\n      nextStep {\n        label\n        at\n      }\n    }\n  }\n"): (typeof documents)["\n  query CurrentSessions {\n    currentSessions {\n      id\n      label\n      phase\n      phaseLabel\n      registrationOpensAt\n      registrationClosesAt\n      dossierDeadlineAt\n      oralsStartAt\n      oralsEndAt\n      resultsAt\n      lettersAt\n      nextStep {\n        label\n        at\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegistrationInput!) {\n    register(input: $input) {\n      emailToConfirm\n      application {\n        id\n        state\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegistrationInput!) {\n    register(input: $input) {\n      emailToConfirm\n      application {\n        id\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawApplication($applicationId: ID!, $reason: String!) {\n    withdrawApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      state\n      stateLabel\n    }\n  }\n"): (typeof documents)["\n  mutation WithdrawApplication($applicationId: ID!, $reason: String!) {\n    withdrawApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      state\n      stateLabel\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPassword($token: String!, $newPassword: String!) {\n    setPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation SetPassword($token: String!, $newPassword: String!) {\n    setPassword(token: $token, newPassword: $newPassword) {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      viewer {\n        user {\n          displayName\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      expiresAt\n      viewer {\n        user {\n          displayName\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;