import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";
import { useTokenFromPath } from "./useTokenFromPath";

export default function InvitationPage() {
  useTokenFromPath("invitation");
  return (
    <Page title="Activer mon compte">
      <Placeholder />
    </Page>
  );
}
