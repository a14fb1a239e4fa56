import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dependsOnSettings,
  hasPermission,
  type Permission,
  permissions,
  permissionsOf,
  requirePermission,
} from '../../shared/access/permissions';
import { defaultSettings, type Role, roles, type WorkspaceSettings } from '../../shared/access/roles';
import {
  type AccessRequest,
  type Decision,
  decide,
  enforce,
  rolesThatMayInvite,
} from '../../shared/access/rules';
import { AppError } from '../../shared/core/errors';

/**
 * product.md section 3, transcribed literally (an independent copy: nothing
 * here is read from the code). Each row is
 * [permission name from api.md, the spec's wording, Owner, Admin, Member].
 */
const specTable = [
  [
    'messaging.use',
    'Send texts, make calls, message teammates (on numbers they have access to)',
    '✓',
    '✓',
    '✓',
  ],
  ['contacts.manage', 'Manage contacts', '✓', '✓', '✓'],
  ['contacts.import', 'Bulk import contacts (CSV; Google)', '✓', '✓', '✓'],
  ['members.invite', 'Invite team members', '✓', '✓', '✓ (see D1)'],
  ['members.remove', 'Remove team members', '✓', '✓ (not owners)', ''],
  ['members.updateRole', 'Update member roles', '✓', '✓ (never to or from Owner)', ''],
  ['billing.manage', 'Manage billing', '✓', 'see D2', ''],
  ['numbers.updateSettings', 'Update phone number settings', '✓', '✓', 'number owners only (section 4)'],
  ['numbers.add', 'Add new phone numbers', '✓', '✓', ''],
  ['groups.create', 'Create workspace groups', '✓', '✓', ''],
  ['integrations.configure', 'Configure integrations', '✓', '✓', ''],
  ['porting.manage', 'Submit / manage number porting requests', '✓', '✓', ''],
  ['domains.manage', 'Claim and verify email domains', '✓', '✓', ''],
  ['workspace.configure', 'Configure workspace settings', '✓', '✓', ''],
  ['owners.manage', 'Add / remove other owners (includes promoting to and demoting from Owner)', '✓', '', ''],
  ['ownership.transfer', 'Transfer ownership', '✓ (current owner)', '', ''],
] as const;

/**
 * Permissions the spec defines outside section 3's table. product.md section 7:
 * the audit log is "readable by Owners and Admins"; api.md lists `audit.read`
 * among the permission names and gives `GET .../audit-events` to
 * "`audit.read` (Owner, Admin)". Section 3's table has no such row although
 * its introduction says every operation names one of its permissions.
 */
const specOutsideSection3 = [
  ['audit.read', 'Read the audit log (product.md §7, api.md)', '✓', '✓', ''],
] as const;

/** api.md, "Permission names", in its order. */
const apiPermissionNames = [
  'messaging.use',
  'contacts.manage',
  'contacts.import',
  'members.invite',
  'members.remove',
  'members.updateRole',
  'billing.manage',
  'numbers.updateSettings',
  'numbers.add',
  'groups.create',
  'integrations.configure',
  'porting.manage',
  'domains.manage',
  'workspace.configure',
  'owners.manage',
  'ownership.transfer',
  'audit.read',
];

type SpecRow = (typeof specTable)[number] | (typeof specOutsideSection3)[number];
type Cell = SpecRow[2] | SpecRow[3] | SpecRow[4];

/**
 * What a cell of the spec's table means for the workspace-level permission,
 * under given settings. Conditions on the target (not owners, never to or
 * from Owner, current owner) are the decisions tested further down.
 */
function cellAllows(cell: Cell, settings: WorkspaceSettings): boolean {
  switch (cell) {
    case '✓':
    case '✓ (not owners)':
    case '✓ (never to or from Owner)':
    case '✓ (current owner)':
      return true;
    case '':
      return false;
    // D1: members invite while `membersCanInvite` is on.
    case '✓ (see D1)':
      return settings.membersCanInvite;
    // D2: admins manage billing only while `adminsCanManageBilling` is on.
    case 'see D2':
      return settings.adminsCanManageBilling;
    // A number-level permission (section 4), not a workspace-level one.
    case 'number owners only (section 4)':
      return false;
  }
}

const roleColumn = { owner: 2, admin: 3, member: 4 } as const satisfies Record<Role, number>;
const allSpecRows: readonly SpecRow[] = [...specTable, ...specOutsideSection3];
const specPermissionNames = allSpecRows.map((row) => row[0]);

