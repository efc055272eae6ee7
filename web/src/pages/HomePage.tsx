import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function HomePage() {
  return (
    <Page title="Accueil" heading="La certification des intrapreneurs de beta.gouv.fr">
      <Placeholder />
    </Page>
  );
}
