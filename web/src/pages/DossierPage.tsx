import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function DossierPage() {
  return (
    <Page title="Mon dossier">
      <Placeholder />
    </Page>
  );
}
