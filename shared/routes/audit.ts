import type { RouteDefinition } from '../http/route';
import { auditEventSchema, listAuditQuery } from '../schemas/audit';
import { workspaceParams } from '../schemas/common';
import { workspacePath } from './paths';

/** The audit log. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  listAuditEvents: {
    operation: 'listAuditEvents',
    method: 'GET',
    path: `${workspacePath}/audit-events`,
    summary: 'The workspace’s audit log, newest first, filterable by action and actor.',
    access: 'audit.read',
    input: { params: workspaceParams, query: listAuditQuery },
    response: { status: 200, kind: 'list', schema: auditEventSchema },
    table: { actions: ['Query'] },
  },
} as const satisfies Record<string, RouteDefinition>;
