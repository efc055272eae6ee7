import { SetPasswordFlow } from "./staff/SetPasswordFlow";

export default function PasswordPage() {
  return <SetPasswordFlow kind="password" />;
}
