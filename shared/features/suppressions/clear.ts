import { requireActive } from '../../access/guards';
import type { WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { suppressionKey } from '../../db/keys';
import { transact } from '../../db/transact';
import type { SuppressionItem } from '../../email/suppression';
import { auditStep } from '../audit/events';

/**
 * Emails may go to the address again (someone fixed the mailbox, or the
 * complaint was a mistake): the next invitation to it is sent. Audited, with
 * why it had been suppressed.
 */
export async function clearSuppressedAddress(
  workspace: WorkspaceItem,
  item: SuppressionItem,
  context: RequestContext,
): Promise<void> {
  requireActive(workspace);
  await transact([
    {
      delete: {
        Key: suppressionKey(workspace.id, item.email),
        // The one read: a concurrent clear (or a clear and a new suppression) is not undone twice.
        ConditionExpression: 'messageId = :messageId',
        ExpressionAttributeValues: { ':messageId': item.messageId },
      },
      onConditionFailed: () => new AppError('SUPPRESSED_ADDRESS_NOT_FOUND'),
    },
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'suppression.cleared',
      target: { type: 'emailAddress', id: item.email },
      before: { reason: item.reason, suppressedAt: item.at },
      after: null,
    }),
  ]);
}
