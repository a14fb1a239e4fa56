import { checkAvailabilityInput, setAvailability } from '../../shared/features/members/availability';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.setMemberAvailability, {
  validate: ({ body }) => checkAvailabilityInput(body.availability),
  run: async ({ membership, target, body, caller, requestId, now }) => ({
    data: await setAvailability(membership, target, body.availability, { caller, requestId, now }),
  }),
});
