import type { NumberAccessItem } from '../../access/numbers';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { changeNumber } from './change';
import type { Hours } from './hours';
import { type CallFlow, type CallOutcome, type PhoneNumberItem, toPhoneNumber } from './items';
import { parseNumber } from './phone';

type OutcomeInput = { action: CallOutcome['action']; forwardTo?: string | null | undefined };

export interface SettingsInput {
  name?: string | undefined;
  callerIdName?: string | null | undefined;
  businessHours?: Hours | null | undefined;
  callFlow?:
    | {
        ringTimeoutSeconds?: number | undefined;
        unanswered?: OutcomeInput | undefined;
        afterHours?: OutcomeInput | undefined;
      }
    | undefined;
}

/** `forwardTo` (given with `forward` only: the schema says so) as a valid number, other than `own` when known. */
function outcome(input: OutcomeInput, path: string, own?: string): CallOutcome {
  if (input.action !== 'forward' || !input.forwardTo) return { action: input.action, forwardTo: null };
  const target = parseNumber(input.forwardTo, `${path}.forwardTo`).number;
  if (target === own) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [{ path: `${path}.forwardTo`, message: 'A number cannot forward its calls to itself.' }],
    });
  }
  return { action: 'forward', forwardTo: target };
}

/** The request's own 400s, before anything is read (the contract's precedence): something to change, valid numbers. */
export function checkSettingsInput(input: SettingsInput): void {
  if (Object.values(input).every((value) => value === undefined)) throw new AppError('EMPTY_UPDATE');
  if (input.callFlow?.unanswered) outcome(input.callFlow.unanswered, 'callFlow.unanswered');
  if (input.callFlow?.afterHours) outcome(input.callFlow.afterHours, 'callFlow.afterHours');
}

function mergedCallFlow(
  current: CallFlow,
  input: NonNullable<SettingsInput['callFlow']>,
  own: string,
): CallFlow {
  return {
    ringTimeoutSeconds: input.ringTimeoutSeconds ?? current.ringTimeoutSeconds,
    unanswered: input.unanswered ? outcome(input.unanswered, 'callFlow.unanswered', own) : current.unanswered,
    afterHours: input.afterHours ? outcome(input.afterHours, 'callFlow.afterHours', own) : current.afterHours,
  };
}

/** Changes a number's settings (its managers only), with the audit event of what changed, before and after. */
export async function updateSettings(
  actor: MemberItem,
  numberRead: NumberAccessItem,
  input: SettingsInput,
  context: RequestContext,
) {
  const number = numberRead as PhoneNumberItem;
  const changes: Partial<Pick<PhoneNumberItem, 'name' | 'callerIdName' | 'businessHours' | 'callFlow'>> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.callerIdName !== undefined) changes.callerIdName = input.callerIdName;
  if (input.businessHours !== undefined) changes.businessHours = input.businessHours;
  if (input.callFlow !== undefined)
    changes.callFlow = mergedCallFlow(number.callFlow, input.callFlow, number.number);
  const fields = Object.keys(changes) as (keyof typeof changes)[];
  const at = await changeNumber(
    actor,
    number,
    {
      set: changes,
      // Merged from what was read: a concurrent change to the call flow is not overwritten.
      ...(changes.callFlow
        ? {
            conditions: {
              expressions: ['#callFlow = :readCallFlow'],
              names: {},
              values: { ':readCallFlow': number.callFlow },
            },
          }
        : {}),
      audit: {
        action: 'phoneNumber.updated',
        before: Object.fromEntries(fields.map((field) => [field, number[field]])),
        after: changes,
      },
    },
    context,
  );
  return toPhoneNumber({ ...number, ...changes, updatedAt: at });
}
