import type { RequestContext } from '../../core/context';
import { newId } from '../../core/ids';
import { auditEventIndexKeys, auditEventKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';

/** Dotted names, `<subject>.<change>`: each feature names its own (`member.joined`, `invitation.resent`). */
export type AuditAction = `${string}.${string}`;

export interface AuditEvent {
  id: string;
  at: string;
  actor: { userId: string; email: string };
  action: AuditAction;
  target: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string;
}

export interface AuditInput extends RequestContext {
  workspaceId: string;
  action: AuditAction;
  target: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * The audit event of a change, as a step of the change's own transaction:
 * the log cannot disagree with the state. The condition keeps it append-only.
 */
export function auditStep(input: AuditInput): TransactStep {
  const id = newId('EV', input.now.getTime());
  const actor = input.caller.userId;
  const event: AuditEvent = {
    id,
    at: input.now.toISOString(),
    actor: { userId: actor, email: input.caller.email },
    action: input.action,
    target: input.target,
    before: input.before,
    after: input.after,
    requestId: input.requestId,
  };
  return {
    put: {
      Item: {
        ...auditEventKey(input.workspaceId, id),
        ...auditEventIndexKeys(input.workspaceId, id, input.action, actor),
        ...event,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export const toAuditEvent = (item: AuditEvent): AuditEvent => ({
  id: item.id,
  at: item.at,
  actor: item.actor,
  action: item.action,
  target: item.target,
  before: item.before,
  after: item.after,
  requestId: item.requestId,
});
