/** How a session skipped its second step, in words, from its sign-in method ("password+trusted-network" → "from a
 *  trusted network"): for the lower-assurance banner and the step-up page (issue 11, S30). */
export function skippedHow(authMethod: string): string {
  if (authMethod.endsWith("+trusted-network")) return "from a trusted network";
  if (authMethod.endsWith("+remembered-device")) return "on a remembered device";
  if (authMethod.endsWith("+familiar")) return "from a familiar place";
  return "without a code";
}
