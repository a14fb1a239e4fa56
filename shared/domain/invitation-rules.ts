import { AppError } from '../http/errors';
import type { AccessRequest } from '../permissions';
import type { StoredPhoneAssignment } from './invitation-items';
import type { MemberItem, WorkspaceItem } from './items';
import type { Role } from './roles';

/** D1 for inviting (or inviting again) with this role and these numbers, as the actor stands now. */
export function invitationRequest(
  actor: MemberItem,
  workspace: WorkspaceItem,
  role: Role,
  assignment: StoredPhoneAssignment,
): AccessRequest {
  return {
    kind: 'invitation',
    actorRole: actor.role,
    settings: workspace.settings,
    invitedRole: role,
    sharedNumbers:
      assignment.mode === 'share'
        ? assignment.numbers.map(({ id }) => ({
            id,
            actorAccess: actor.phoneNumbers.find((number) => number.id === id)?.access,
          }))
        : [],
    ...(assignment.mode === 'share' ? { grantedAccess: assignment.access } : {}),
  };
}

export function requireActive(workspace: WorkspaceItem): void {
  if (workspace.status !== 'active') throw new AppError('WORKSPACE_INACTIVE');
}
