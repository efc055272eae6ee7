import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";
import { useTokenFromPath } from "./useTokenFromPath";

export default function PasswordPage() {
  useTokenFromPath("password");
  return (
    <Page title="Choisir un nouveau mot de passe">
      <Placeholder />
    </Page>
  );
}
