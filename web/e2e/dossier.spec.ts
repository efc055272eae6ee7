// The dossier beyond the first filling (the journey fills and sends one): a file the server
// refuses for its content, shown beside the file; a dossier the équipe animation returns with a
// message, which the candidate reads, completes and sends again.

import { expect, expectAccessible, test } from "./support/fixtures";
import { fileInput, h1, main } from "./support/candidate-pages";
import { writeFiles } from "./support/files.mjs";
import { GraphQLClient } from "./support/graphql.mjs";
import { linkTo, waitForMails } from "./support/mailbox.mjs";
import {
  adminClient,
  myApplications,
  newPerson,
  registerThroughApi,
  signInLink,
  signInThroughLink,
  submitDossierThroughApi,
} from "./support/scenario.mjs";
import type { World } from "./support/world.mjs";

/** A new sign-in link for `email`, asked through the API: the `count`-th such message. */
async function anotherSignInLink(world: World, email: string, count: number) {
  await new GraphQLClient(world.base).request(`mutation Link($email: String!) { requestSignInLink(email: $email) }`, { email });
  const mails = await waitForMails(world.mailDir, { to: email, kind: "candidate_sign_in", count });
  return linkTo(mails[count - 1]!, "/connexion/");
}

test("a file whose content is not what its name says is refused beside the file", async ({ page, world }, testInfo) => {
  const person = newPerson("refus");
  await registerThroughApi(world, person);
  await page.goto(await signInLink(world, person.email));
  await main(page).getByRole("link", { name: "Compléter mon dossier" }).click();
  await expect(h1(page)).toHaveText("Mon dossier");

  const [fake] = writeFiles(testInfo.outputPath("faux"), [
    { name: "presentation.pdf", type: "application/pdf", bytes: Buffer.from("Ceci n'est pas un PDF.\n") },
  ]);
  await fileInput(page, /présentation du service/).setInputFiles(fake!);
  const refusal = main(page).getByText(/« presentation\.pdf » : /);
  await expect(refusal).toBeVisible();
  await expect(page.getByTestId("annonces-urgentes")).toContainText("n'a pas été ajouté");
  await expect(main(page).getByRole("link", { name: /presentation\.pdf/ })).toHaveCount(0);
  await expectAccessible(page, "the dossier with a refused file");
  await main(page).getByRole("button", { name: "Fermer ce message" }).click();
  await expect(refusal).toHaveCount(0);
});

test("a dossier returned by the équipe shows its message, is completed and sent again", async ({ page, world }) => {
  const person = newPerson("renvoi");
  await registerThroughApi(world, person);
  const candidate = await signInThroughLink(world, await signInLink(world, person.email));
  const [application] = await myApplications(candidate);
  await submitDossierThroughApi(candidate, application.id, person.displayName);
  const message = "Les comptes rendus d'entretiens ne donnent pas les questions posées : ajoutez-les, s'il vous plaît.";
  await adminClient(world).request(
    `mutation Return($id: ID!, $message: String!) { returnDossier(applicationId: $id, message: $message) { application { state } } }`,
    { id: application.id, message },
  );

  await page.goto(await anotherSignInLink(world, person.email, 2));
  await expect(page).toHaveURL(/\/espace$/);
  await expect(main(page).getByRole("heading", { name: "L'équipe animation vous a renvoyé votre dossier" })).toBeVisible();
  await expect(main(page).getByText(message, { exact: true })).toBeVisible();
  await expectAccessible(page, "the space with a returned dossier");

  await main(page).getByRole("link", { name: "Reprendre mon dossier" }).click();
  await expect(h1(page)).toHaveText("Mon dossier");
  await expect(main(page).getByText(message, { exact: true })).toBeVisible();
  // Editable again: the files are there, and more can be added.
  await expect(main(page).getByRole("link", { name: /entretiens-utilisateurs\.pdf/ })).toBeVisible();
  await expect(fileInput(page, /entretiens utilisateurs/)).toBeVisible();
  await expectAccessible(page, "the returned dossier");

  await main(page).getByRole("button", { name: "Envoyer mon dossier" }).click();
  const dialog = page.getByRole("dialog", { name: "Envoyer votre dossier ?" });
  await dialog.getByRole("button", { name: "Envoyer le dossier" }).click();
  await expect(main(page).getByRole("heading", { name: "Votre dossier est envoyé" })).toBeVisible();
  const [again] = await myApplications(candidate);
  expect(again.state).toBe("SUBMITTED");
});
