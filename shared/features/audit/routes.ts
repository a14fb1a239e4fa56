import { gsi1, gsi2, gsi3 } from '../../db/table';
import { workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { workspaceParams } from '../../http/schemas';
import { auditEventSchema, listAuditQuery } from './schemas';

/** The audit log. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  listAuditEvents: {
    operation: 'listAuditEvents',
    handler: 'functions/audit/listAuditEvents.ts',
    method: 'GET',
    path: `${workspacePath}/audit-events`,
    summary: 'The workspace’s audit log, newest first, filterable by action and actor.',
    access: 'audit.read',
    input: { params: workspaceParams, query: listAuditQuery },
    response: { status: 200, kind: 'list', schema: auditEventSchema },
    table: { actions: ['Query'], indexes: [gsi1, gsi2, gsi3] },
  },
} as const satisfies Record<string, RouteDefinition>;
