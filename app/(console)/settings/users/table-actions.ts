"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import { saveUsersTableColumns } from "@/lib/services/teammates/columns";
import { usersTableColumnsSchema } from "@/lib/validation/teammates";

/** Stores which optional columns of the Users table this administrator shows (per administrator, survives reload). */
export const saveUsersTableColumnsAction = defineAction(
  { schema: usersTableColumnsSchema, auth: ADMINS },
  async (input, { actor }) => {
    const columns = await saveUsersTableColumns({ actor, input: { columns: input.columns } });
    return { columns };
  },
);
