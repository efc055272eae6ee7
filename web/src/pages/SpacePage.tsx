import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function SpacePage() {
  return (
    <Page title="Mon espace candidat">
      <Placeholder />
    </Page>
  );
}