/** Every combination of the two workspace settings. */
const settingsCombinations: WorkspaceSettings[] = [
  { membersCanInvite: false, adminsCanManageBilling: false },
  { membersCanInvite: false, adminsCanManageBilling: true },
  { membersCanInvite: true, adminsCanManageBilling: false },
  { membersCanInvite: true, adminsCanManageBilling: true },
];

const specAllows = (role: Role, permission: string, settings: WorkspaceSettings): boolean => {
  const row = allSpecRows.find((candidate) => candidate[0] === permission);
  if (!row) throw new Error(`${permission} is not in the spec`);
  return cellAllows(row[roleColumn[role]], settings);
};

/** The route's one permission decision, as a Decision. */
function permissionDecision(role: Role, permission: Permission, settings?: WorkspaceSettings): Decision {
  try {
    requirePermission(role, permission, settings);
    return { allowed: true };
  } catch (error) {
    if (error instanceof AppError) return { allowed: false, error };
    throw error;
  }
}

/**
 * What a request to a route is answered: the route's permission, decided
 * once before the operation, then the rules beyond it (`decide`).
 */
function routeDecision(
  actorRole: Role,
  permission: Permission | undefined,
  settings: WorkspaceSettings | undefined,
  request: AccessRequest,
): Decision {
  const base = permission ? permissionDecision(actorRole, permission, settings) : { allowed: true as const };
  return base.allowed ? decide(request) : base;
}

/** A decision as plain data, so a test can compare it whole. */
function outcome(decision: Decision) {
  if (decision.allowed) return 'allowed';
  expect(decision.error).toBeInstanceOf(AppError);
  const { code, status, message } = decision.error;
  return { code, status, message };
}

const forbidden = (permission: string) => ({
  code: 'ROLE_FORBIDDEN',
  status: 403,
  message: `Your role does not have the ${permission} permission.`,
});
const ownerRequired = {
  code: 'OWNER_REQUIRED',
  status: 403,
  message: 'Only an owner can add, remove or change the role of an owner.',
};
const ownRoleChange = {
  code: 'OWN_ROLE_CHANGE',
  status: 403,
  message: 'You cannot change your own role; only an owner may step down while another owner remains.',
};
const removeSelf = {
  code: 'CANNOT_TARGET_SELF',
  status: 400,
  message: 'To leave a workspace, use the leave operation.',
};
const transferToSelf = {
  code: 'CANNOT_TARGET_SELF',
  status: 400,
  message: 'Choose another member to transfer ownership to.',
};
const alreadyOwner = { code: 'ALREADY_OWNER', status: 409, message: 'This member is already an owner.' };
const ownerOnlySetting = {
  code: 'OWNER_ONLY_SETTING',
  status: 403,
  message: 'Only an owner can change adminsCanManageBilling.',
};

const roleArbitrary = fc.constantFrom(...roles);
const permissionArbitrary = fc.constantFrom(...permissions);
const settingsArbitrary = fc.record({
  membersCanInvite: fc.boolean(),
  adminsCanManageBilling: fc.boolean(),
});

describe('the permission matrix of product.md §3', () => {
  describe.each(allSpecRows.map((row) => ({ permission: row[0], wording: row[1], row })))(
    '$permission ($wording)',
    ({ permission, row }) => {
      it.each(roles.map((role) => ({ role, cell: row[roleColumn[role]] })))(
        '$role: "$cell"',
        ({ role, cell }) => {
          const expected = settingsCombinations.map((settings) => cellAllows(cell, settings));
          expect(
            settingsCombinations.map((settings) => hasPermission(role, permission as Permission, settings)),
          ).toEqual(expected);
        },
      );
    },
  );

  describe.each(roles)('permissionsOf(%s)', (role) => {
    it.each(settingsCombinations)(
      'membersCanInvite $membersCanInvite, adminsCanManageBilling $adminsCanManageBilling',
      (settings) => {
        const expected = specPermissionNames.filter((permission) => specAllows(role, permission, settings));
        expect([...permissionsOf(role, settings)].sort()).toEqual(expected.sort());
      },
    );
  });

  it('has every permission of the spec table', () => {
    const fromSpec = specTable.map((row) => row[0]);
    expect(fromSpec.filter((permission) => !(permissions as string[]).includes(permission))).toEqual([]);
  });

  it('has no permission beyond the spec: only audit.read, which §3 lacks but §7 and api.md define', () => {
    const section3 = specTable.map((row): string => row[0]);
    expect(permissions.filter((permission) => !section3.includes(permission))).toEqual(['audit.read']);
    expect(permissions.filter((permission) => !specPermissionNames.includes(permission))).toEqual([]);
  });

  it('uses exactly the permission names of api.md', () => {
    expect([...permissions].sort()).toEqual([...apiPermissionNames].sort());
    expect(new Set(permissions).size).toBe(permissions.length);
  });

  it('defaults the settings as D1 and D2 say: members invite, admins do not manage billing', () => {
    expect(defaultSettings).toEqual({ membersCanInvite: true, adminsCanManageBilling: false });
  });

  it('depends on the settings for exactly the two cells of D1 and D2', () => {
    const dependent = permissions.flatMap((permission) =>
      roles.filter((role) => dependsOnSettings(permission, role)).map((role) => `${role} ${permission}`),
    );
    expect(dependent.sort()).toEqual(['admin billing.manage', 'member members.invite']);
    expect(permissions.filter((permission) => dependsOnSettings(permission)).sort()).toEqual([
      'billing.manage',
      'members.invite',
    ]);
  });
});

