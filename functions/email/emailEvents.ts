import type { EventBridgeEvent } from 'aws-lambda';
import { applyEmailEvent, type SesEvent } from '../../shared/email/events';

/** SES's events of the configuration set, through the EventBridge rule. */
export const handler = (event: EventBridgeEvent<string, SesEvent>): Promise<void> =>
  applyEmailEvent(event.detail);
