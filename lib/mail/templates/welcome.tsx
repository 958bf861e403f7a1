import { CallToAction, EmailLayout, P } from "./layout";

export interface WelcomeData {
  name: string;
  organizationName: string;
  signInUrl: string;
}

export function WelcomeEmail({ name, organizationName, signInUrl }: WelcomeData) {
  return (
    <EmailLayout preview={`Your organization ${organizationName} is ready on Twofold.`} heading={`Welcome, ${name}`}>
      <P>
        Your organization <strong>{organizationName}</strong> is ready. Next, turn on two-factor authentication for your
        own account, then invite your teammates and choose who must use it.
      </P>
      <CallToAction href={signInUrl}>Sign in to Twofold</CallToAction>
      <P htmlOnly>Or copy this link into your browser: {signInUrl}</P>
    </EmailLayout>
  );
}
