import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invitationKey } from '../../shared/db/keys';
import type { TestApi } from './api';
import { invitationsPath } from './paths';
import type { Team } from './seed';

/** An invitation's `delivery`, as its owner lists it. */
export async function deliveryOf(api: TestApi, team: Team, invitationId: string) {
  const listed = await api.get(`${invitationsPath(team)}?limit=100`, team.owner.token);
  return listed.body.data.find((invitation: { id: string }) => invitation.id === invitationId)?.delivery;
}

/** Moves an invitation's last queueing or send back by `ms` (past the resend cooldown, say). */
export async function backdateDelivery(
  api: TestApi,
  team: Team,
  invitationId: string,
  ms: number,
): Promise<void> {
  // The mailer first: its send writes lastAttemptAt too, and would undo the backdating.
  await api.mail.settled();
  await api.documents.send(
    new UpdateCommand({
      TableName: api.tableName,
      Key: invitationKey(team.workspaceId, invitationId),
      UpdateExpression: 'SET delivery.lastAttemptAt = :then',
      ExpressionAttributeValues: { ':then': new Date(Date.now() - ms).toISOString() },
    }),
  );
}
