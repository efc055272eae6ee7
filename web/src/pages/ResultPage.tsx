import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function ResultPage() {
  return (
    <Page title="Mon résultat">
      <Placeholder />
    </Page>
  );
}
