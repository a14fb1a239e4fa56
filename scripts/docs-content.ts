import { matrixAllows, permissions, settingRuleFor } from '../shared/access/permissions';
import { roles } from '../shared/access/roles';
import { buildOpenApiDocument } from '../shared/http/openapi';
import { featureOf } from '../shared/http/route';
import { routeList } from '../shared/routes';

function permissionsPage(): string {
  const header = `| Permission | ${roles.join(' | ')} |\n|---|${roles.map(() => '---').join('|')}|`;
  const rows = permissions.map((permission) => {
    const cells = roles.map((role) => {
      const rule = settingRuleFor(role, permission);
      if (rule?.effect === 'grantedWhenOn') return `when \`${rule.setting}\` (${rule.rule})`;
      if (rule?.effect === 'revokedWhenOff') return `✓ while \`${rule.setting}\` (${rule.rule})`;
      return matrixAllows(role, permission) ? '✓' : '';
    });
    return `| \`${permission}\` | ${cells.join(' | ')} |`;
  });
  const routeRows = routeList.map((route) => `| \`${route.method} ${route.path}\` | \`${route.access}\` |`);
  return `# Permissions

Generated from \`shared/access/\` and \`shared/routes.ts\` by \`npm run docs\`; a test fails when this
page is out of date. A route's permission is decided once, before its operation runs; the rules below are
decided by \`decide\` in \`shared/access/rules.ts\`.

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
  the masked address); and D1 must still hold for the member the invitation stands on (its sender, or whoever
  resent it last), as that member's role and the settings are at accept time (else 409
  \`INVITER_NO_LONGER_ALLOWED\`).
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

function routesPage(): string {
  const rows = routeList.map(
    (route) =>
      `| \`${route.method}\` | \`${route.path}\` | \`${route.operation}\` | \`${route.access}\` | [\`${route.handler}\`](../${route.handler}) | [\`shared/features/${featureOf(route)}/\`](../shared/features/${featureOf(route)}/) |`,
  );
  return `# Routes

Generated from the route table (\`shared/routes.ts\`) by \`npm run docs\`; a test fails when this page is
out of date. One hop from a route to its code: the handler file runs the operation, the feature folder holds
its routes, schemas, stored items and rules.

| Method | Path | Operation | Permission | Handler | Feature |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

/** Every generated document, by its path in the repository. */
export function renderGeneratedDocs(): Record<string, string> {
  return {
    'docs/openapi.json': `${JSON.stringify(buildOpenApiDocument(routeList), null, 2)}\n`,
    'docs/permissions.md': permissionsPage(),
    'docs/routes.md': routesPage(),
  };
}
