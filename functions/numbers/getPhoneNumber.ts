import type { PhoneNumberItem } from '../../shared/features/numbers/items';
import { toPhoneNumber } from '../../shared/features/numbers/items';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.getPhoneNumber, async ({ phoneNumber }) => ({
  data: toPhoneNumber(phoneNumber as PhoneNumberItem),
}));