describe('D1: invitations', () => {
  it.each(settingsCombinations)(
    'a member invites exactly while membersCanInvite is on ($membersCanInvite); owners and admins always',
    (settings) => {
      expect(hasPermission('member', 'members.invite', settings)).toBe(settings.membersCanInvite);
      expect(hasPermission('admin', 'members.invite', settings)).toBe(true);
      expect(hasPermission('owner', 'members.invite', settings)).toBe(true);
    },
  );

  it('decides a member invitation only with the workspace settings at hand', () => {
    expect(() => permissionDecision('member', 'members.invite')).toThrow(
      'Deciding members.invite for member needs the workspace settings',
    );
    expect(outcome(permissionDecision('admin', 'members.invite'))).toBe('allowed');
    expect(outcome(permissionDecision('owner', 'members.invite'))).toBe('allowed');
  });

  it('refuses a member invitation with ROLE_FORBIDDEN when membersCanInvite is off', () => {
    const settings = { membersCanInvite: false, adminsCanManageBilling: false };
    expect(outcome(permissionDecision('member', 'members.invite', settings))).toEqual(
      forbidden('members.invite'),
    );
    expect(
      outcome(permissionDecision('member', 'members.invite', { ...settings, membersCanInvite: true })),
    ).toBe('allowed');
  });

  it.each([
    { actorRole: 'owner', expected: 'allowed' },
    { actorRole: 'admin', expected: 'allowed' },
    { actorRole: 'member', expected: forbidden('workspace.configure') },
  ] as const)('$actorRole turning membersCanInvite off or on', ({ actorRole, expected }) => {
    for (const membersCanInvite of [false, true]) {
      const request: AccessRequest = { kind: 'settingsChange', actorRole, changes: { membersCanInvite } };
      expect(outcome(routeDecision(actorRole, 'workspace.configure', undefined, request))).toEqual(expected);
    }
  });

  const on = { membersCanInvite: true, adminsCanManageBilling: false };
  const off = { membersCanInvite: false, adminsCanManageBilling: false };
  const onlyOwnerInvitesOwner = {
    code: 'OWNER_REQUIRED',
    status: 403,
    message: 'Only an owner can invite an owner.',
  };
  const membersInviteMembers = {
    code: 'ROLE_FORBIDDEN',
    status: 403,
    message: 'Members can invite people only as members.',
  };

  type InvitationCase = {
    actorRole: Role;
    invitedRole: Role;
    settings: WorkspaceSettings;
    expected: unknown;
  };
  const invitationCases: InvitationCase[] = [
    // An owner invites anyone, whatever membersCanInvite says.
    { actorRole: 'owner', invitedRole: 'owner', settings: on, expected: 'allowed' },
    { actorRole: 'owner', invitedRole: 'admin', settings: off, expected: 'allowed' },
    { actorRole: 'owner', invitedRole: 'member', settings: off, expected: 'allowed' },
    { actorRole: 'owner', invitedRole: 'owner', settings: off, expected: 'allowed' },
    // An admin invites admins and members; only an owner invites an owner.
    { actorRole: 'admin', invitedRole: 'admin', settings: off, expected: 'allowed' },
    { actorRole: 'admin', invitedRole: 'member', settings: off, expected: 'allowed' },
    { actorRole: 'admin', invitedRole: 'owner', settings: on, expected: onlyOwnerInvitesOwner },
    // A member invites only members, and only while membersCanInvite is on.
    { actorRole: 'member', invitedRole: 'member', settings: on, expected: 'allowed' },
    { actorRole: 'member', invitedRole: 'admin', settings: on, expected: membersInviteMembers },
    { actorRole: 'member', invitedRole: 'owner', settings: on, expected: onlyOwnerInvitesOwner },
    { actorRole: 'member', invitedRole: 'member', settings: off, expected: forbidden('members.invite') },
    { actorRole: 'member', invitedRole: 'admin', settings: off, expected: forbidden('members.invite') },
  ];

  it.each(invitationCases)(
    '$actorRole inviting a new $invitedRole (membersCanInvite: $settings.membersCanInvite)',
    ({ actorRole, invitedRole, settings, expected }) => {
      expect(
        outcome(
          routeDecision(actorRole, 'members.invite', settings, {
            kind: 'invitation',
            actorRole,
            invitedRole,
            sharedNumbers: [],
          }),
        ),
      ).toEqual(expected);
    },
  );

  it.each([
    { actorRole: 'member', actorAccess: 'exclusive', expected: 'allowed' },
    { actorRole: 'member', actorAccess: 'shared', expected: 'allowed' },
    {
      actorRole: 'member',
      actorAccess: 'read-only',
      expected: {
        code: 'NUMBER_ACCESS_REQUIRED',
        status: 403,
        message: 'Members can share only numbers they have full access to, which excludes PN2.',
      },
    },
    {
      actorRole: 'member',
      actorAccess: undefined,
      expected: {
        code: 'NUMBER_ACCESS_REQUIRED',
        status: 403,
        message: 'Members can share only numbers they have full access to, which excludes PN2.',
      },
    },
    { actorRole: 'admin', actorAccess: undefined, expected: 'allowed' },
    { actorRole: 'owner', actorAccess: 'read-only', expected: 'allowed' },
  ] as const)(
    '$actorRole sharing a number they hold with access $actorAccess',
    ({ actorRole, actorAccess, expected }) => {
      const sharedNumbers = [
        { id: 'PN1', actorAccess: 'exclusive' as const },
        { id: 'PN2', actorAccess },
      ];
      expect(
        outcome(
          routeDecision(actorRole, 'members.invite', on, {
            kind: 'invitation',
            actorRole,
            invitedRole: 'member',
            sharedNumbers,
          }),
        ),
      ).toEqual(expected);
    },
  );

  it('lists every number a member cannot share', () => {
    const decision = decide({
      kind: 'invitation',
      actorRole: 'member',
      invitedRole: 'member',
      sharedNumbers: [
        { id: 'PN1', actorAccess: 'read-only' },
        { id: 'PN2', actorAccess: 'shared' },
        { id: 'PN3', actorAccess: undefined },
      ],
    });
    expect(outcome(decision)).toEqual({
      code: 'NUMBER_ACCESS_REQUIRED',
      status: 403,
      message: 'Members can share only numbers they have full access to, which excludes PN1, PN3.',
    });
  });

  it.each([
    { actorRole: 'member', grantedAccess: 'exclusive', allowed: false },
    { actorRole: 'member', grantedAccess: 'shared', allowed: true },
    { actorRole: 'member', grantedAccess: 'read-only', allowed: true },
    { actorRole: 'admin', grantedAccess: 'exclusive', allowed: true },
    { actorRole: 'owner', grantedAccess: 'exclusive', allowed: true },
  ] as const)(
    'a $actorRole granting $grantedAccess access to a number they fully hold: allowed $allowed',
    ({ actorRole, grantedAccess, allowed }) => {
      const decision = decide({
        kind: 'invitation',
        actorRole,
        invitedRole: 'member',
        sharedNumbers: [{ id: 'PN1', actorAccess: 'exclusive' }],
        grantedAccess,
      });
      expect(outcome(decision)).toEqual(
        allowed
          ? 'allowed'
          : {
              code: 'NUMBER_ACCESS_REQUIRED',
              status: 403,
              message: 'Members can share numbers as shared or read-only, not exclusive.',
            },
      );
    },
  );

  const notTheInviter = {
    code: 'ROLE_FORBIDDEN',
    status: 403,
    message: 'Only the person who sent this invitation, an owner or an admin can resend or revoke it.',
  };
  type ManagementCase = {
    action: 'resend' | 'revoke';
    actorRole: Role;
    ownInvitation: boolean;
    settings: WorkspaceSettings;
    expected: unknown;
  };
  const managementCases: ManagementCase[] = [
    { action: 'resend', actorRole: 'owner', ownInvitation: false, settings: off, expected: 'allowed' },
    { action: 'revoke', actorRole: 'owner', ownInvitation: false, settings: off, expected: 'allowed' },
    { action: 'resend', actorRole: 'admin', ownInvitation: false, settings: off, expected: 'allowed' },
    { action: 'revoke', actorRole: 'admin', ownInvitation: false, settings: off, expected: 'allowed' },
    { action: 'resend', actorRole: 'member', ownInvitation: true, settings: on, expected: 'allowed' },
    { action: 'revoke', actorRole: 'member', ownInvitation: true, settings: on, expected: 'allowed' },
    // Resending is inviting again (D1); revoking one's own invitation is not.
    {
      action: 'resend',
      actorRole: 'member',
      ownInvitation: true,
      settings: off,
      expected: forbidden('members.invite'),
    },
    { action: 'revoke', actorRole: 'member', ownInvitation: true, settings: off, expected: 'allowed' },
    { action: 'resend', actorRole: 'member', ownInvitation: false, settings: on, expected: notTheInviter },
    { action: 'revoke', actorRole: 'member', ownInvitation: false, settings: on, expected: notTheInviter },
  ];

  it.each(managementCases)(
    '$actorRole trying to $action an invitation (own: $ownInvitation, membersCanInvite: $settings.membersCanInvite)',
    ({ action, actorRole, ownInvitation, settings, expected }) => {
      const request: AccessRequest = {
        kind: 'invitationManagement',
        actorRole,
        actorId: 'U-actor',
        inviterId: ownInvitation ? 'U-actor' : 'U-inviter',
      };
      // Resending needs members.invite, the resend route's permission; revoking is any member's route.
      const permission = action === 'resend' ? 'members.invite' : undefined;
      expect(outcome(routeDecision(actorRole, permission, settings, request))).toEqual(expected);
    },
  );
});

