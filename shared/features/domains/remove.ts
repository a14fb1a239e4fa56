import { requireActive, workspaceIsActive } from '../../access/guards';
import type { WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { domainClaimKey, verifiedDomainKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { claimChanged, claimUnchanged, heldBy, holds } from './claims';
import {
  type DomainClaimItem,
  domainSettings,
  domainTarget,
  statusOf,
  type VerifiedDomainItem,
} from './items';
import { declineLeftoverRequests } from './requests';

/**
 * Ends joining through the domain (members stay) and frees it for others:
 * the claim and, if this workspace holds it, the holder item go together.
 * Requests still pending through it are declined.
 */
export async function removeDomain(
  workspace: WorkspaceItem,
  claim: DomainClaimItem,
  holder: VerifiedDomainItem | undefined,
  context: RequestContext,
): Promise<void> {
  requireActive(workspace);
  await transact([
    {
      delete: { Key: domainClaimKey(workspace.id, claim.domain), ...claimUnchanged(claim) },
      onConditionFailed: claimChanged,
    },
    ...(holds(claim, holder)
      ? [{ delete: { Key: verifiedDomainKey(claim.domain), ...heldBy(workspace.id) } }]
      : []),
    workspaceIsActive(workspace.id),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'domain.removed',
      target: domainTarget(claim.domain),
      before: domainSettings({ ...claim, status: statusOf(claim, context.now) }),
      after: null,
    }),
  ]);
  await declineLeftoverRequests(workspace.id, claim.domain, context);
}
