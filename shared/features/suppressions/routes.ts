import { workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput, pageOnlyQuery, workspaceParams } from '../../http/schemas';
import { suppressedAddressParams, suppressedAddressSchema } from './schemas';

const suppressionsPath = `${workspacePath}/suppressed-addresses`;

/** The workspace's suppressed addresses. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  listSuppressedAddresses: {
    operation: 'listSuppressedAddresses',
    handler: 'functions/suppressions/listSuppressedAddresses.ts',
    method: 'GET',
    path: suppressionsPath,
    summary: 'Addresses no email of the workspace goes to (hard bounces, spam complaints), in address order.',
    access: 'workspace.configure',
    input: { params: workspaceParams, query: pageOnlyQuery },
    response: { status: 200, kind: 'list', schema: suppressedAddressSchema },
    table: { actions: ['Query'] },
  },
  clearSuppressedAddress: {
    operation: 'clearSuppressedAddress',
    handler: 'functions/suppressions/clearSuppressedAddress.ts',
    method: 'DELETE',
    path: `${suppressionsPath}/{email}`,
    summary: 'Let email go to a suppressed address again: the next invitation to it is sent.',
    access: 'workspace.configure',
    loadsWorkspace: true,
    input: { params: suppressedAddressParams, query: noInput },
    response: { status: 204, kind: 'empty', schema: null },
    alsoFailsWith: [404],
    table: { actions: ['GetItem', 'DeleteItem', 'PutItem'] },
  },
} as const satisfies Record<string, RouteDefinition>;
