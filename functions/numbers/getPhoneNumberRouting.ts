import { instantOf } from '../../shared/features/numbers/internal';
import type { PhoneNumberItem } from '../../shared/features/numbers/items';
import { routes } from '../../shared/features/numbers/routes';
import { routeCall } from '../../shared/features/numbers/routing';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.getPhoneNumberRouting,
  async ({ workspace, phoneNumber, query, now }) => ({
    data: routeCall(phoneNumber as PhoneNumberItem, workspace, instantOf(query.at, now)),
  }),
);
