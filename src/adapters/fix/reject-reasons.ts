/**
 * @module
 * FIX 4.4 SessionRejectReason (373) and BusinessRejectReason (380) values, named as FIX44.xml names
 * them, and the Text (58) a Reject carries for each.
 */

export const FIX44_SESSION_REJECT_REASON = {
  INVALID_TAG_NUMBER: 0,
  REQUIRED_TAG_MISSING: 1,
  TAG_NOT_DEFINED_FOR_THIS_MESSAGE_TYPE: 2,
  UNDEFINED_TAG: 3,
  TAG_SPECIFIED_WITHOUT_A_VALUE: 4,
  VALUE_IS_INCORRECT: 5,
  INCORRECT_DATA_FORMAT_FOR_VALUE: 6,
  DECRYPTION_PROBLEM: 7,
  SIGNATURE_PROBLEM: 8,
  COMP_ID_PROBLEM: 9,
  SENDING_TIME_ACCURACY_PROBLEM: 10,
  INVALID_MSG_TYPE: 11,
  XML_VALIDATION_ERROR: 12,
  TAG_APPEARS_MORE_THAN_ONCE: 13,
  TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER: 14,
  REPEATING_GROUP_FIELDS_OUT_OF_ORDER: 15,
  INCORRECT_NUM_IN_GROUP_COUNT_FOR_REPEATING_GROUP: 16,
  NON_DATA_VALUE_INCLUDES_FIELD_DELIMITER: 17,
  OTHER: 99,
} as const;
export type SessionRejectReason =
  (typeof FIX44_SESSION_REJECT_REASON)[keyof typeof FIX44_SESSION_REJECT_REASON];

/** The Text (58) of a session-level Reject, per reason (the wording QuickFIX peers expect). */
export const SESSION_REJECT_TEXT: Readonly<Record<SessionRejectReason, string>> = {
  0: 'Invalid tag number',
  1: 'Required tag missing',
  2: 'Tag not defined for this message type',
  3: 'Undefined Tag',
  4: 'Tag specified without a value',
  5: 'Value is incorrect (out of range) for this tag',
  6: 'Incorrect data format for value',
  7: 'Decryption problem',
  8: 'Signature problem',
  9: 'CompID problem',
  10: 'SendingTime accuracy problem',
  11: 'Invalid MsgType',
  12: 'XML validation error',
  13: 'Tag appears more than once',
  14: 'Tag specified out of required order',
  15: 'Repeating group fields out of order',
  16: 'Incorrect NumInGroup count for repeating group',
  17: 'Non Data Value includes Field Delimiter',
  99: 'Other',
};

export const FIX44_BUSINESS_REJECT_REASON = {
  OTHER: 0,
  UNKNOWN_ID: 1,
  UNKNOWN_SECURITY: 2,
  UNSUPPORTED_MESSAGE_TYPE: 3,
  APPLICATION_NOT_AVAILABLE: 4,
  CONDITIONALLY_REQUIRED_FIELD_MISSING: 5,
  NOT_AUTHORIZED: 6,
  DELIVER_TO_FIRM_NOT_AVAILABLE_AT_THIS_TIME: 7,
} as const;
export type BusinessRejectReason =
  (typeof FIX44_BUSINESS_REJECT_REASON)[keyof typeof FIX44_BUSINESS_REJECT_REASON];

/** The Text (58) of a BusinessMessageReject, per reason. */
export const BUSINESS_REJECT_TEXT: Readonly<Record<BusinessRejectReason, string>> = {
  0: 'Other',
  1: 'Unknown ID',
  2: 'Unknown Security',
  3: 'Unsupported Message Type',
  4: 'Application not available',
  5: 'Conditionally required field missing',
  6: 'Not authorized',
  7: 'DeliverTo firm not available at this time',
};

/** A message that breaks a session-level rule: the reason, and the tag (371) where one applies. */
export interface FixViolation {
  readonly reason: SessionRejectReason;
  readonly tag?: number;
}
