import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function AccessibilityPage() {
  return (
    <Page title="Accessibilité" heading="Déclaration d'accessibilité">
      <Placeholder />
    </Page>
  );
}