describe('D2: billing', () => {
  it.each(settingsCombinations)(
    'an admin manages billing exactly while adminsCanManageBilling is on ($adminsCanManageBilling); owner always, member never',
    (settings) => {
      expect(hasPermission('admin', 'billing.manage', settings)).toBe(settings.adminsCanManageBilling);
      expect(hasPermission('owner', 'billing.manage', settings)).toBe(true);
      expect(hasPermission('member', 'billing.manage', settings)).toBe(false);
    },
  );

  it('is owner-only under the default settings', () => {
    expect(roles.filter((role) => hasPermission(role, 'billing.manage', defaultSettings))).toEqual(['owner']);
  });

  it('refuses an admin with ROLE_FORBIDDEN while the setting is off and needs the settings to decide', () => {
    expect(
      outcome(
        permissionDecision('admin', 'billing.manage', {
          membersCanInvite: true,
          adminsCanManageBilling: false,
        }),
      ),
    ).toEqual(forbidden('billing.manage'));
    expect(() => permissionDecision('admin', 'billing.manage')).toThrow(
      'Deciding billing.manage for admin needs the workspace settings',
    );
    expect(
      outcome(
        permissionDecision('member', 'billing.manage', {
          membersCanInvite: true,
          adminsCanManageBilling: true,
        }),
      ),
    ).toEqual(forbidden('billing.manage'));
  });

  it.each([
    { actorRole: 'owner', changes: { adminsCanManageBilling: true }, expected: 'allowed' },
    { actorRole: 'owner', changes: { adminsCanManageBilling: false }, expected: 'allowed' },
    {
      actorRole: 'owner',
      changes: { adminsCanManageBilling: true, membersCanInvite: false },
      expected: 'allowed',
    },
    { actorRole: 'admin', changes: { adminsCanManageBilling: true }, expected: ownerOnlySetting },
    { actorRole: 'admin', changes: { adminsCanManageBilling: false }, expected: ownerOnlySetting },
    {
      actorRole: 'admin',
      changes: { membersCanInvite: true, adminsCanManageBilling: true },
      expected: ownerOnlySetting,
    },
    { actorRole: 'admin', changes: {}, expected: 'allowed' },
    { actorRole: 'member', changes: {}, expected: forbidden('workspace.configure') },
    {
      actorRole: 'member',
      changes: { adminsCanManageBilling: true },
      expected: forbidden('workspace.configure'),
    },
  ] as const)('settings change by $actorRole of $changes', ({ actorRole, changes, expected }) => {
    expect(
      outcome(
        routeDecision(actorRole, 'workspace.configure', undefined, {
          kind: 'settingsChange',
          actorRole,
          changes,
        }),
      ),
    ).toEqual(expected);
  });
});

