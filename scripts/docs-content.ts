import { roles } from '../shared/domain/roles';
import { buildOpenApiDocument } from '../shared/openapi';
import { permissionMatrix, permissions, settingRules } from '../shared/permissions';
import { routeList } from '../shared/routes';

function permissionsPage(): string {
  const header = `| Permission | ${roles.join(' | ')} |\n|---|${roles.map(() => '---').join('|')}|`;
  const rows = permissions.map((permission) => {
    const cells = roles.map((role) => {
      const rule = settingRules.find(
        (candidate) => candidate.permission === permission && candidate.role === role,
      );
      const inMatrix = (permissionMatrix[permission] as readonly string[]).includes(role);
      if (rule?.effect === 'grantedWhenOn') return `when \`${rule.setting}\` (${rule.rule})`;
      if (rule?.effect === 'revokedWhenOff') return `✓ while \`${rule.setting}\` (${rule.rule})`;
      return inMatrix ? '✓' : '';
    });
    return `| \`${permission}\` | ${cells.join(' | ')} |`;
  });
  const routeRows = routeList
    .filter((route) => !route.localOnly)
    .map((route) => `| \`${route.method} ${route.path}\` | \`${route.access}\` |`);
  return `# Permissions

Generated from \`shared/permissions.ts\` and \`shared/routes/\` by \`npm run docs\`; a test fails when
this page is out of date.

## Matrix

${header}
${rows.join('\n')}

## Rules beyond the matrix

- **D1, invitations**: \`members.invite\` for members follows the workspace setting \`membersCanInvite\`
  (default on). A member invites only members and shares only numbers they have full (not read-only) access
  to; an admin invites admins and members; only an owner invites an owner.
- **Managing invitations**: owners and admins see, resend and revoke every invitation; a member sees, resends
  and revokes only the ones they sent. Resending needs \`members.invite\` (it sends again).
- **Accepting an invitation**: only the invited address, verified by the identity provider (else 403 naming
  the masked address).
- **D2, billing**: admins hold \`billing.manage\` only while \`adminsCanManageBilling\` is on (default off);
  only an owner changes that setting.
- **D3, role changes**: \`members.updateRole\` (owners, admins); a change to or from owner also needs
  \`owners.manage\` (owners). Nobody changes their own role, except an owner stepping down while another owner
  remains (the database refuses the step that would leave no owner: 409 \`LAST_OWNER\`).
- Removing an owner needs \`owners.manage\`; nobody removes themselves (they leave instead).
- Ownership transfer: \`ownership.transfer\` (owners), to another member who is not already an owner.
- Anyone who is not a member of a workspace gets 404 for everything under it.

## Routes

| Route | Access |
|---|---|
${routeRows.join('\n')}

\`member\`: any member of the workspace; \`signedIn\`: any signed-in user; \`public\`: no token.
`;
}

/** Every generated document, by its path in the repository. */
export function renderGeneratedDocs(): Record<string, string> {
  return {
    'docs/openapi.json': `${JSON.stringify(buildOpenApiDocument(routeList), null, 2)}\n`,
    'docs/permissions.md': permissionsPage(),
  };
}
