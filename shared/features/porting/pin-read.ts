import type { RequestContext } from '../../core/context';
import { decryptSecret } from '../../core/envelope';
import { AppError } from '../../core/errors';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { isOpen, pinContext, portingTarget, toPortingRequest } from './items';
import { getPortingItem } from './list';

/**
 * The request as the carrier needs it: the account number whole and the PIN
 * decrypted (one KMS Decrypt), only while the request is open. The read is
 * audited (who, when; never the PIN) before the PIN leaves.
 */
export async function readForCarrier(workspaceId: string, portingRequestId: string, context: RequestContext) {
  const item = await getPortingItem(workspaceId, portingRequestId);
  if (!isOpen(item.status)) throw new AppError('PORTING_REQUEST_CLOSED');
  const pin = await decryptSecret(item.pin, pinContext(item));
  await transact([
    auditStep({
      ...context,
      workspaceId,
      action: 'portingRequest.pinRead',
      target: portingTarget(item),
      before: null,
      after: { status: item.status },
    }),
  ]);
  return { ...toPortingRequest(item), workspaceId, accountNumber: item.accountNumber, pin };
}