type RoleChangeCase = { actorRole: Role; targetRole: Role; newRole: Role; self: boolean; expected: unknown };

describe('D3: role changes', () => {
  const cases: RoleChangeCase[] = [
    // Owners change any role, to and from owner, and may step down themselves.
    { actorRole: 'owner', targetRole: 'member', newRole: 'admin', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'admin', newRole: 'member', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'member', newRole: 'owner', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'admin', newRole: 'owner', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', newRole: 'admin', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', newRole: 'member', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', newRole: 'admin', self: true, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', newRole: 'member', self: true, expected: 'allowed' },
    // Admins: member <-> admin only; never to or from owner; never their own role.
    { actorRole: 'admin', targetRole: 'member', newRole: 'admin', self: false, expected: 'allowed' },
    { actorRole: 'admin', targetRole: 'admin', newRole: 'member', self: false, expected: 'allowed' },
    { actorRole: 'admin', targetRole: 'member', newRole: 'owner', self: false, expected: ownerRequired },
    { actorRole: 'admin', targetRole: 'admin', newRole: 'owner', self: false, expected: ownerRequired },
    { actorRole: 'admin', targetRole: 'owner', newRole: 'admin', self: false, expected: ownerRequired },
    { actorRole: 'admin', targetRole: 'owner', newRole: 'member', self: false, expected: ownerRequired },
    { actorRole: 'admin', targetRole: 'admin', newRole: 'member', self: true, expected: ownRoleChange },
    { actorRole: 'admin', targetRole: 'admin', newRole: 'owner', self: true, expected: ownRoleChange },
    // Members change no role, not even their own.
    {
      actorRole: 'member',
      targetRole: 'member',
      newRole: 'admin',
      self: false,
      expected: forbidden('members.updateRole'),
    },
    {
      actorRole: 'member',
      targetRole: 'admin',
      newRole: 'member',
      self: false,
      expected: forbidden('members.updateRole'),
    },
    {
      actorRole: 'member',
      targetRole: 'owner',
      newRole: 'member',
      self: false,
      expected: forbidden('members.updateRole'),
    },
    {
      actorRole: 'member',
      targetRole: 'member',
      newRole: 'owner',
      self: false,
      expected: forbidden('members.updateRole'),
    },
    {
      actorRole: 'member',
      targetRole: 'member',
      newRole: 'admin',
      self: true,
      expected: forbidden('members.updateRole'),
    },
  ];

  it.each(cases)(
    '$actorRole changing $targetRole to $newRole (self: $self)',
    ({ actorRole, targetRole, newRole, self, expected }) => {
      const request: AccessRequest = {
        kind: 'roleChange',
        actorRole,
        actorId: 'U-actor',
        targetId: self ? 'U-actor' : 'U-target',
        targetRole,
        newRole,
      };
      expect(outcome(routeDecision(actorRole, 'members.updateRole', undefined, request))).toEqual(expected);
    },
  );
});

