import { AppError } from '../../core/errors';
import { getConsistent } from '../../db/batch';
import { suppressionKey } from '../../db/keys';
import type { SuppressionItem } from '../../email/suppression';

export interface SuppressedAddress {
  email: string;
  reason: SuppressionItem['reason'];
  suppressedAt: string;
}

export const toSuppressedAddress = (item: SuppressionItem): SuppressedAddress => ({
  email: item.email,
  reason: item.reason,
  suppressedAt: item.at,
});

/** The workspace's suppression of this address (any case), or 404. */
export async function getSuppression(workspaceId: string, email: string): Promise<SuppressionItem> {
  const item = await getConsistent<SuppressionItem>(suppressionKey(workspaceId, email.toLowerCase()));
  if (!item) throw new AppError('SUPPRESSED_ADDRESS_NOT_FOUND');
  return item;
}
