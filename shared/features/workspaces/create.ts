import { defaultSettings } from '../../access/roles';
import type { MemberItem, Plan, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { newId } from '../../core/ids';
import { idempotent } from '../../db/idempotency';
import { workspaceKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { openingSteps } from '../billing/account';
import { memberTarget } from '../members/items';
import { addMember, holdAddress } from '../members/steps';
import { toWorkspace, type Workspace, workspaceTarget } from './items';

/** Creates a workspace together with its first owner, atomically. */
export function createWorkspace(
  input: { name: string; plan?: Plan | undefined; idempotencyKey: string | undefined },
  context: RequestContext,
): Promise<Workspace> {
  const { caller, now } = context;
  return idempotent<Workspace>(
    { scope: `createWorkspace#${caller.userId}`, key: input.idempotencyKey, request: input, now },
    async (record) => {
      const at = now.toISOString();
      const workspace: WorkspaceItem = {
        id: newId('WS', now.getTime()),
        name: input.name,
        status: 'active',
        plan: input.plan ?? 'starter',
        settings: defaultSettings,
        // The owner below, counted with the item that holds the counts.
        memberCount: 1,
        ownerCount: 1,
        createdAt: at,
        updatedAt: at,
      };
      const owner: MemberItem = {
        workspaceId: workspace.id,
        userId: caller.userId,
        email: caller.email,
        name: caller.name,
        role: 'owner',
        numberAccess: {},
        lastActiveAt: at,
        joinedAt: at,
      };
      const response = toWorkspace(workspace);
      const recordStep = record(response);
      await transact([
        {
          put: {
            Item: { ...workspaceKey(workspace.id), ...workspace },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...addMember(owner),
        // The creator's seat, charged at once for the whole first period.
        ...openingSteps(workspace, memberTarget(owner), context),
        ...(owner.email ? [holdAddress(owner)] : []),
        auditStep({
          ...context,
          workspaceId: workspace.id,
          action: 'workspace.created',
          target: workspaceTarget(workspace),
          before: null,
          after: { name: workspace.name, plan: workspace.plan, owner: caller.userId },
        }),
        ...(recordStep ? [recordStep] : []),
      ]);
      return response;
    },
  );
}
