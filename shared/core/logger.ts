import { Logger } from '@aws-lambda-powertools/logger';
import { serviceName } from './service';

/** Logs carry operation names, codes and ids: never tokens, bodies or email addresses. */
export const logger = new Logger({ serviceName });
