import { findNumber } from '../../shared/features/numbers/internal';
import { routes } from '../../shared/features/numbers/routes';
import { createServiceHandler } from '../../shared/http/handler';

export const handler = createServiceHandler(routes.findPhoneNumber, async ({ params }) => ({
  data: await findNumber(params.e164),
}));
