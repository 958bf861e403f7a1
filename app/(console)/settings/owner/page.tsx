import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { pageAssurance, pageOrgRole } from "@/lib/auth/guards";
import { organizationSummary } from "@/lib/services/teammates/teammates";
import { transferOptions } from "@/lib/services/teammates/transfer-options";
import { ownFactorMethods } from "../../_components/own-factor-methods";
import { ownTwoFactorStatus } from "../../_components/own-two-factor-status";
import { TransferOwnershipForm } from "./transfer-form";

export const metadata: Metadata = { title: "Owner" };

const link = "font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800";

export default async function OwnerPage({ searchParams }: { searchParams: Promise<{ transferred?: string }> }) {
  const ctx = await pageOrgRole("any");
  const actor = ctx.actor;
  const { owner } = await organizationSummary({ actor });
  const isOwner = ctx.membership.role === "OWNER";
  if (isOwner) await pageAssurance(ctx); // S30: the owner's transfer is a security change
  const options = isOwner ? await transferOptions({ actor }) : null;
  const { transferred } = await searchParams;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Owner"
        description="Every organization has exactly one owner, who can do everything administrators can and more."
      />
      {transferred === "1" && owner && !isOwner ? (
        <Alert variant="success" title="Ownership transferred">
          {owner.name} is now the owner of {ctx.organization.name}. You are an administrator.
        </Alert>
      ) : null}
      <Card>
        <CardHeader title="Organization owner" />
        <CardBody>
          {owner ? (
            <dl className="grid gap-2 text-sm sm:grid-cols-[8rem_1fr]" data-testid="owner-details">
              <dt className="text-slate-600">Name</dt>
              <dd className="font-medium text-slate-900">{owner.name}</dd>
              <dt className="text-slate-600">Email</dt>
              <dd className="font-medium text-slate-900">{owner.email}</dd>
            </dl>
          ) : (
            <p className="text-sm text-slate-700">This organization has no owner on record. Contact support.</p>
          )}
        </CardBody>
      </Card>

      {options ? (
        <Card>
          <CardHeader
            title="Transfer ownership"
            description="Hand the organization to an administrator who has turned on two-factor authentication."
          />
          <CardBody>
            {!options.ownerHasTwoFactor ? (
              <Alert variant="info" title="Turn on two-factor authentication first">
                Transferring ownership is confirmed with your password and a code from your authenticator app or a text
                to your phone.{" "}
                <Link href="/profile/security" className={link}>
                  Set up two-factor authentication
                </Link>
                , then come back here.
              </Alert>
            ) : options.candidates.length === 0 ? (
              <Alert variant="info" title="No administrator can receive ownership yet">
                Ownership can only go to an administrator who has turned on two-factor authentication.{" "}
                {options.adminsWithoutTwoFactor > 0
                  ? `${options.adminsWithoutTwoFactor === 1 ? "1 administrator has" : `${options.adminsWithoutTwoFactor} administrators have`} not turned it on yet: ask them to set it up in Profile > Security.`
                  : "Your organization has no other administrators: make a teammate an administrator first."}{" "}
                <Link href="/settings/users" className={link}>
                  Go to Users
                </Link>
              </Alert>
            ) : (
              <TransferOwnershipForm
                candidates={options.candidates}
                organizationName={ctx.organization.name}
                methods={ownFactorMethods(await ownTwoFactorStatus(ctx.user.id))}
              />
            )}
          </CardBody>
        </Card>
      ) : (
        <p className="text-sm text-slate-600">
          Only the owner can transfer ownership to an administrator.
          {owner ? ` If ownership should change, ask ${owner.name}.` : ""}
        </p>
      )}
    </div>
  );
}
