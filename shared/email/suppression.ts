import { AppError } from '../core/errors';
import { suppressionKey } from '../db/keys';
import type { TransactStep } from '../db/steps';

/**
 * The workspace's suppression list: an address whose email hard-bounced or
 * was reported as spam gets no more email from the workspace, until an owner
 * or an admin clears it. Per workspace (not SES's account-level list alone):
 * a complaint about one workspace's invitation says nothing about another's,
 * and each workspace's owners see and manage their own list.
 */
export interface SuppressionItem {
  workspaceId: string;
  email: string;
  reason: 'bounce' | 'complaint';
  at: string;
  /** The outbox message whose feedback suppressed it. */
  messageId: string;
}

/** A step that holds only while the address is not suppressed in the workspace (409 ADDRESS_SUPPRESSED). */
export const notSuppressed = (workspaceId: string, email: string): TransactStep => ({
  check: { Key: suppressionKey(workspaceId, email), ConditionExpression: 'attribute_not_exists(PK)' },
  onConditionFailed: () => new AppError('ADDRESS_SUPPRESSED'),
});

/** The suppression item, first reason kept: a second bounce changes nothing. */
export const suppressAddress = (item: SuppressionItem): TransactStep => ({
  put: {
    Item: { ...suppressionKey(item.workspaceId, item.email), ...item },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});
