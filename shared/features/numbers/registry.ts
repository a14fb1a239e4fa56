import { AppError } from '../../core/errors';
import { e164Key } from '../../db/keys';
import type { TransactStep } from '../../db/steps';

/** Who holds an E.164 number's place: a workspace's number, or an open request porting it in. */
type RegistryHolder = { workspaceId: string } & ({ phoneNumberId: string } | { portingRequestId: string });

/**
 * Takes the number's one item across the whole table: a second workspace
 * adding it, or anyone adding or porting it while it is held, fails this
 * write's condition, told apart from the item as it is.
 */
export const claimRegistry = (e164: string, holder: RegistryHolder): TransactStep => ({
  put: {
    Item: { ...e164Key(e164), ...holder },
    ConditionExpression: 'attribute_not_exists(PK)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
  onConditionFailed: (current) =>
    new AppError(current?.portingRequestId ? 'PORT_IN_PROGRESS' : 'NUMBER_TAKEN'),
});
