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
    "\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n": typeof types.SignInWithLinkDocument,
    "\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n": typeof types.RequestSignInLinkDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer {\n      signedIn\n      idleTimeoutMinutes\n      user {\n        id\n        email\n        displayName\n        roles\n      }\n      candidate {\n        id\n        email\n        displayName\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation LeaveWaitingList($token: String!) {\n    leaveWaitingList(token: $token)\n  }\n": types.LeaveWaitingListDocument,
    "\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n": types.SignInWithLinkDocument,
    "\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n": types.RequestSignInLinkDocument,
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
export function graphql(source: "\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignInWithLink($token: String!) {\n    signInWithLink(token: $token) {\n      expiresAt\n      viewer {\n        signedIn\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestSignInLink($email: String!) {\n    requestSignInLink(email: $email)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;