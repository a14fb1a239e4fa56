import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { domainClaimKey, domainClaimPrefix, verifiedDomainKey, workspacePartition } from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import type { TransactStep } from '../../db/steps';
import type { DomainClaimItem, VerifiedDomainItem } from './items';

/** A workspace's claim, and the domain's holder (whichever workspace that is), in one read. */
export async function readClaim(
  workspaceId: string,
  domain: string,
): Promise<{ claim: DomainClaimItem; holder: VerifiedDomainItem | undefined }> {
  const claimKey = domainClaimKey(workspaceId, domain);
  const holderKey = verifiedDomainKey(domain);
  const found = await batchGetConsistent([claimKey, holderKey]);
  const claim = itemAt(found, claimKey) as DomainClaimItem | undefined;
  if (!claim) throw new AppError('DOMAIN_NOT_FOUND');
  return { claim, holder: itemAt(found, holderKey) as VerifiedDomainItem | undefined };
}

/** A workspace's claims, in domain order. */
export function listClaims(workspaceId: string, page: PageParams): Promise<Page<DomainClaimItem>> {
  return listPage<DomainClaimItem>(
    { partition: workspacePartition(workspaceId), sortKeyPrefix: domainClaimPrefix },
    {},
    { list: 'domains', scope: workspaceId, ...page },
  );
}

/**
 * The condition that the claim is still the one read, with the same status
 * and settings: the same token (a new claim of the same domain has another)
 * and the same revision.
 */
export function claimUnchanged(claim: DomainClaimItem) {
  return {
    ConditionExpression: 'revision = :revision AND #token = :token',
    ExpressionAttributeNames: { '#token': 'token' },
    ExpressionAttributeValues: { ':revision': claim.revision, ':token': claim.token },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
}

export const claimChanged = (current: Record<string, unknown> | undefined) =>
  new AppError(current ? 'CONCURRENT_UPDATE' : 'DOMAIN_NOT_FOUND');

/** The holder item still names this workspace, for a write that changes it. */
export const heldBy = (workspaceId: string) => ({
  ConditionExpression: 'workspaceId = :holder',
  ExpressionAttributeValues: { ':holder': workspaceId },
});

/** Whether this workspace is the domain's holder (verified or lapsed). */
export const holds = (claim: DomainClaimItem, holder: VerifiedDomainItem | undefined) =>
  // The claim decides (verifying and lapsing write it with the holder, a takeover deletes it, and the
  // change is conditioned on its revision): the holder comes from the same BatchGetItem, which is not
  // isolated, and may have been read before the verification that wrote it.
  claim.status === 'verified' || claim.status === 'lapsed' || holder?.workspaceId === claim.workspaceId;

/** Updates the holder's copy of the settings, only while this workspace holds the domain. */
export function updateHolder(
  domain: string,
  workspaceId: string,
  set: Partial<Pick<VerifiedDomainItem, 'status' | 'joinPolicy' | 'includeSubdomains'>>,
): TransactStep {
  const names = Object.keys(set);
  return {
    update: {
      Key: verifiedDomainKey(domain),
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
      ConditionExpression: heldBy(workspaceId).ConditionExpression,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: {
        ...heldBy(workspaceId).ExpressionAttributeValues,
        ...Object.fromEntries(Object.entries(set).map(([name, value]) => [`:${name}`, value])),
      },
    },
    onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
  };
}
