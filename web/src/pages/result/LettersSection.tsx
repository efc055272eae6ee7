// Where the letters to the laureate's administration are: before they exist, when they leave
// (the session's `lettersAt`); then per recipient, its delivery in French.

import type { MyResultQuery } from "../../gql/graphql";
import { letterDeliveryLabels, letterRecipientLabels } from "../../labels";
import { parisDateTime } from "../../time";

export type LetterView = MyResultQuery["application"]["administrationLetters"][number];

function deliveryText(delivery: LetterView["delivery"]): string {
  if (delivery.state === "SENT" && delivery.sentAt != null) return `envoyé le ${parisDateTime(delivery.sentAt)}`;
  if (delivery.state === "DEAD") return `${letterDeliveryLabels.DEAD} : l'équipe animation en est informée`;
  return letterDeliveryLabels[delivery.state];
}

export function LettersSection({
  letterConsent,
  lettersAt,
  letters,
}: {
  letterConsent: boolean;
  lettersAt: string;
  letters: ReadonlyArray<LetterView>;
}) {
  return (
    <section aria-labelledby="resultat-courrier" className="fr-mb-6w">
      <h2 id="resultat-courrier">Courrier à votre administration</h2>
      {!letterConsent ? (
        <p>Vous n'avez pas accepté l'envoi d'un courrier à votre administration : aucun courrier ne sera envoyé.</p>
      ) : letters.length === 0 ? (
        <p>
          Le courrier qui informe votre administration de votre certification partira le {parisDateTime(lettersAt)}.
        </p>
      ) : (
        <ul>
          {letters.map((letter) => (
            <li key={letter.id}>
              {letterRecipientLabels[letter.recipient]} ({letter.recipientName != null ? `${letter.recipientName}, ` : ""}
              {letter.recipientEmail}) : {deliveryText(letter.delivery)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
