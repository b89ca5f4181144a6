// RFC 9457 problem details. Everything the API refuses is one of these.
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly slug?: string,
  ) {
    super(detail);
  }

  toBody(): ProblemBody {
    return problemBody(this.status, this.message, this.extensions, this.slug);
  }
}

export function problemBody(status: number, detail: string | undefined, extensions: Record<string, unknown> = {}, slug?: string): ProblemBody {
  const title = TITLES[status] ?? 'Error';
  return {
    type: `https://crmflow.dev/problems/${slug ?? title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...extensions,
  };
}

export const notFound = (what: string, id: string) => new HttpProblem(404, `${what} ${id} does not exist`);
export const conflict = (detail: string, extensions: Record<string, unknown> = {}) => new HttpProblem(409, detail, extensions, 'invalid-state');
export const unprocessable = (detail: string, extensions: Record<string, unknown> = {}) => new HttpProblem(422, detail, extensions, 'business-rule');
