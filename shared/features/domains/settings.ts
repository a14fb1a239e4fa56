import { requireActive, workspaceIsActive } from '../../access/guards';
import type { WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { domainClaimKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { claimChanged, claimUnchanged, holds, updateHolder } from './claims';
import {
  type Domain,
  type DomainClaimItem,
  domainSettings,
  domainTarget,
  type JoinPolicy,
  toDomain,
  type VerifiedDomainItem,
} from './items';

export interface DomainChanges {
  joinPolicy?: JoinPolicy | undefined;
  includeSubdomains?: boolean | undefined;
}

/**
 * Who may join through the domain, and whether subdomains count: on the
 * claim, and on the holder item that joins read, in one transaction.
 */
export async function updateDomain(
  workspace: WorkspaceItem,
  claim: DomainClaimItem,
  holder: VerifiedDomainItem | undefined,
  changes: DomainChanges,
  context: RequestContext,
): Promise<Domain> {
  requireActive(workspace);
  const set = {
    joinPolicy: changes.joinPolicy ?? claim.joinPolicy,
    includeSubdomains: changes.includeSubdomains ?? claim.includeSubdomains,
  };
  const updated: DomainClaimItem = { ...claim, ...set, revision: claim.revision + 1 };
  const unchanged = claimUnchanged(claim);
  await transact([
    {
      update: {
        Key: domainClaimKey(workspace.id, claim.domain),
        UpdateExpression:
          'SET joinPolicy = :joinPolicy, includeSubdomains = :includeSubdomains, revision = :next',
        ...unchanged,
        ExpressionAttributeValues: {
          ...unchanged.ExpressionAttributeValues,
          ':joinPolicy': set.joinPolicy,
          ':includeSubdomains': set.includeSubdomains,
          ':next': updated.revision,
        },
      },
      onConditionFailed: claimChanged,
    },
    // Pending or expired claims have no holder item yet: verifying copies the settings.
    ...(holds(claim, holder) ? [updateHolder(claim.domain, workspace.id, set)] : []),
    workspaceIsActive(workspace.id),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'domain.updated',
      target: domainTarget(claim.domain),
      before: domainSettings(claim),
      after: domainSettings(updated),
    }),
  ]);
  return toDomain(updated, context.now);
}
