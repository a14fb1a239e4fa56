import type { Role } from '../../access/roles';
import type { AccessRequest } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { StoredPhoneAssignment } from './items';

/** D1 for inviting (or inviting again) with this role and these numbers, as the actor stands now. */
export function invitationRequest(
  actor: MemberItem,
  role: Role,
  assignment: StoredPhoneAssignment,
): AccessRequest {
  return {
    kind: 'invitation',
    actorRole: actor.role,
    invitedRole: role,
    sharedNumbers:
      assignment.mode === 'share'
        ? assignment.numbers.map(({ id }) => ({
            id,
            actorAccess: actor.numberAccess?.[id]?.access,
          }))
        : [],
    ...(assignment.mode === 'share' ? { grantedAccess: assignment.access } : {}),
  };
}
