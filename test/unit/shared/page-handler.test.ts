import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routes } from '../../../lambdas/handlers/api/routes.ts';
import { AppError } from '../../../lambdas/shared/errors.ts';
import {
  type PageImplementations,
  type PageRequest,
  pageHandler,
} from '../../../lambdas/shared/page-handler.ts';
import { lambdaContext } from '../../../lib/local/gateway.ts';

const token = 'k1.eyJsIjoiMSJ9.c2ln';

/** A page request as API Gateway hands it over. */
function anEvent(
  routeKey: string,
  path: string,
  overrides: Partial<APIGatewayProxyEventV2> = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    pathParameters: { token },
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' } as APIGatewayProxyEventV2['requestContext'],
    ...overrides,
  };
}

/** Records what each page was asked and answers a page, or what `answer` says. */
function recordingPages(answer?: (request: PageRequest) => Promise<unknown>) {
  const seen: PageRequest[] = [];
  const implementations = new Proxy(
    {},
    {
      get: () => async (request: PageRequest) => {
        seen.push(request);
        return answer
          ? answer(request)
          : { status: 200, html: '<p>page</p>', imageOrigins: ['https://img.example'] };
      },
    },
  ) as PageImplementations<'customerPages'>;
  const handler = pageHandler('customerPages', routes, implementations, {
    errorPage: (error) => ({ status: error instanceof AppError ? error.status : 500, html: '<p>error</p>' }),
    formActionOrigins: ['https://checkout.example'],
  });
  const call = async (event: APIGatewayProxyEventV2) =>
    (await handler(event, lambdaContext('customerPages'))) as APIGatewayProxyStructuredResultV2;
  return { seen, call };
}

describe('pageHandler', () => {
  it('when a page answers, the response carries HTML and the security headers with this response’s nonce', async () => {
    // Arrange
    const { seen, call } = recordingPages();

    // Act
    const response = await call(anEvent('GET /pages/appointment/{token}', `/pages/appointment/${token}`));

    // Assert
    const nonce = seen[0]?.nonce ?? '';
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    });
    const policy = String(response.headers?.['content-security-policy']);
    expect(policy).toContain(`script-src 'nonce-${nonce}'`);
    expect(policy).toContain("img-src 'self' data: https://img.example");
    expect(policy).toContain("form-action 'self' https://checkout.example");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('when two pages are answered, each has a nonce of its own', async () => {
    // Arrange
    const { seen, call } = recordingPages();
    const event = anEvent('GET /pages/appointment/{token}', `/pages/appointment/${token}`);

    // Act
    await call(event);
    await call(event);

    // Assert
    expect(seen[0]?.nonce).not.toBe(seen[1]?.nonce);
  });

  it('when a form is posted, the page gets its fields read with the route’s schema', async () => {
    // Arrange
    const { seen, call } = recordingPages(async () => ({
      redirect: '/pages/appointment/x?done=access-notes',
    }));

    // Act
    const response = await call(
      anEvent('POST /pages/appointment/{token}/access-notes', `/pages/appointment/${token}/access-notes`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from('accessNotes=%20Side+gate%20').toString('base64'),
        isBase64Encoded: true,
      }),
    );

    // Assert
    expect(seen[0]).toMatchObject({ body: { accessNotes: 'Side gate' }, problems: [], params: { token } });
    expect(response.statusCode).toBe(303);
    expect(response.headers).toMatchObject({
      location: '/pages/appointment/x?done=access-notes',
      'cache-control': 'no-store',
    });
  });

  it('when a form field is wrong, the page gets the problems by field and no body', async () => {
    // Arrange
    const { seen, call } = recordingPages();

    // Act
    await call(
      anEvent('POST /pages/sign-off/{token}', `/pages/sign-off/${token}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signerName=&summaryHash=${'a'.repeat(64)}&strokes=%5B%5B%5B1%2C2%5D%5D%5D`,
      }),
    );

    // Assert
    expect(seen[0]?.body).toBeUndefined();
    expect(seen[0]?.problems.map((problem) => problem.field).sort()).toEqual([
      'body.confirm',
      'body.signerName',
    ]);
    expect(seen[0]?.form).toMatchObject({ signerName: '', strokes: '[[[1,2]]]' });
  });

  it('when the body is JSON rather than a form, the error page answers and the page is not called', async () => {
    // Arrange
    const { seen, call } = recordingPages();

    // Act
    const response = await call(
      anEvent('POST /pages/appointment/{token}/cancel', `/pages/appointment/${token}/cancel`, {
        headers: { 'content-type': 'application/json' },
        body: '{"reason":"x"}',
      }),
    );

    // Assert
    expect(seen).toEqual([]);
    expect(response.statusCode).toBe(415);
    expect(response.headers?.['cache-control']).toBe('no-store');
  });

  it('when the token in the path is not shaped like one, the error page answers as for a bad path', async () => {
    // Arrange
    const { seen, call } = recordingPages();

    // Act
    const response = await call(
      anEvent('GET /pages/invoice/{token}', '/pages/invoice/nope', { pathParameters: { token: 'nope' } }),
    );

    // Assert
    expect(seen).toEqual([]);
    expect(response.statusCode).toBe(400);
  });
});
