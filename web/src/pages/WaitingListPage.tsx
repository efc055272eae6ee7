import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function WaitingListPage() {
  return (
    <Page title="Liste d'attente">
      <Placeholder />
    </Page>
  );
}
