import { SetPasswordFlow } from "./staff/SetPasswordFlow";

export default function InvitationPage() {
  return <SetPasswordFlow kind="invitation" />;
}
