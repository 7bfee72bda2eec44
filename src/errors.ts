/** One field that failed validation. */
export type FieldError = { field: string; message: string };

/** Base of every error the service raises on purpose: a stable code, an HTTP status and a detail. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(detail: string) {
    super('NOT_FOUND', 404, detail);
  }
}

export class AnalysisNotFoundError extends NotFoundError {
  constructor(analysisId: string) {
    super(`Analysis with ID ${analysisId} not found`);
  }
}

export class OpportunityNotFoundError extends AppError {
  constructor(opportunityId: string) {
    super('OPPORTUNITY_NOT_FOUND', 404, `Opportunity '${opportunityId}' not found in analysis results`);
  }
}

export class InvalidTransitionError extends AppError {
  constructor(from: string, to: string) {
    super('INVALID_TRANSITION', 400, `Cannot transition from ${from} to ${to}`);
  }
}

export class InvalidInputError extends AppError {
  constructor(
    detail: string,
    readonly fields: FieldError[] = [],
  ) {
    super('INVALID_INPUT', 400, detail, { fields });
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail: string) {
    super('UNAUTHORIZED', 401, detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail: string) {
    super('PAYLOAD_TOO_LARGE', 413, detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail: string) {
    super('UNSUPPORTED_MEDIA_TYPE', 415, detail);
  }
}

export class RateLimitError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMIT_EXCEEDED', 429, `Too many requests; retry in ${retryAfterSeconds} s`);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string) {
    super('SERVICE_UNAVAILABLE', 503, detail);
  }
}

/** Turns zod issues into the contract's field list. */
export function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldError[] {
  return issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}
