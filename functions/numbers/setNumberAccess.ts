import { setAccess } from '../../shared/features/numbers/access';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.setNumberAccess,
  async ({ membership, workspace, target, phoneNumber, body, caller, requestId, now }) => ({
    data: await setAccess(
      membership,
      workspace,
      target,
      phoneNumber,
      { access: body.access, numberOwner: body.numberOwner },
      { caller, requestId, now },
    ),
  }),
);
