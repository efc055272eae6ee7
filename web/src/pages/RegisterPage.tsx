import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";

export default function RegisterPage() {
  return (
    <Page title="S'inscrire à la certification">
      <Placeholder />
    </Page>
  );
}
