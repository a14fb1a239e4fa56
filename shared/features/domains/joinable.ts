import type { WorkspaceItem } from '../../access/tenancy';
import type { Caller } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { memberKey, verifiedDomainKey, workspaceKey } from '../../db/keys';
import { domainsMatching } from './addresses';
import type { JoinPolicy, VerifiedDomainItem } from './items';
import { admits, covers } from './join';

export interface JoinableWorkspace {
  id: string;
  name: string;
  memberCount: number;
  domain: string;
  joinPolicy: JoinPolicy;
}

/**
 * The workspaces whose verified domain lets the caller's address in, for
 * "Join existing workspace". The holder items of the address's domain (and
 * its parents, for `includeSubdomains`) are one read; only when some match,
 * a second reads those workspaces, for their name and size, with the
 * caller's membership there (members are not offered to join again).
 */
export async function joinableWorkspaces(caller: Caller): Promise<JoinableWorkspace[]> {
  if (!caller.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED');
  const candidates = domainsMatching(caller.email);
  if (candidates.length === 0) return [];
  const holders = await batchGetConsistent(
    candidates.map((candidate) => verifiedDomainKey(candidate.domain)),
  );
  const matches = new Map<string, VerifiedDomainItem>();
  const decided = new Set<string>();
  for (const candidate of candidates) {
    const holder = itemAt(holders, verifiedDomainKey(candidate.domain)) as VerifiedDomainItem | undefined;
    // Most specific first: the first domain of a workspace that covers the address decides (its `off` stands).
    if (!covers(holder, candidate.exact) || decided.has(holder.workspaceId)) continue;
    decided.add(holder.workspaceId);
    if (admits(holder, candidate.exact)) matches.set(holder.workspaceId, holder);
  }
  if (matches.size === 0) return [];
  const ids = [...matches.keys()];
  const found = await batchGetConsistent(
    ids.flatMap((id) => [workspaceKey(id), memberKey(id, caller.userId)]),
  );
  return ids.flatMap((id) => {
    const workspace = itemAt(found, workspaceKey(id)) as WorkspaceItem | undefined;
    const holder = matches.get(id) as VerifiedDomainItem;
    if (workspace?.status !== 'active' || itemAt(found, memberKey(id, caller.userId))) return [];
    return [
      {
        id,
        name: workspace.name,
        memberCount: workspace.memberCount,
        domain: holder.domain,
        joinPolicy: holder.joinPolicy,
      },
    ];
  });
}
