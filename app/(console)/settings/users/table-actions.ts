"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMIN_ROLES } from "@/lib/auth/guards";
import { saveUsersTableColumns } from "@/lib/services/teammates/columns";
import { usersTableColumnsSchema } from "@/lib/validation/teammates";

/** Stores which optional columns of the Users table this administrator shows (per administrator, survives reload). */
export const saveUsersTableColumnsAction = defineAction(
  { schema: usersTableColumnsSchema, auth: ADMIN_ROLES },
  async (input, { actor }) => {
    const columns = await saveUsersTableColumns({
      actor: { userId: actor.user.id, organizationId: actor.organization.id },
      input: { columns: input.columns },
    });
    return { columns };
  },
);
