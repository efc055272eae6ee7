import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function LegalPage() {
  return (
    <Page title="Mentions légales">
      <Placeholder />
    </Page>
  );
}