describe('removals', () => {
  it.each([
    { actorRole: 'owner', targetRole: 'member', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'admin', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', self: true, expected: removeSelf },
    { actorRole: 'admin', targetRole: 'member', self: false, expected: 'allowed' },
    { actorRole: 'admin', targetRole: 'admin', self: false, expected: 'allowed' },
    { actorRole: 'admin', targetRole: 'owner', self: false, expected: ownerRequired },
    { actorRole: 'admin', targetRole: 'admin', self: true, expected: removeSelf },
    { actorRole: 'member', targetRole: 'member', self: false, expected: forbidden('members.remove') },
    { actorRole: 'member', targetRole: 'admin', self: false, expected: forbidden('members.remove') },
    { actorRole: 'member', targetRole: 'owner', self: false, expected: forbidden('members.remove') },
    { actorRole: 'member', targetRole: 'member', self: true, expected: forbidden('members.remove') },
  ] as const)(
    '$actorRole removing $targetRole (self: $self)',
    ({ actorRole, targetRole, self, expected }) => {
      const request: AccessRequest = {
        kind: 'removal',
        actorRole,
        actorId: 'U-actor',
        targetId: self ? 'U-actor' : 'U-target',
        targetRole,
      };
      expect(outcome(routeDecision(actorRole, 'members.remove', undefined, request))).toEqual(expected);
    },
  );
});

describe('ownership transfer', () => {
  it.each([
    { actorRole: 'owner', targetRole: 'member', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'admin', self: false, expected: 'allowed' },
    { actorRole: 'owner', targetRole: 'owner', self: false, expected: alreadyOwner },
    { actorRole: 'owner', targetRole: 'owner', self: true, expected: transferToSelf },
    { actorRole: 'admin', targetRole: 'member', self: false, expected: forbidden('ownership.transfer') },
    { actorRole: 'admin', targetRole: 'admin', self: true, expected: forbidden('ownership.transfer') },
    { actorRole: 'member', targetRole: 'admin', self: false, expected: forbidden('ownership.transfer') },
  ] as const)(
    '$actorRole transferring to $targetRole (self: $self)',
    ({ actorRole, targetRole, self, expected }) => {
      const request: AccessRequest = {
        kind: 'ownershipTransfer',
        actorId: 'U-actor',
        targetId: self ? 'U-actor' : 'U-target',
        targetRole,
      };
      expect(outcome(routeDecision(actorRole, 'ownership.transfer', undefined, request))).toEqual(expected);
    },
  );
});

describe('enforce', () => {
  it('throws the decision’s own error when refused and returns nothing when allowed', () => {
    const refused: AccessRequest = {
      kind: 'removal',
      actorRole: 'admin',
      actorId: 'U-actor',
      targetId: 'U-target',
      targetRole: 'owner',
    };
    const decision = decide(refused);
    expect(decision.allowed).toBe(false);
    expect(() => enforce(refused)).toThrow(AppError);
    expect(() => enforce(refused)).toThrow(ownerRequired.message);
    expect(enforce({ ...refused, targetRole: 'member' })).toBeUndefined();
  });
});

describe('properties', () => {
  it('a plain permission request is decided exactly as hasPermission says, with 403 when refused', () => {
    fc.assert(
      fc.property(
        roleArbitrary,
        permissionArbitrary,
        settingsArbitrary,
        (actorRole, permission, settings) => {
          const decision = permissionDecision(actorRole, permission, settings);
          expect(decision.allowed).toBe(hasPermission(actorRole, permission, settings));
          if (!decision.allowed) expect(decision.error.status).toBe(403);
        },
      ),
    );
  });

  it('whatever the settings, owners keep every permission', () => {
    fc.assert(
      fc.property(settingsArbitrary, (settings) => {
        expect([...permissionsOf('owner', settings)].sort()).toEqual([...permissions].sort());
      }),
    );
  });

  it('a setting moves only the D1 and D2 cells', () => {
    fc.assert(
      fc.property(
        roleArbitrary,
        permissionArbitrary,
        settingsArbitrary,
        settingsArbitrary,
        (role, permission, first, second) => {
          if (hasPermission(role, permission, first) !== hasPermission(role, permission, second)) {
            expect(['member members.invite', 'admin billing.manage']).toContain(`${role} ${permission}`);
          }
        },
      ),
    );
  });

  it('a role change is allowed only as D3 says, and always for an owner', () => {
    fc.assert(
      fc.property(
        roleArbitrary,
        roleArbitrary,
        roleArbitrary,
        fc.boolean(),
        (actorRole, other, newRole, self) => {
          const targetRole = self ? actorRole : other;
          const { allowed } = routeDecision(actorRole, 'members.updateRole', undefined, {
            kind: 'roleChange',
            actorRole,
            actorId: 'U-actor',
            targetId: self ? 'U-actor' : 'U-target',
            targetRole,
            newRole,
          });
          if (actorRole === 'owner') expect(allowed).toBe(true);
          if (allowed) {
            expect(actorRole).not.toBe('member');
            if (targetRole === 'owner' || newRole === 'owner' || self) expect(actorRole).toBe('owner');
          }
        },
      ),
    );
  });

  it('an invitation is allowed only as D1 says, and always for an owner', () => {
    const access = fc.constantFrom('exclusive', 'shared', 'read-only', undefined);
    fc.assert(
      fc.property(
        roleArbitrary,
        roleArbitrary,
        settingsArbitrary,
        fc.array(access, { maxLength: 3 }),
        (actorRole, invitedRole, settings, accesses) => {
          const sharedNumbers = accesses.map((actorAccess, index) => ({ id: `PN${index}`, actorAccess }));
          const { allowed } = routeDecision(actorRole, 'members.invite', settings, {
            kind: 'invitation',
            actorRole,
            invitedRole,
            sharedNumbers,
          });
          if (actorRole === 'owner') expect(allowed).toBe(true);
          if (allowed) {
            expect(hasPermission(actorRole, 'members.invite', settings)).toBe(true);
            if (invitedRole === 'owner') expect(actorRole).toBe('owner');
            if (actorRole === 'member') {
              expect(invitedRole).toBe('member');
              for (const actorAccess of accesses) expect(['exclusive', 'shared']).toContain(actorAccess);
            }
          }
        },
      ),
      // Small space, many shapes of shared numbers: look at more of it than the default 100 runs.
      { numRuns: 1000 },
    );
  });

  it('a removal is allowed exactly when D3’s owner rule and the no-self rule allow it', () => {
    fc.assert(
      fc.property(roleArbitrary, roleArbitrary, fc.boolean(), (actorRole, other, self) => {
        const targetRole = self ? actorRole : other;
        const { allowed } = routeDecision(actorRole, 'members.remove', undefined, {
          kind: 'removal',
          actorRole,
          actorId: 'U-actor',
          targetId: self ? 'U-actor' : 'U-target',
          targetRole,
        });
        const expected = !self && actorRole !== 'member' && (targetRole !== 'owner' || actorRole === 'owner');
        expect(allowed).toBe(expected);
      }),
    );
  });
});

describe('one decision per permission', () => {
  it('decide applies only the rules beyond the route’s permission, which the route decided already', () => {
    // A member changing a member's role: the route refuses (members.updateRole); D3 itself has nothing against it.
    const roleChange: AccessRequest = {
      kind: 'roleChange',
      actorRole: 'member',
      actorId: 'U-actor',
      targetId: 'U-target',
      targetRole: 'member',
      newRole: 'admin',
    };
    expect(outcome(decide(roleChange))).toBe('allowed');
    expect(outcome(routeDecision('member', 'members.updateRole', undefined, roleChange))).toEqual(
      forbidden('members.updateRole'),
    );
    // A member inviting a member with invitations off: members.invite refuses, D1's own rules do not.
    const invitation: AccessRequest = {
      kind: 'invitation',
      actorRole: 'member',
      invitedRole: 'member',
      sharedNumbers: [],
    };
    expect(outcome(decide(invitation))).toBe('allowed');
    expect(
      outcome(
        routeDecision(
          'member',
          'members.invite',
          { membersCanInvite: false, adminsCanManageBilling: false },
          invitation,
        ),
      ),
    ).toEqual(forbidden('members.invite'));
  });
});

describe('D1 at accept time: who may still stand behind an invitation', () => {
  it.each([
    { invitedRole: 'owner', membersCanInvite: true, expected: ['owner'] },
    { invitedRole: 'admin', membersCanInvite: true, expected: ['owner', 'admin'] },
    { invitedRole: 'member', membersCanInvite: true, expected: ['owner', 'admin', 'member'] },
    { invitedRole: 'owner', membersCanInvite: false, expected: ['owner'] },
    { invitedRole: 'admin', membersCanInvite: false, expected: ['owner', 'admin'] },
    { invitedRole: 'member', membersCanInvite: false, expected: ['owner', 'admin'] },
  ] as const)(
    'an invitation as $invitedRole (membersCanInvite: $membersCanInvite) needs one of $expected',
    ({ invitedRole, membersCanInvite, expected }) => {
      expect(rolesThatMayInvite(invitedRole, { membersCanInvite, adminsCanManageBilling: false })).toEqual(
        expected,
      );
    },
  );

  it('is exactly the roles D1 lets send that invitation', () => {
    fc.assert(
      fc.property(roleArbitrary, roleArbitrary, settingsArbitrary, (actorRole, invitedRole, settings) => {
        const sends = routeDecision(actorRole, 'members.invite', settings, {
          kind: 'invitation',
          actorRole,
          invitedRole,
          sharedNumbers: [],
        }).allowed;
        expect(rolesThatMayInvite(invitedRole, settings).includes(actorRole)).toBe(sends);
      }),
    );
  });
});
