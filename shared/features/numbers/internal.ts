import { decideNumberUse, type NumberAction } from '../../access/numbers';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import { AppError } from '../../core/errors';
import { batchGetConsistent, getConsistent, itemAt } from '../../db/batch';
import { e164Key, memberKey, phoneNumberKey, workspaceKey } from '../../db/keys';
import type { PhoneNumberItem } from './items';
import { parseNumber } from './phone';
import { routeCall } from './routing';

/** The workspace, the number and (when asked) the member: one BatchGetItem, strongly consistent. */
async function readForService(workspaceId: string, phoneNumberId: string, userId?: string) {
  const keys = [workspaceKey(workspaceId), phoneNumberKey(workspaceId, phoneNumberId)];
  if (userId !== undefined) keys.push(memberKey(workspaceId, userId));
  const found = await batchGetConsistent(keys);
  const workspace = itemAt(found, workspaceKey(workspaceId)) as WorkspaceItem | undefined;
  const number = itemAt(found, phoneNumberKey(workspaceId, phoneNumberId)) as PhoneNumberItem | undefined;
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND');
  if (!number) throw new AppError('NUMBER_NOT_FOUND');
  const member =
    userId === undefined
      ? undefined
      : (itemAt(found, memberKey(workspaceId, userId)) as MemberItem | undefined);
  return { workspace, number, member };
}

/** The decision for any user, as the telephony side asks it before a call or a text: one read. */
export async function decideForUser(
  workspaceId: string,
  phoneNumberId: string,
  userId: string,
  action: NumberAction,
) {
  const { workspace, number, member } = await readForService(workspaceId, phoneNumberId, userId);
  return decideNumberUse(workspace, member, number, action);
}

/** The routing of a live call: one read. A workspace no longer active takes no calls (409). */
export async function routeIncoming(workspaceId: string, phoneNumberId: string, at: Date) {
  const { workspace, number } = await readForService(workspaceId, phoneNumberId);
  if (workspace.status !== 'active') throw new AppError('WORKSPACE_INACTIVE');
  return routeCall(number, workspace, at);
}

/** Which workspace and number an E.164 number is. */
export async function findNumber(e164: string) {
  const { number } = parseNumber(e164, 'e164');
  const found = await getConsistent<{ workspaceId: string; phoneNumberId?: string }>(e164Key(number));
  // A number being ported in holds its place here, but is no workspace's yet.
  if (!found?.phoneNumberId) throw new AppError('NUMBER_NOT_FOUND', 'No workspace has this number.');
  return { workspaceId: found.workspaceId, phoneNumberId: found.phoneNumberId };
}

/** `at` of a routing request, default now. */
export const instantOf = (at: string | undefined, now: Date) => (at === undefined ? now : new Date(at));
