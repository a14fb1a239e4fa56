import { expect } from 'vitest';
import type { TestApi } from './api';

export const billingPath = (workspaceId: string) => `/v1/workspaces/${workspaceId}/billing`;

/** A request run as of another instant (the local server's X-Dev-Now). */
export const at = (instant: string) => ({ headers: { 'x-dev-now': instant } });

/** A workspace's ledger, newest first as the API lists it: one page of 100. */
export async function ledgerLines<Line>(api: TestApi, workspaceId: string, token: string): Promise<Line[]> {
  const answer = await api.get(`${billingPath(workspaceId)}/ledger?limit=100`, token);
  expect(answer.status).toBe(200);
  return answer.body.data as Line[];
}
