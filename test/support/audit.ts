import { expect } from 'vitest';
import type { AuditEvent } from '../../shared/features/audit/events';
import { routes } from '../../shared/routes';
import type { ApiResponse, TestApi } from './api';
import { pathTo } from './paths';

/** The request id the local server answered with: the audit event of the request carries it. */
export const requestIdOf = (response: ApiResponse) => response.headers.get('apigw-requestid');

/** A workspace's audit log over the API, newest first: one page of up to 100, which must be the whole of it. */
export async function auditLog(
  api: TestApi,
  workspaceId: string,
  token: string,
  query = '',
): Promise<AuditEvent[]> {
  const response = await api.get(
    `${pathTo(routes.listAuditEvents, { workspaceId })}?limit=100${query ? `&${query}` : ''}`,
    token,
  );
  expect(response.status).toBe(200);
  expect(response.body.nextCursor).toBeNull();
  return response.body.data;
}
