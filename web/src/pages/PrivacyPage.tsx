import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function PrivacyPage() {
  return (
    <Page title="Données personnelles">
      <Placeholder />
    </Page>
  );
}
