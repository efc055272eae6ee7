import { Page } from "../app/Page";
import { Placeholder } from "../app/Placeholder";
import { useTokenFromPath } from "./useTokenFromPath";

export default function BookingPage() {
  useTokenFromPath("booking");
  return (
    <Page title="Réserver mon oral">
      <Placeholder />
    </Page>
  );
}
