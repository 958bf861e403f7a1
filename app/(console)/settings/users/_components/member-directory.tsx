import { Badge, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { roleLabel, typeLabel } from "@/lib/format/labels";

// The members' (non-administrators') read-only directory: no security columns (SPEC §5).

export interface DirectoryRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  type: string;
}

export function MemberDirectory({ rows, currentUserId }: { rows: DirectoryRow[]; currentUserId: string }) {
  return (
    <Table>
      <THead>
        <Tr>
          <Th>Name</Th>
          <Th>Email</Th>
          <Th>Role</Th>
          <Th>Type</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((t) => (
          <Tr key={t.membershipId}>
            <Td>
              <span className="font-medium text-slate-900">{t.name}</span>
              {t.userId === currentUserId ? <span className="ml-2 text-xs text-slate-600">(you)</span> : null}
            </Td>
            <Td>{t.email}</Td>
            <Td>
              <Badge variant={t.role === "OWNER" ? "info" : "neutral"}>{roleLabel(t.role)}</Badge>
            </Td>
            <Td>{typeLabel(t.type)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
