import type { CheckDefinition } from './types.js';

/**
 * Identity function: it only exists so that a check file gets its id, message ids and
 * metadata inferred and checked by the compiler (arethetypeswrong's `defineCheck`).
 */
export function defineCheck<const Id extends string, const MessageId extends string>(
  check: CheckDefinition<Id, MessageId>,
): CheckDefinition<Id, MessageId> {
  return check;
}
