import { AccountDetails } from "@/components/account-details";
import { StrongAuthentication } from "@/components/strong-authentication";
import { requireUser } from "@/server/auth";

export default async function AccountPage() {
  return (
    <AccountDetails user={await requireUser("/account")}>
      <StrongAuthentication />
    </AccountDetails>
  );
}
